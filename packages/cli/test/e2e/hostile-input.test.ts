import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { binPath, deadDockerHost, ensureBuilt, tempDir } from './support/cli.js';

beforeAll(ensureBuilt, 600_000);

/**
 * Hostile input must fail fast with exit 2 and a message that names the file: never hang (a FIFO), never grow
 * without bound (/dev/zero, a 50 MB line), never exit 70. Each run gets a hard deadline far above a normal
 * run's time, so a hang fails the test instead of stalling the suite.
 */
const deadlineMs = 20_000;

async function sandbox(files: Readonly<Record<string, string>> = {}) {
  const dir = await tempDir();
  const emptyBin = path.join(dir, 'empty-bin');
  await mkdir(emptyBin);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return { dir, env: { PATH: emptyBin, DOCKER_HOST: deadDockerHost(dir), HOME: dir, NO_COLOR: '1' } };
}

async function run(args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string>> }) {
  const result = await execa(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    timeout: deadlineMs,
    maxBuffer: 1024 * 1024,
  });
  return {
    exitCode: result.exitCode ?? -1,
    timedOut: result.timedOut,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

const mkfifo = async (file: string): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  await execa('mkfifo', [file]);
};

describe('FIFOs are refused, never read', () => {
  test('a FIFO .env: even `imgalias mode` exits 2 at once, naming the file', async () => {
    const { dir, env } = await sandbox();
    await mkfifo(path.join(dir, '.env'));
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.env');
    expect(result.stderr).toContain('FIFO');
  }, 60_000);

  test('a FIFO config file, found by the search or named by --config', async () => {
    const { dir, env } = await sandbox();
    await mkfifo(path.join(dir, 'imgalias.config.json'));
    const searched = await run(['mode'], { cwd: dir, env });
    expect(searched.timedOut).toBe(false);
    expect(searched.exitCode).toBe(2);
    expect(searched.stderr).toContain('imgalias.config.json');
    expect(searched.stderr).toContain('FIFO');
    await mkfifo(path.join(dir, 'elsewhere', 'named.yaml'));
    const named = await run(['mode', '--config', 'elsewhere/named.yaml'], { cwd: dir, env });
    expect(named.timedOut).toBe(false);
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain('named.yaml');
    expect(named.stderr).toContain('FIFO');
  }, 60_000);

  test('a FIFO compose .env next to a compose file', async () => {
    const { dir, env } = await sandbox({ 'app/compose.yaml': 'services:\n  cache:\n    image: redis:${TAG:-7}\n' });
    await mkfifo(path.join(dir, 'app', '.env'));
    const result = await run(['scan', 'app'], { cwd: dir, env });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('app/.env: not read: is a FIFO');
  }, 60_000);

  test('a FIFO compose .env stops the registry commands too, before any registry is asked', async () => {
    const { dir, env } = await sandbox({ 'app/compose.yaml': 'services:\n  cache:\n    image: redis:${TAG:-7}\n' });
    await mkfifo(path.join(dir, 'app', '.env'));
    for (const args of [['sync', '--dry-run'], ['check', '--registry']]) {
      const result = await run([...args, '--from', 'app', '--harbor', '127.0.0.1:9/proj'], { cwd: dir, env });
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('app/.env: not read: is a FIFO');
    }
  }, 60_000);

  test('a FIFO --snapshot file', async () => {
    const { dir, env } = await sandbox();
    await mkfifo(path.join(dir, 'snapshot.json'));
    const result = await run(['plan', '--snapshot', 'snapshot.json', 'redis:7'], { cwd: dir, env });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('snapshot.json');
    expect(result.stderr).toContain('FIFO');
  }, 60_000);
});

describe('size limits', () => {
  test('a config file that is a symlink to /dev/zero fails at once', async () => {
    const { dir, env } = await sandbox();
    await symlink('/dev/zero', path.join(dir, 'imgalias.config.yaml'));
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('imgalias.config.yaml');
    expect(result.stderr).toContain('character device');
  }, 60_000);

  test('a config file over the size limit is refused, naming the limit', async () => {
    const { dir, env } = await sandbox({ 'imgalias.config.yaml': `# ${'x'.repeat(5 * 1024 * 1024)}\nmode: external\n` });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('larger than 4 MiB');
  }, 60_000);

  test('a 50 MB FROM line is refused quickly, and the message does not echo it', async () => {
    const { dir, env } = await sandbox({ 'Dockerfile': `FROM ${'a'.repeat(50 * 1024 * 1024)}\n` });
    const result = await run(['scan', '.'], { cwd: dir, env });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Dockerfile: not read: is larger than 4 MiB');
    expect(result.stderr.length).toBeLessThan(2000);
  }, 60_000);

  test('a FROM line over the line limit (in a file under the size limit) is refused without echoing it', async () => {
    const { dir, env } = await sandbox({ 'Dockerfile': `FROM redis:7\nFROM ${'b'.repeat(300 * 1024)}\n` });
    const result = await run(['scan', '.'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Dockerfile: not read: line 2 is longer than 256 KiB');
    expect(result.stderr.length).toBeLessThan(2000);
  }, 60_000);
});

describe('duplicate keys in a YAML config file', () => {
  test('are an error naming the key, exit 2', async () => {
    const { dir, env } = await sandbox({ 'imgalias.config.yaml': 'mode: internal\nbuildArgs:\n  TAG: "1"\n  TAG: "2"\n' });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not valid YAML: Map keys must be unique ("TAG" twice)');
  }, 60_000);
});

describe('config keys that name Object.prototype members', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s is an unknown key, exit 2', async (key) => {
    const { dir, env } = await sandbox({ 'imgalias.config.json': `{"${key}": {"mode": "internal"}}` });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${key}: unknown key`);
    expect(result.stderr).not.toContain('is not a function');
  }, 60_000);

  test('in YAML and in nested objects too', async () => {
    const { dir, env } = await sandbox({ 'imgalias.config.yaml': 'probes:\n  constructor: 1\nprefetch:\n  __proto__: 2\n' });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('probes.constructor: unknown key');
    expect(result.stderr).toContain('prefetch.__proto__: unknown key');
  }, 60_000);
});

const ESC = '\u001b';
const BEL = '\u0007';
// ESC and BEL (C0), and CSI as one C1 character, which JSON.stringify leaves raw.
const hostile = `${ESC}]0;pwned${BEL}${ESC}[2J\u009b1m`;
/** Anything that can steer a terminal: C0 but newline, DEL, C1. */
// eslint-disable-next-line no-control-regex
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminal control characters are printed escaped', () => {
  test('from .env: an invalid mode value', async () => {
    const { dir, env } = await sandbox({ '.env': `IMGALIAS_MODE=ext${hostile}ernal\n` });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('invalid IMGALIAS_MODE "ext\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1mernal"');
    expect(result.stderr).not.toMatch(rawControl);
  }, 60_000);

  test('from a Dockerfile: FROM lines and file names, in scan text and on stderr', async () => {
    const { dir, env } = await sandbox({ [`Dockerfile.${hostile.replace(/\//g, '')}`]: `FROM redis:7${hostile}\nFROM \u009b31mx\n` });
    const scan = await run(['scan', '.'], { cwd: dir, env });
    expect(scan.exitCode).toBe(1);
    expect(scan.stdout).toContain('redis:7\\x1b]0;pwned\\x07\\x1b[2J\\u009b1m');
    expect(scan.stdout).toContain('\\u009b31mx');
    expect(scan.stdout).toContain('Dockerfile.\\x1b]0;pwned\\x07\\x1b[2J');
    expect(scan.stdout).not.toMatch(rawControl);
    const plan = await run(['plan', '--snapshot', 'none.json', '--from', '.'], { cwd: dir, env });
    expect(plan.stderr).toContain('redis:7\\x1b]0;pwned');
    expect(plan.stderr).not.toMatch(rawControl);
    // JSON output is escaped by JSON itself, and stays the data.
    const json = await run(['scan', '.', '--json'], { cwd: dir, env });
    expect(json.stdout).not.toMatch(rawControl);
    const parsed = JSON.parse(json.stdout) as { findings: { text?: string }[] };
    expect(parsed.findings.map((f) => f.text)).toContain(`redis:7${hostile}`);
  }, 60_000);

  test('from an image argument', async () => {
    const { dir, env } = await sandbox();
    const result = await run(['plan', '--snapshot', 'none.json', `redis:7${hostile}`], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('invalid image "redis:7\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1m"');
    expect(result.stderr).not.toMatch(rawControl);
  }, 60_000);

  test('from an unknown option commander echoes', async () => {
    const { dir, env } = await sandbox();
    const result = await run(['plan', `--${hostile}`], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('\\x1b]0;pwned');
    expect(result.stderr).not.toMatch(rawControl);
  }, 60_000);
});

describe('bad values are echoed bounded', () => {
  test('a 3 MB invalid mode in the config file', async () => {
    const { dir, env } = await sandbox({ 'imgalias.config.json': JSON.stringify({ mode: 'x'.repeat(3 * 1024 * 1024) }) });
    const result = await run(['mode'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('more characters');
    expect(result.stderr.length).toBeLessThan(2000);
  }, 60_000);

  test('a 200 KiB FROM line (under the line limit) that is not an image', async () => {
    const { dir, env } = await sandbox({ 'Dockerfile': `FROM ${'A'.repeat(200 * 1024)}\n` });
    const result = await run(['scan', '.'], { cwd: dir, env });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('more characters');
    expect(result.stdout.length).toBeLessThan(2000);
  }, 60_000);

  test('a snapshot nested 200k deep is a clear exit 2 with a bounded message', async () => {
    const depth = 200_000;
    const { dir, env } = await sandbox({ 'deep.json': `{"version":1,"images":${'['.repeat(depth)}${']'.repeat(depth)}}` });
    const result = await run(['plan', '--snapshot', 'deep.json', 'redis:7'], { cwd: dir, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('snapshot file');
    expect(result.stderr).toContain('images[0]: expected');
    expect(result.stderr.length).toBeLessThan(2000);
  }, 60_000);
});
