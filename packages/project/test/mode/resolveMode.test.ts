import { afterEach, describe, expect, test } from '@jest/globals';
import type { SettingSource, Settings } from '../../src/config/Settings.js';
import type { ModeResolution } from '../../src/mode/resolveMode.js';
import { describeModeResolution, harborProbeUrl, resolveMode } from '../../src/mode/resolveMode.js';
import type { ProbeServer, ProbeServerKind } from '../../../../test-support/probe-servers.js';
import { loopbackOnlyFetch, startProbeServer, unusedLoopbackPort } from '../../../../test-support/probe-servers.js';

const servers: ProbeServer[] = [];
const start = async (kind: ProbeServerKind): Promise<ProbeServer> => {
  const server = await startProbeServer(kind);
  servers.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const baseSettings: Settings = {
  mode: { value: 'auto', source: { kind: 'flag', name: '--mode' } },
  harborLayout: 'path',
  mirrors: [],
  mirrorNotes: [],
  shortNames: false,
  onConflict: 'report',
  engine: 'docker',
  transport: 'auto',
  verbose: false,
  concurrency: 4,
  engineTimeoutMs: 30_000,
  lockTimeoutMs: 120_000,
  images: [],
  from: [],
  exclude: [],
  includeBuilt: false,
  buildArgs: {},
  env: {},
  // Never the default public URL in a test: every auto test sets its own loopback one.
  probes: { publicUrl: 'http://127.0.0.1:1/v2/', timeoutMs: 2000 },
  prefetch: { attempts: 3, baseDelayMs: 1000, concurrency: 3, mirrors: [] },
  format: 'text',
  formatSource: 'default',
  quiet: false,
  color: undefined,
  sources: Object.fromEntries(
    ['harborLayout', 'shortNames', 'onConflict', 'engine', 'transport', 'concurrency', 'engineTimeout', 'lockTimeout', 'includeBuilt', 'format'].map((key) => [key, { kind: 'default' }]),
  ) as Settings['sources'],
  policy: { harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false },
};

const autoSettings = (probes: { publicUrl: string; harborUrl?: string; timeoutMs?: number }, harbor?: string): Settings => {
  const [registry = '', project = ''] = harbor?.split('/') ?? [];
  return {
    ...baseSettings,
    probes: { timeoutMs: 2000, ...probes },
    ...(harbor === undefined ? {} : { harbor: { value: { registry, project }, source: { kind: 'config', file: '/p/imgalias.config.json' } } }),
  };
};

const resolve = (settings: Settings): Promise<ModeResolution> => resolveMode(settings, { fetch: loopbackOnlyFetch });

describe('fixed modes', () => {
  test.each([
    ['internal', { kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: '/p/.env' }, 'internal (from .env: AI_INFRA_NETWORK_ENV)'],
    ['external', { kind: 'flag', name: '--network' }, 'external (from --network)'],
    ['internal', { kind: 'env', name: 'IMGALIAS_MODE' }, 'internal (from environment: IMGALIAS_MODE)'],
    ['internal', { kind: 'config', file: '/p/imgalias.config.yaml' }, 'internal (from config: /p/imgalias.config.yaml)'],
    ['external', { kind: 'default' }, 'external (default)'],
  ] as const)('%s from %j returns at once, probing nothing', async (mode, source: SettingSource, description) => {
    let calls = 0;
    const countingFetch: typeof fetch = () => {
      calls += 1;
      return Promise.reject(new Error('a fixed mode must not probe'));
    };
    const resolution = await resolveMode({ ...baseSettings, mode: { value: mode, source } }, { fetch: countingFetch });
    expect(resolution).toEqual({ mode, source });
    expect(describeModeResolution(resolution)).toBe(description);
    expect(calls).toBe(0);
  });
});

describe('auto', () => {
  test.each(['registry-header', 'registry-401'] as const)('a public endpoint answering like a registry (%s) means external', async (kind) => {
    const registry = await start(kind);
    const resolution = await resolve(autoSettings({ publicUrl: registry.url }));
    expect(resolution).toMatchObject({
      mode: 'external',
      source: { kind: 'auto' },
      probes: [{ target: 'public', url: registry.url, reachable: true }],
    });
    expect(resolution.probes).toHaveLength(1);
    expect(describeModeResolution(resolution)).toMatch(/^external \(auto: public registry answered in \d+ ms\)$/);
  });

  test.each([
    ['portal', /HTTP 200 \(text\/html\) without registry headers/],
    ['proxy-error', /HTTP 502 \(text\/html\) without registry headers/],
    ['portal-redirect', /HTTP 302 redirect to http:\/\/127\.0\.0\.1:\d+\/login/],
  ] as const)('a public endpoint that answers but not like a registry (%s) means internal', async (kind, detail) => {
    const fake = await start(kind);
    const resolution = await resolve(autoSettings({ publicUrl: fake.url }));
    expect(resolution.mode).toBe('internal');
    expect(resolution.probes?.[0]).toMatchObject({ target: 'public', reachable: false });
    expect(resolution.probes?.[0]?.detail).toMatch(detail);
    expect(fake.requests()).toBe(1);
    expect(describeModeResolution(resolution)).toMatch(/^internal \(auto: public registry not reachable \(HTTP .*\); no Harbor configured to probe\)$/);
  });

  test('a refused connection means internal', async () => {
    const port = await unusedLoopbackPort();
    const resolution = await resolve(autoSettings({ publicUrl: `http://127.0.0.1:${port}/v2/` }));
    expect(resolution).toMatchObject({ mode: 'internal', probes: [{ reachable: false, detail: 'connection refused' }] });
  });

  test('the Harbor probe runs alongside and is reported: internal with Harbor reachable', async () => {
    const portal = await start('portal');
    const harbor = await start('registry-401');
    const resolution = await resolve(autoSettings({ publicUrl: portal.url }, `${harbor.host}/aihpc`));
    expect(resolution).toMatchObject({
      mode: 'internal',
      probes: [
        { target: 'public', reachable: false },
        // No harborUrl configured: a loopback Harbor is probed over plain http, like docker talks to it.
        { target: 'harbor', url: `http://${harbor.host}/v2/`, reachable: true },
      ],
    });
    expect(describeModeResolution(resolution)).toMatch(/; Harbor answered in \d+ ms\)$/);
  });

  test('external still reports the Harbor probe', async () => {
    const hub = await start('registry-header');
    const harbor = await start('proxy-error');
    const resolution = await resolve(autoSettings({ publicUrl: hub.url, harborUrl: harbor.url }));
    expect(resolution).toMatchObject({
      mode: 'external',
      probes: [
        { target: 'public', reachable: true },
        { target: 'harbor', url: harbor.url, reachable: false },
      ],
    });
  });

  test('a server that accepts and never answers: the whole resolution keeps to the budget', async () => {
    const silentPublic = await start('silent');
    const silentHarbor = await start('silent');
    const budget = 600;
    const started = performance.now();
    const resolution = await resolve(autoSettings({ publicUrl: silentPublic.url, harborUrl: silentHarbor.url, timeoutMs: budget }));
    const took = performance.now() - started;
    expect(resolution).toMatchObject({
      mode: 'internal',
      probes: [
        { target: 'public', reachable: false, detail: `no answer within ${budget} ms` },
        { target: 'harbor', reachable: false, detail: `no answer within ${budget} ms` },
      ],
    });
    // Both probes ran at once within one budget: not one budget each, one after the other.
    expect(took).toBeGreaterThanOrEqual(budget - 20);
    // Slack for a loaded CI host, yet less than a second budget: probes one after the other would fail this.
    expect(took).toBeLessThan(budget + 350);
    expect(silentPublic.requests()).toBe(1);
    expect(describeModeResolution(resolution)).toBe(
      `internal (auto: public registry not reachable (no answer within ${budget} ms); Harbor not reachable (no answer within ${budget} ms))`,
    );
  });

  test('the budget holds even when a fetch ignores its abort signal', async () => {
    const budget = 300;
    const neverSettles: typeof fetch = () => new Promise<Response>(() => undefined);
    const started = performance.now();
    const resolution = await resolveMode(autoSettings({ publicUrl: 'http://127.0.0.1:2/v2/', timeoutMs: budget }), { fetch: neverSettles });
    expect(performance.now() - started).toBeLessThan(budget + 250);
    expect(resolution).toMatchObject({ mode: 'internal', probes: [{ reachable: false, detail: `no answer within ${budget} ms` }] });
  });

  test('probes once per process: a second resolution with the same settings asks nobody', async () => {
    const registry = await start('registry-401');
    const settings = autoSettings({ publicUrl: registry.url });
    const first = await resolve(settings);
    const second = await resolve({ ...settings, concurrency: 9 });
    expect(second).toBe(first);
    expect(registry.requests()).toBe(1);
  });
});

describe('failures are described by their cause', () => {
  test.each([
    ['ENOTFOUND', 'host name not found'],
    ['EAI_AGAIN', 'host name not found'],
    ['ECONNRESET', 'connection closed without an answer'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE: fetch failed: unable to verify the first certificate'],
    [undefined, 'fetch failed: bad port'],
  ])('%s', async (code, detail) => {
    // Shaped like undici's failures: a TypeError whose cause carries the reason and, usually, a system or TLS code.
    const reason = code === undefined ? 'bad port' : code.startsWith('UNABLE') ? 'unable to verify the first certificate' : code;
    const failing: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error(reason), code === undefined ? {} : { code }) }));
    const resolution = await resolveMode(autoSettings({ publicUrl: `http://127.0.0.1:3/v2/${code ?? 'none'}` }), { fetch: failing });
    expect(resolution).toMatchObject({ mode: 'internal', probes: [{ reachable: false, detail }] });
  });
});

describe('harborProbeUrl', () => {
  const withHarbor = (registry: string): Settings => ({
    ...baseSettings,
    harbor: { value: { registry, project: 'proj' }, source: { kind: 'default' } },
  });
  test.each([
    ['harbor.corp.local', 'https://harbor.corp.local/v2/'],
    ['harbor.corp.local:8443', 'https://harbor.corp.local:8443/v2/'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000/v2/'],
    ['localhost:5000', 'http://localhost:5000/v2/'],
    ['[::1]:5000', 'http://[::1]:5000/v2/'],
    // Only the loopback network is plain http; a look-alike name is not loopback.
    ['127.0.0.1.nip.io', 'https://127.0.0.1.nip.io/v2/'],
  ])('%s -> %s', (registry, url) => {
    expect(harborProbeUrl(withHarbor(registry))).toBe(url);
  });

  test('a configured harborUrl wins; no Harbor and no URL means no Harbor probe', () => {
    expect(harborProbeUrl({ ...withHarbor('harbor.corp.local'), probes: { ...baseSettings.probes, harborUrl: 'https://h.example/v2/' } })).toBe(
      'https://h.example/v2/',
    );
    expect(harborProbeUrl(baseSettings)).toBeUndefined();
  });
});
