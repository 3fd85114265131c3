import { writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A stand-in `docker` for tests that need an engine to behave in one exact way at one exact moment: it keeps
 * its image store as one file per name, answers the verbs `apply` uses (`image ls`, also for one name, and `tag`
 * from an image id or a name) the way docker does, and, once `blockTagsAfter` tags have succeeded, blocks every
 * further tag until it is killed (writing its pid to `blocked.pid` first, so a test can wait for that moment,
 * and `cancelled` when SIGTERM ends it, so a test can wait for the proof that it was cancelled).
 * It is a Node script run by the `node` first on PATH; it never talks to a real engine.
 */
export interface FakeDocker {
  /** Put first on PATH. */
  readonly bin: string;
  readonly dir: string;
  /** name -> image id, as the fake's store holds it now. */
  names(): Promise<Readonly<Record<string, string>>>;
  setName(name: string, id: string): Promise<void>;
  /** The same, synchronously: for a test that must change the store before the CLI's next step. */
  setNameNow(name: string, id: string): void;
  /** Every `tag` the fake was asked for, in order, as `SOURCE TARGET` (imgalias's SOURCE is the image id). */
  tags(): Promise<readonly string[]>;
}

const script = String.raw`#!/usr/bin/env node
// Each name is a file of its own (names/<encoded name> holds the image id): concurrent tag processes never
// rewrite a shared file, so the fake itself cannot lose a name the way a read-modify-write would.
const fs = require('node:fs');
const path = require('node:path');
const dir = path.dirname(__dirname);
const namesDir = path.join(dir, 'names');
const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
const idOf = (name) => { try { return fs.readFileSync(path.join(namesDir, encodeURIComponent(name)), 'utf8'); } catch { return undefined; } };
const args = process.argv.slice(2);
if (args[0] === 'image' && args[1] === 'ls') {
  // A name after the format is a one-name read (image ls ... NAME): only that name's row.
  const only = args.length > 7 ? args[args.length - 1] : undefined;
  for (const file of fs.readdirSync(namesDir)) {
    const name = decodeURIComponent(file);
    if (only !== undefined && name !== only) continue;
    const at = name.lastIndexOf(':');
    process.stdout.write(JSON.stringify({ ID: idOf(name), Repository: name.slice(0, at), Tag: name.slice(at + 1), Digest: '<none>' }) + '\n');
  }
  process.exit(0);
}
if (args[0] === 'tag') {
  fs.appendFileSync(path.join(dir, 'tags.log'), args[1] + ' ' + args[2] + '\n');
  const done = fs.readFileSync(path.join(dir, 'tags.log'), 'utf8').split('\n').filter((l) => l !== '').length - 1;
  if (config.blockTagsAfter !== undefined && done >= config.blockTagsAfter) {
    // Record the signal that ends the block: the proof that the caller cancelled this process.
    process.on('SIGTERM', () => {
      fs.writeFileSync(path.join(dir, 'cancelled'), 'SIGTERM');
      process.exit(143);
    });
    fs.writeFileSync(path.join(dir, 'blocked.pid'), String(process.pid));
    setInterval(() => undefined, 1 << 30);
    return;
  }
  // The source is an image id (sha256: and 64 hex digits, as imgalias passes it) or a name.
  const id = /^sha256:[0-9a-f]{64}$/.test(args[1])
    ? fs.readdirSync(namesDir).map((file) => idOf(decodeURIComponent(file))).find((held) => held === args[1] || 'sha256:' + held === args[1])
    : idOf(args[1]);
  if (id === undefined) { process.stderr.write('Error response from daemon: No such image: ' + args[1] + '\n'); process.exit(1); }
  fs.writeFileSync(path.join(namesDir, encodeURIComponent(args[2])), id);
  process.exit(0);
}
process.stderr.write('fake docker: unexpected arguments: ' + args.join(' ') + '\n');
process.exit(125);
`;

export async function createFakeDocker(
  dir: string,
  options: { readonly names: Readonly<Record<string, string>>; readonly blockTagsAfter?: number },
): Promise<FakeDocker> {
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const namesDir = path.join(dir, 'names');
  await mkdir(namesDir, { recursive: true });
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({ blockTagsAfter: options.blockTagsAfter }));
  for (const [name, id] of Object.entries(options.names)) await writeFile(path.join(namesDir, encodeURIComponent(name)), id);
  await writeFile(path.join(dir, 'tags.log'), '');
  // The script is CommonJS; say so, whatever package.json may be above the temp directory.
  await writeFile(path.join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  await writeFile(path.join(bin, 'docker'), script);
  await chmod(path.join(bin, 'docker'), 0o755);
  return {
    bin,
    dir,
    names: async () =>
      Object.fromEntries(await Promise.all((await readdir(namesDir)).map(async (file) => [decodeURIComponent(file), await readFile(path.join(namesDir, file), 'utf8')] as const))),
    setName: (name, id) => writeFile(path.join(namesDir, encodeURIComponent(name)), id),
    setNameNow: (name, id) => writeFileSync(path.join(namesDir, encodeURIComponent(name)), id),
    tags: async () => (await readFile(path.join(dir, 'tags.log'), 'utf8')).split('\n').filter((line) => line !== ''),
  };
}

/** A fake `docker` under `cwd`, and the environment an imgalias run needs to reach only it. */
export interface FakeDockerHost {
  readonly fake: FakeDocker;
  /** The fake first on PATH, a private HOME and XDG_RUNTIME_DIR (the apply lock's directory), a DOCKER_HOST under `cwd`. */
  readonly env: Record<string, string>;
  readonly cwd: string;
}

/** `createFakeDocker` in `cwd/engine`, with the environment that reaches it and nothing of this machine's. */
export async function fakeDockerHost(cwd: string, options: Parameters<typeof createFakeDocker>[1]): Promise<FakeDockerHost> {
  const fake = await createFakeDocker(path.join(cwd, 'engine'), options);
  const runtime = path.join(cwd, 'runtime');
  await mkdir(runtime, { mode: 0o700 });
  return { fake, cwd, env: { PATH: `${fake.bin}:${process.env['PATH'] ?? ''}`, HOME: cwd, XDG_RUNTIME_DIR: runtime, DOCKER_HOST: `unix://${cwd}/fake.sock` } };
}
