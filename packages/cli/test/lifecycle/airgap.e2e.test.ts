/**
 * The air-gapped flow with the built binary (`dist/bin.js`), two hosts and one Harbor:
 * a CI host (external mode) that has the project's images publishes them to the registry playing Harbor; an
 * intranet host (internal mode, set the way the shell tooling sets it: AI_INFRA_NETWORK_ENV and
 * INTERNAL_REGISTRY) prefetches them from there and ends with every name the project uses.
 * Each host is its own private dockerd; the registry is the loopback one from test-support.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DockerEngine } from '../../../../test-support/engines.js';
import { engineCli, importImage, requireEngine, startDockerd } from '../../../../test-support/engines.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { manifestRequests, requireRegistry } from '../../../../test-support/registry.js';
import { ensureBuilt, imgalias, tempDir } from '../e2e/support/cli.js';

jest.setTimeout(180_000);

const ciHost = await requireEngine('docker', startDockerd);
const intranetHost = ciHost === undefined ? undefined : await requireEngine('docker', startDockerd);
const registry = intranetHost === undefined ? undefined : await requireRegistry();

const idOf = async (engine: DockerEngine, name: string): Promise<string> =>
  (await engineCli(engine, ['image', 'inspect', '--format', '{{.Id}}', name])).trim();

(ciHost && intranetHost && registry ? describe : describe.skip)('air-gapped flow: publish on the CI host, prefetch on the intranet host', () => {
  const ci = ciHost as DockerEngine;
  const intranet = intranetHost as DockerEngine;
  const harbor = registry as TestRegistry;
  let project: string;

  beforeAll(async () => {
    await ensureBuilt();
    project = await tempDir();
    await writeFile(path.join(project, 'Dockerfile'), 'FROM redis:7-alpine\nRUN true\n');
    await writeFile(path.join(project, 'compose.yaml'), 'services:\n  ldap:\n    image: osixia/openldap:stable\n');
    // What the CI host pulled from the internet, as far as names and content go.
    await importImage(ci, ['docker.io/library/redis:7-alpine']);
    await importImage(ci, ['docker.io/osixia/openldap:stable']);
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  test('the CI host publishes once; a second run skips; the intranet host prefetches only from Harbor and builds its names', async () => {
    const ciEnv = { ...ci.env };
    const first = await imgalias(['publish', '--harbor', harbor.harbor, '--from', '.'], { cwd: project, env: ciEnv });
    // Nothing on stderr but each push's result as it ended (the record a killed run leaves).
    expect(first.stderr.split('\n').filter((line) => line !== '').map((line) => line.replace(/ .*/, ''))).toEqual(['pushed', 'pushed']);
    expect(first.stdout).toMatch(/publish: 2 pushed, 0 skipped, 0 failed/);
    expect(first.exitCode).toBe(0);
    const second = await imgalias(['publish', '--harbor', harbor.harbor, '--from', '.'], { cwd: project, env: ciEnv });
    expect(second.stdout).toMatch(/publish: 0 pushed, 2 skipped, 0 failed/);
    expect(second.exitCode).toBe(0);

    const intranetEnv = { ...intranet.env, AI_INFRA_NETWORK_ENV: 'internal', INTERNAL_REGISTRY: harbor.harbor };
    const before = (await harbor.requests()).length;
    const dry = await imgalias(['prefetch', '--dry-run', '--json', '--from', '.'], { cwd: project, env: intranetEnv });
    expect(dry.exitCode).toBe(0);
    const plan = JSON.parse(dry.stdout) as { mode: string; entries: { candidates: { reference: string }[] }[] };
    expect(plan.mode).toBe('internal');
    expect(plan.entries.flatMap((e) => e.candidates.map((c) => c.reference)).sort()).toEqual([
      `${harbor.harbor}/osixia/openldap:stable`,
      `${harbor.harbor}/redis:7-alpine`,
    ]);

    const prefetch = await imgalias(['prefetch', '--from', '.'], { cwd: project, env: intranetEnv });
    expect(prefetch.stdout).toMatch(/prefetch: 2 pulled, 0 present, 0 failed/);
    expect(prefetch.exitCode).toBe(0);
    const seen = (await harbor.requests()).slice(before);
    expect(manifestRequests(seen).map((r) => r.path).every((p) => p.startsWith('/v2/aihpc/'))).toBe(true);

    // Same content on both hosts, under every name the project uses on the intranet host.
    for (const [origin, harborName] of [
      ['redis:7-alpine', `${harbor.harbor}/redis:7-alpine`],
      ['osixia/openldap:stable', `${harbor.harbor}/osixia/openldap:stable`],
    ] as const) {
      const id = await idOf(ci, origin);
      expect(await idOf(intranet, origin)).toBe(id);
      expect(await idOf(intranet, `localhost/${origin}`)).toBe(id);
      expect(await idOf(intranet, harborName)).toBe(id);
    }
    const check = await imgalias(['check', '--from', '.'], { cwd: project, env: intranetEnv });
    expect(check.exitCode).toBe(0);
  });
});
