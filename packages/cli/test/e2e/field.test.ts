import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import path from 'node:path';
import type { TestEngine } from '../../../../test-support/engines.js';
import { engineCli, importImage } from '../../../../test-support/engines.js';
import { deadDockerHost, ensureBuilt, fixturesDir, imgalias, tempDir } from './support/cli.js';
import { describeEachEngine, dockerAndPodman } from './support/engines.js';

const project = path.join(fixturesDir, 'project');

// The images the fixture project's Dockerfiles and compose file use, as Podman left them on the field host:
// only their `localhost/` names survived, so `docker compose up` and `FROM` lines could not find them.
const fieldImages = [
  'redis:7.2-alpine',
  'minio/minio:RELEASE.2024-01-16T16-07-38Z',
  'osixia/openldap:1.5.0',
  'osixia/phpldapadmin:0.9.0',
  'redislabs/redisinsight:1.14.0',
  'hpello/tcp-proxy:latest',
  'node:20-alpine',
];

const bareId = (id: string): string => id.replace(/^sha256:/, '');

/**
 * name -> image id, from the engine's own CLI (not from imgalias), for before/after comparisons. Names are
 * as the engine lists them: docker shows `redis:7.2-alpine`, podman `docker.io/library/redis:7.2-alpine`.
 */
async function namesInStore(engine: TestEngine): Promise<Map<string, string>> {
  const lines = (await engineCli(engine, ['image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).trim();
  return new Map(
    lines === ''
      ? []
      : lines.split('\n').map((line) => {
          const [name = '', id = ''] = line.split(' ');
          return [name, bareId(id)];
        }),
  );
}

/** How the engine lists a Docker Hub origin name. */
const listedOrigin = (engine: TestEngine, name: string): string =>
  engine.kind === 'docker' ? name : `docker.io/${name.includes('/') ? name : `library/${name}`}`;

const engines = await dockerAndPodman();

beforeAll(ensureBuilt, 600_000);

describeEachEngine(engines, 'the field scenario on a private %s', (kind, engine) => {
  const run = (args: readonly string[]) => imgalias([...args, '--engine', kind], { cwd: project, env: { ...engine.env } });
  const ids = new Map<string, string>();

  beforeAll(async () => {
    for (const name of fieldImages) ids.set(name, bareId(await importImage(engine, [`localhost/${name}`])));
    // An image nobody asked for, already complete: fix must leave it alone and count it as complete.
    await importImage(engine, [listedOrigin(engine, 'busybox:1.36'), 'localhost/busybox:1.36']);
  }, 300_000);

  test('invalid image arguments exit 2, name the problem, and change nothing', async () => {
    const before = await namesInStore(engine);
    for (const bad of ['Redis:7', 'redis:7; rm -rf /']) {
      const result = await run(['apply', bad]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`invalid image ${JSON.stringify(bad)}`);
      expect(result.stdout).toBe('');
    }
    const result = await run(['plan', 'redis:7.2-alpine', 'Redis:7']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('repository name must be lowercase');
    expect(await namesInStore(engine)).toEqual(before);
  }, 120_000);

  test('check exits 1 before fix, fix makes every family complete, check exits 0 after', async () => {
    // Without arguments, check looks at every family in the store.
    const before = await run(['check']);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toMatch(/^incomplete\s+redis:7\.2-alpine$/m);
    expect(before.stdout).toMatch(/^complete\s+busybox:1\.36$/m);
    expect(before.stdout).toMatch(/^1 complete, 7 incomplete, 0 conflicts, 0 missing$/m);

    const fixed = await run(['fix']);
    expect(fixed.stderr).not.toContain('warning');
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain('verified: every planned name now points at its planned image');
    expect(fixed.stdout).toMatch(/^7 tagged, 0 conflicts, 0 failed$/m);

    const store = await namesInStore(engine);
    for (const name of fieldImages) {
      expect(store.get(listedOrigin(engine, name))).toBe(ids.get(name));
      expect(store.get(`localhost/${name}`)).toBe(ids.get(name));
    }

    const after = await run(['check', '--from', '.', '--json']);
    expect(after.exitCode).toBe(0);
    const report = JSON.parse(after.stdout) as { families: { origin: string; status: string; members: { name: string; imageId: string | null }[] }[] };
    expect(report.families).toHaveLength(fieldImages.length);
    expect(report.families.every((family) => family.status === 'complete')).toBe(true);
    const redis = report.families.find((family) => family.origin === 'docker.io/library/redis:7.2-alpine');
    expect(redis?.members.map((member) => bareId(member.imageId ?? ''))).toEqual([ids.get('redis:7.2-alpine'), ids.get('redis:7.2-alpine')]);
  }, 300_000);

  test('a second fix has nothing to do, exits 0 and runs one engine process', async () => {
    // A `docker`/`podman` first on PATH that logs each call, then runs the engine the test started.
    const shims = await tempDir();
    const log = path.join(shims, 'calls.log');
    const real = (await execa('sh', ['-c', `command -v ${kind}`], { env: { ...process.env, ...engine.env } })).stdout.trim();
    await writeFile(path.join(shims, kind), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const pathEnv = `${shims}:${engine.env['PATH'] ?? process.env['PATH'] ?? ''}`;
    const result = await imgalias(['fix', '--engine', kind, '--transport', 'cli'], { cwd: project, env: { ...engine.env, PATH: pathEnv } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^nothing to do$/m);
    expect(result.stdout).toMatch(/^0 tagged, 0 conflicts, 0 failed$/m);
    // One `image ls` (or `images`) and nothing else: no tag, no second read.
    expect((await readFile(log, 'utf8')).trim().split('\n')).toHaveLength(1);

    // By default (`--transport auto`) docker is read through its Engine API socket: no engine process at all,
    // and `--verbose` says which transport ran. Podman, with no service socket in CONTAINER_HOST, stays on its CLI.
    await writeFile(log, '');
    const auto = await imgalias(['fix', '--engine', kind, '--verbose'], { cwd: project, env: { ...engine.env, PATH: pathEnv } });
    expect(auto.exitCode).toBe(0);
    expect(auto.stdout).toMatch(/^nothing to do$/m);
    const ran = (await readFile(log, 'utf8')).trim();
    if (kind === 'docker') {
      expect(ran).toBe('');
      expect(auto.stderr).toContain(`docker engine reached through the Docker Engine API at ${engine.env['DOCKER_HOST'] ?? ''} (--transport auto)`);
    } else {
      expect(ran.split('\n')).toHaveLength(1);
      expect(auto.stderr).toContain('podman engine reached through the podman CLI (the Engine API transport is not used: CONTAINER_HOST: not set (podman runs without a service))');
    }
  }, 120_000);

  test('snapshot prints the store as JSON that plan --snapshot reads back, with no engine', async () => {
    const saved = await run(['snapshot']);
    expect(saved.exitCode).toBe(0);
    const snapshot = JSON.parse(saved.stdout) as { version: number; images: { id: string; names: string[] }[] };
    expect(snapshot.version).toBe(1);
    const redis = snapshot.images.find((image) => bareId(image.id) === ids.get('redis:7.2-alpine'));
    expect(redis?.names).toHaveLength(2);
    expect(redis?.names).toContain('localhost/redis:7.2-alpine');

    const dir = await tempDir();
    await writeFile(path.join(dir, 'snapshot.json'), saved.stdout);
    const planned = await imgalias(['plan', '--snapshot', 'snapshot.json', '--json'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir) } });
    expect(planned.exitCode).toBe(0);
    expect(JSON.parse(planned.stdout)).toEqual({ version: 1, mode: 'external', actions: [], findings: [] });
  }, 120_000);
});

if (engines.length === 0) test.skip('the field scenario: no engine could start here (see the warnings above)', () => undefined);

const privateDocker = engines.find((engine): engine is Extract<TestEngine, { kind: 'docker' }> => engine.kind === 'docker');
(privateDocker === undefined ? describe.skip : describe)('--host and --context name the daemon (a private docker)', () => {
  test('they reach the daemon the environment does not name, through either transport; together they are refused', async () => {
    const docker = privateDocker!;
    const dir = await tempDir();
    const id = bareId(await importImage(docker, ['localhost/named-by-flag:1']));
    await engineCli(docker, ['context', 'create', 'imgalias-e2e', '--docker', `host=${docker.host}`]);
    // DOCKER_HOST names nobody: only the flag can lead to the private daemon.
    const env = { DOCKER_HOST: deadDockerHost(dir), DOCKER_CONFIG: docker.env['DOCKER_CONFIG'] ?? '' };
    const unnamed = await imgalias(['snapshot'], { cwd: dir, env });
    expect(unnamed.exitCode).toBe(3);
    expect(unnamed.stderr).toContain(deadDockerHost(dir).replace('unix://', ''));
    for (const transport of ['cli', 'api']) {
      for (const flag of [['--host', docker.host], ['--context', 'imgalias-e2e']]) {
        const result = await imgalias(['snapshot', ...flag, '--transport', transport], { cwd: dir, env });
        expect({ flag: flag[0], transport, exitCode: result.exitCode, stderr: result.stderr }).toEqual({ flag: flag[0], transport, exitCode: 0, stderr: '' });
        expect(result.stdout).toContain(id);
        expect(result.stdout).toContain('named-by-flag');
      }
    }
    const both = await imgalias(['snapshot', '--host', docker.host, '--context', 'imgalias-e2e'], { cwd: dir, env });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('are both set');
    const podman = await imgalias(['snapshot', '--engine', 'podman', '--context', 'imgalias-e2e'], { cwd: dir, env });
    expect(podman.exitCode).toBe(2);
    expect(podman.stderr).toContain('podman has no contexts');
  }, 180_000);
});
