import type { NetworkMode } from '@imgalias/core';
import type { SettingSource, Settings } from '../config/Settings.js';
import { describeSettingSource } from '../config/Settings.js';

/** What one probe saw. `reachable` means "answered like a registry", not "answered". */
export interface ProbeResult {
  readonly target: 'public' | 'harbor';
  readonly url: string;
  readonly reachable: boolean;
  readonly detail: string;
  readonly ms: number;
}

/** The mode a command runs in, and what decided it: a settings level, or `auto` with the probes it ran. */
export interface ModeResolution {
  readonly mode: NetworkMode;
  readonly source: SettingSource | { readonly kind: 'auto' };
  readonly probes?: readonly ProbeResult[];
}

interface ProbeTarget {
  readonly target: ProbeResult['target'];
  readonly url: string;
}

const isLoopbackHost = (registry: string): boolean => {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : (registry.split(':')[0] ?? registry);
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
};

/**
 * The Harbor probe's URL: the configured one, else the registry API root of the Harbor host. Docker itself talks
 * plain HTTP to a loopback registry (127.0.0.0/8 is an insecure registry by default), so a loopback Harbor is
 * probed over http; every other host over https.
 */
export function harborProbeUrl(settings: Settings): string | undefined {
  if (settings.probes.harborUrl !== undefined) return settings.probes.harborUrl;
  if (settings.harbor === undefined) return undefined;
  const registry = settings.harbor.value.registry;
  return `${isLoopbackHost(registry) ? 'http' : 'https'}://${registry}/v2/`;
}

const header = (response: Response, name: string): string | null => response.headers.get(name);

/**
 * A registry answers `/v2/` with `Docker-Distribution-API-Version`, or with 401 and a `WWW-Authenticate`
 * challenge (Docker Hub, Harbor). A captive portal, a proxy's error page or any other web server answers too,
 * but not like that, so it does not count.
 */
function judge(response: Response): { readonly reachable: boolean; readonly detail: string } {
  const apiVersion = header(response, 'docker-distribution-api-version');
  if (apiVersion !== null) return { reachable: true, detail: `HTTP ${response.status} with Docker-Distribution-API-Version: ${apiVersion}` };
  if (response.status === 401 && header(response, 'www-authenticate') !== null) {
    return { reachable: true, detail: 'HTTP 401 with a WWW-Authenticate challenge' };
  }
  const location = header(response, 'location');
  if (response.status >= 300 && response.status < 400 && location !== null) {
    return { reachable: false, detail: `HTTP ${response.status} redirect to ${location}, not a registry (a captive portal?)` };
  }
  const type = header(response, 'content-type');
  return {
    reachable: false,
    detail: `HTTP ${response.status}${type === null ? '' : ` (${type.split(';')[0]})`} without registry headers, not a registry (a captive portal or proxy page?)`,
  };
}

const causeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined);

const causeCode = (error: unknown): string | undefined => {
  const cause = causeOf(error);
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/** undici says only "fetch failed"; the reason (e.g. "bad port") is in its cause. */
const messageOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const cause = causeOf(error);
  return cause instanceof Error && cause.message !== '' ? `${message}: ${cause.message}` : message;
};

function describeFailure(error: unknown, timedOut: boolean, budgetMs: number): string {
  if (timedOut) return `no answer within ${budgetMs} ms`;
  const code = causeCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed without an answer';
    case undefined:
      return messageOf(error);
    default:
      // TLS failures land here too: an intercepting proxy's certificate is a sign of an intranet.
      return `${code}: ${messageOf(error)}`;
  }
}

/** Rejects when the budget runs out, even if a (test or custom) fetch ignores its signal. */
const abortedBy = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

async function probe(target: ProbeTarget, fetchFn: typeof fetch, signal: AbortSignal, budgetMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    // `manual`: a captive portal's redirect must be judged as it is, not followed to its login page.
    const response = await Promise.race([fetchFn(target.url, { method: 'GET', redirect: 'manual', signal }), abortedBy(signal)]);
    const ms = elapsed();
    // Release the connection; the body of /v2/ is never needed.
    void response.body?.cancel().catch(() => undefined);
    return { ...target, ...judge(response), ms };
  } catch (error) {
    return { ...target, reachable: false, detail: describeFailure(error, signal.aborted, budgetMs), ms: elapsed() };
  }
}

function probeTargets(settings: Settings): readonly ProbeTarget[] {
  const harborUrl = harborProbeUrl(settings);
  return [{ target: 'public', url: settings.probes.publicUrl }, ...(harborUrl === undefined ? [] : [{ target: 'harbor' as const, url: harborUrl }])];
}

// Once per process: every command of one run sees the same answer, and the network is asked at most once.
// Keyed by the fetch function and the probe targets, so tests (and library users) with other targets get theirs.
const memo = new WeakMap<typeof fetch, Map<string, Promise<ModeResolution>>>();

async function probeForMode(targets: readonly ProbeTarget[], fetchFn: typeof fetch, budgetMs: number): Promise<ModeResolution> {
  // One budget for all probes together: `auto` must never make a command wait longer than it says. A plain
  // timer rather than AbortSignal.timeout(): that one is unref'd, and the budget must end even when nothing else
  // keeps the process alive (a fetch stuck before it opened a socket).
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${budgetMs} ms`, 'TimeoutError')), budgetMs);
  const probes = await Promise.all(targets.map((target) => probe(target, fetchFn, controller.signal, budgetMs))).finally(() =>
    clearTimeout(timer),
  );
  const publicReachable = probes.some((p) => p.target === 'public' && p.reachable);
  return { mode: publicReachable ? 'external' : 'internal', source: { kind: 'auto' }, probes };
}

/**
 * The network mode to run in. A fixed setting is returned at once with its source. `auto` probes the public
 * registry (and Harbor, when one is configured) concurrently within `settings.probes.timeoutMs` in total:
 * `external` when the public registry answers like a registry, `internal` otherwise.
 *
 * @example
 * const loaded = await loadSettings({ flags: { mode: 'auto' }, env: process.env, cwd: process.cwd() });
 * if (loaded._tag === 'Right') describeModeResolution(await resolveMode(loaded.right)) // 'external (auto: public registry answered in 120 ms)'
 */
export function resolveMode(settings: Settings, deps: { fetch?: typeof fetch } = {}): Promise<ModeResolution> {
  const setting = settings.mode;
  if (setting.value !== 'auto') return Promise.resolve({ mode: setting.value, source: setting.source });
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const targets = probeTargets(settings);
  const key = JSON.stringify([targets, settings.probes.timeoutMs]);
  const known = memo.get(fetchFn) ?? new Map<string, Promise<ModeResolution>>();
  memo.set(fetchFn, known);
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const resolution = probeForMode(targets, fetchFn, settings.probes.timeoutMs);
  known.set(key, resolution);
  return resolution;
}

const describeProbe = (name: string, p: ProbeResult | undefined): string | undefined => {
  if (p === undefined) return undefined;
  return p.reachable ? `${name} answered in ${p.ms} ms` : `${name} not reachable (${p.detail})`;
};

/**
 * One line for `imgalias mode` and logs.
 *
 * @example
 * describeModeResolution({ mode: 'internal', source: { kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: '.env' } })
 * // 'internal (from .env: AI_INFRA_NETWORK_ENV)'
 * describeModeResolution({ mode: 'internal', source: { kind: 'auto' }, probes: [
 *   { target: 'public', url: 'https://registry-1.docker.io/v2/', reachable: false, detail: 'no answer within 3000 ms', ms: 3000 },
 *   { target: 'harbor', url: 'https://harbor.corp.local/api/v2.0/ping', reachable: true, detail: 'HTTP 200', ms: 15 }] })
 * // 'internal (auto: public registry not reachable (no answer within 3000 ms); Harbor answered in 15 ms)'
 */
export function describeModeResolution(r: ModeResolution): string {
  if (r.source.kind !== 'auto') {
    return r.source.kind === 'default' ? `${r.mode} (default)` : `${r.mode} (from ${describeSettingSource(r.source)})`;
  }
  const probes = r.probes ?? [];
  const publicProbe = probes.find((p) => p.target === 'public');
  const harborProbe = probes.find((p) => p.target === 'harbor');
  const parts =
    r.mode === 'external'
      ? [describeProbe('public registry', publicProbe)]
      : [describeProbe('public registry', publicProbe), describeProbe('Harbor', harborProbe) ?? 'no Harbor configured to probe'];
  return `${r.mode} (auto: ${parts.filter((part) => part !== undefined).join('; ')})`;
}
