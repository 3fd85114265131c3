import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProbeServer, ProbeServerKind } from '../../../../test-support/probe-servers.js';
import { startProbeServer, unusedLoopbackPort } from '../../../../test-support/probe-servers.js';
import { deadDockerHost, ensureBuilt, imgalias, tempDir } from './support/cli.js';

beforeAll(ensureBuilt, 600_000);

const snapshot = JSON.stringify({ version: 1, images: [{ id: `sha256:${'b'.repeat(64)}`, names: ['localhost/redis:7-alpine'] }] });

async function project(files: Readonly<Record<string, string>>) {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, env: { DOCKER_HOST: deadDockerHost(dir) } };
}

describe('the network mode', () => {
  test('.env with AI_INFRA_NETWORK_ENV=internal decides the mode, and mode says so', async () => {
    const { dir, env } = await project({ '.env': 'AI_INFRA_NETWORK_ENV=internal\nINTERNAL_REGISTRY=harbor.corp.local/aihpc\n', 'snapshot.json': snapshot });
    const text = await imgalias(['mode'], { cwd: dir, env });
    expect(text.exitCode).toBe(0);
    // INTERNAL_REGISTRY is the * mirror rule, listed with where it came from.
    expect(text.stdout).toBe(
      'internal (from .env: AI_INFRA_NETWORK_ENV)\nmirror rules (the rule for an image\'s registry, else *):\n  *=harbor.corp.local/aihpc@path  (from .env: INTERNAL_REGISTRY)\n',
    );

    const json = await imgalias(['mode', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toEqual({
      mode: 'internal',
      source: { kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: path.join(dir, '.env') },
      mirrors: [
        {
          rule: '*=harbor.corp.local/aihpc@path',
          origin: '*',
          location: { registry: 'harbor.corp.local', project: 'aihpc' },
          layout: 'path',
          source: { kind: 'dotenv', name: 'INTERNAL_REGISTRY', file: path.join(dir, '.env') },
        },
      ],
      config: null,
    });

    // The plan is computed in that mode, with the Harbor location from INTERNAL_REGISTRY.
    const plan = await imgalias(['plan', '--snapshot', 'snapshot.json', '--json'], { cwd: dir, env });
    expect(JSON.parse(plan.stdout).mode).toBe('internal');
    const check = await imgalias(['check', '--snapshot', 'snapshot.json', '--json'], { cwd: dir, env });
    const families = JSON.parse(check.stdout).families as { members: { name: string }[] }[];
    expect(families[0]?.members.map((member) => member.name)).toContain('harbor.corp.local/aihpc/redis:7-alpine');
  }, 60_000);

  test('the environment beats .env, and a flag (--network too) beats both', async () => {
    const { dir, env } = await project({ '.env': 'AI_INFRA_NETWORK_ENV=internal\n' });
    const fromEnv = await imgalias(['mode'], { cwd: dir, env: { ...env, IMGALIAS_MODE: 'external' } });
    expect(fromEnv.stdout).toBe('external (from environment: IMGALIAS_MODE)\n');
    const fromFlag = await imgalias(['mode', '--network', 'internal'], { cwd: dir, env: { ...env, IMGALIAS_MODE: 'external' } });
    expect(fromFlag.stdout).toBe('internal (from --network)\n');
  }, 60_000);

  describe('auto, against loopback probe servers', () => {
    const servers: ProbeServer[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    });
    const start = async (kind: ProbeServerKind) => {
      const server = await startProbeServer(kind);
      servers.push(server);
      return server;
    };
    const config = (publicUrl: string, harborUrl?: string) =>
      JSON.stringify({ mode: 'auto', probes: { publicUrl, ...(harborUrl === undefined ? {} : { harborUrl }), timeoutMs: 1500 } });

    test('a registry answering like a registry: external', async () => {
      const registry = await start('registry-401');
      const { dir, env } = await project({ 'imgalias.config.json': config(registry.url) });
      const result = await imgalias(['mode', '--json'], { cwd: dir, env });
      expect(result.exitCode).toBe(0);
      const resolution = JSON.parse(result.stdout) as { mode: string; source: { kind: string }; probes: { target: string; reachable: boolean }[] };
      expect(resolution.mode).toBe('external');
      expect(resolution.source).toEqual({ kind: 'auto' });
      expect(resolution.probes).toContainEqual(expect.objectContaining({ target: 'public', reachable: true }));
      expect(registry.requests()).toBeGreaterThan(0);
    }, 60_000);

    test('a captive portal answers, but not like a registry: internal, with the Harbor probe reported', async () => {
      const portal = await start('portal');
      const harbor = await start('registry-header');
      const { dir, env } = await project({ 'imgalias.config.json': config(portal.url, harbor.url) });
      const result = await imgalias(['mode'], { cwd: dir, env });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^internal \(auto: public registry not reachable \(.*\); Harbor answered in \d+ ms\)\n$/);
    }, 60_000);

    test('a server that never answers, and a closed port: internal within the budget', async () => {
      const silent = await start('silent');
      const closed = `http://127.0.0.1:${await unusedLoopbackPort()}/v2/`;
      const { dir, env } = await project({ 'imgalias.config.json': config(silent.url, closed) });
      const started = Date.now();
      const result = await imgalias(['mode', '--json'], { cwd: dir, env });
      expect(Date.now() - started).toBeLessThan(10_000);
      const resolution = JSON.parse(result.stdout) as { mode: string; probes: { target: string; reachable: boolean }[] };
      expect(resolution.mode).toBe('internal');
      expect(resolution.probes.map((probe) => [probe.target, probe.reachable])).toEqual(
        expect.arrayContaining([
          ['public', false],
          ['harbor', false],
        ]),
      );
    }, 60_000);
  });
});
