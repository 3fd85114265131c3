import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { deadDockerHost, ensureBuilt, fixturesDir, imgalias, tempDir } from './support/cli.js';

// "Unreachable" needs the docker CLI itself (and no daemon); CI installs it, so there it must not be skipped.
const dockerCli = (await execa('docker', ['--version'], { reject: false })).exitCode === 0 || process.env['CI'] === 'true';

beforeAll(ensureBuilt, 600_000);

/**
 * A working directory with the given files and an environment in which no engine can be reached: PATH is an
 * empty directory (node itself is run by absolute path) and DOCKER_HOST names a socket nobody listens on.
 */
async function sandbox(files: Readonly<Record<string, string>> = {}) {
  const dir = await tempDir();
  const emptyBin = path.join(dir, 'empty-bin');
  await mkdir(emptyBin);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return { dir, env: { PATH: emptyBin, DOCKER_HOST: deadDockerHost(dir) } };
}

const completeSnapshot = JSON.stringify({
  version: 1,
  images: [{ id: `sha256:${'a'.repeat(64)}`, names: ['redis:7-alpine', 'localhost/redis:7-alpine'] }],
});

describe('exit codes of the built binary', () => {
  test('0: plan and check against a complete snapshot', async () => {
    const { dir, env } = await sandbox({ 'snapshot.json': completeSnapshot });
    const plan = await imgalias(['plan', '--snapshot', 'snapshot.json', 'redis:7-alpine'], { cwd: dir, env });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toMatch(/^nothing to do$/m);
    expect(plan.stdout).toMatch(/^0 to tag, 0 conflicts, 0 missing$/m);
    const check = await imgalias(['check', '--snapshot', 'snapshot.json'], { cwd: dir, env });
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toMatch(/^1 complete, 0 incomplete, 0 conflicts, 0 missing$/m);
  }, 60_000);

  test('1: check finds an incomplete family; plan finds a missing image and says what to pull', async () => {
    const { dir, env } = await sandbox({ 'snapshot.json': completeSnapshot });
    const check = await imgalias(['check', '--snapshot', 'snapshot.json', 'redis:7-alpine', 'minio/minio:latest'], { cwd: dir, env });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/^missing\s+minio\/minio:latest$/m);
    const plan = await imgalias(['plan', '--snapshot', 'snapshot.json', 'minio/minio:latest'], { cwd: dir, env });
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain('minio/minio:latest is not in the store: pull it (docker pull minio/minio:latest) or run `imgalias prefetch minio/minio:latest`');
  }, 60_000);

  test('2: a config file with bad values lists every bad path and changes nothing', async () => {
    const { dir, env } = await sandbox({
      'imgalias.config.json': JSON.stringify({ mode: 'intranet', concurrency: 0, harborLayout: 'flat', colour: true }),
    });
    const result = await imgalias(['check'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    for (const pathInFile of ['mode', 'concurrency', 'harborLayout', 'colour']) expect(result.stderr).toContain(pathInFile);
    // The engine is never asked: with no engine reachable, reaching it would have been exit 3.
    expect(result.stderr).not.toContain('not reachable');
  }, 60_000);

  test('2: a config file that does not parse, and a --config file that does not exist', async () => {
    const { dir, env } = await sandbox({ 'imgalias.config.yaml': 'mode: [external\n' });
    const broken = await imgalias(['mode'], { cwd: dir, env });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain('imgalias.config.yaml');
    const absent = await imgalias(['mode', '--config', 'nope.json'], { cwd: dir, env });
    expect(absent.exitCode).toBe(2);
    expect(absent.stderr).toContain('nope.json');
  }, 60_000);

  test.each([
    [['plan', 'Redis:7'], 'repository name must be lowercase'],
    [['check', 'redis:7; rm -rf /'], 'invalid image "redis:7; rm -rf /"'],
    [['apply', '--mode', 'offline'], "argument 'offline' is invalid"],
    [['plan', '--snapshot', 'missing.json'], 'cannot read snapshot file'],
    [['plan', '--from', 'no-such-dir'], 'no such file or directory to scan: no-such-dir'],
    [['check', '--format', 'shell'], "argument 'shell' is invalid"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('2: %j', async (args, message) => {
    const { dir, env } = await sandbox();
    const result = await imgalias(args, { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
  }, 60_000);

  test('2: a snapshot file that is not a snapshot lists the bad paths', async () => {
    const { dir, env } = await sandbox({ 'snapshot.json': JSON.stringify({ version: 1, images: [{ id: 7, names: 'redis' }] }) });
    const result = await imgalias(['plan', '--snapshot', 'snapshot.json'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('images[0].id');
    expect(result.stderr).toContain('images[0].names');
  }, 60_000);

  (dockerCli ? test : test.skip)('3: the docker daemon is not reachable: the adapter says so, with a hint', async () => {
    const { dir } = await sandbox();
    // The docker CLI is on PATH here, but DOCKER_HOST points at a socket nobody listens on.
    const result = await imgalias(['check'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir) } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('docker engine is not reachable');
    expect(result.stderr).toContain('DOCKER_HOST');
  }, 60_000);

  test('3: the engine program is missing', async () => {
    const { dir, env } = await sandbox();
    for (const engine of ['docker', 'podman', 'nerdctl']) {
      const result = await imgalias(['fix', '--engine', engine], { cwd: dir, env });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(`the program \`${engine}\` was not found`);
    }
  }, 60_000);

  test('invalid image arguments are refused before the engine is asked (exit 2, not 3)', async () => {
    const { dir, env } = await sandbox();
    const result = await imgalias(['apply', 'redis:7', 'Redis:7', 'redis:7; rm -rf /'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('invalid image "Redis:7"');
    expect(result.stderr).toContain('invalid image "redis:7; rm -rf /"');
    expect(result.stderr).toContain('no engine was called');
  }, 60_000);

  test('scan of the fixture project exits 0 and prints discover\'s JSON shape', async () => {
    const { env } = await sandbox();
    const result = await imgalias(['scan', 'project', '--json'], { cwd: fixturesDir, env });
    expect(result.exitCode).toBe(0);
    const scan = JSON.parse(result.stdout) as { images: { reference: string; sources: { file: string; line: number }[] }[]; findings: { _tag: string }[] };
    expect(scan.images.map((image) => image.reference)).toContain('docker.io/library/redis:7.2-alpine');
    expect(scan.images.find((image) => image.reference === 'docker.io/osixia/openldap:1.5.0')?.sources).toEqual([
      { file: 'project/docker/ldap/Dockerfile', line: 2 },
    ]);
    expect(scan.findings.every((finding) => finding._tag === 'BuiltImage')).toBe(true);
  }, 60_000);
});
