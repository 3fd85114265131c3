import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A stand-in `docker` for tests that need an engine to behave in one exact way at one exact moment: it keeps
 * its image store in a JSON file, answers the verbs `apply` uses (`image ls`, also for one name, and `tag`) the
 * way docker does, and, once `blockTagsAfter` tags have succeeded, blocks every further tag until it is killed
 * (writing its pid to `blocked.pid` first, so a test can wait for that moment, and `cancelled` when SIGTERM
 * ends it, so a test can wait for the proof that it was cancelled).
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
  /** Every `tag` the fake was asked for, in order, as `SOURCE TARGET`. */
  tags(): Promise<readonly string[]>;
}

const script = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = path.dirname(__dirname);
const stateFile = path.join(dir, 'state.json');
const read = () => JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const write = (state) => {
  fs.writeFileSync(stateFile + '.tmp', JSON.stringify(state));
  fs.renameSync(stateFile + '.tmp', stateFile);
};
const args = process.argv.slice(2);
const state = read();
if (args[0] === 'image' && args[1] === 'ls') {
  // A name after the format is a one-name read (\`image ls ... NAME\`): only that name's row.
  const only = args.length > 7 ? args[args.length - 1] : undefined;
  for (const [name, id] of Object.entries(state.names)) {
    if (only !== undefined && name !== only) continue;
    const at = name.lastIndexOf(':');
    process.stdout.write(JSON.stringify({ ID: id, Repository: name.slice(0, at), Tag: name.slice(at + 1), Digest: '<none>' }) + '\n');
  }
  process.exit(0);
}
if (args[0] === 'tag') {
  fs.appendFileSync(path.join(dir, 'tags.log'), args[1] + ' ' + args[2] + '\n');
  if (state.blockTagsAfter !== undefined && state.tagged >= state.blockTagsAfter) {
    // Record the signal that ends the block: the proof that the caller cancelled this process.
    process.on('SIGTERM', () => {
      fs.writeFileSync(path.join(dir, 'cancelled'), 'SIGTERM');
      process.exit(143);
    });
    fs.writeFileSync(path.join(dir, 'blocked.pid'), String(process.pid));
    setInterval(() => undefined, 1 << 30);
    return;
  }
  const id = state.names[args[1]];
  if (id === undefined) { process.stderr.write('Error response from daemon: No such image: ' + args[1] + '\n'); process.exit(1); }
  state.names[args[2]] = id;
  state.tagged += 1;
  write(state);
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
  const stateFile = path.join(dir, 'state.json');
  await writeFile(stateFile, JSON.stringify({ names: options.names, tagged: 0, blockTagsAfter: options.blockTagsAfter }));
  await writeFile(path.join(dir, 'tags.log'), '');
  // The script is CommonJS; say so, whatever package.json may be above the temp directory.
  await writeFile(path.join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  await writeFile(path.join(bin, 'docker'), script);
  await chmod(path.join(bin, 'docker'), 0o755);
  const state = async (): Promise<{ names: Record<string, string> }> => JSON.parse(await readFile(stateFile, 'utf8')) as { names: Record<string, string> };
  return {
    bin,
    dir,
    names: async () => (await state()).names,
    setName: async (name, id) => {
      const current = JSON.parse(await readFile(stateFile, 'utf8')) as { names: Record<string, string> };
      current.names[name] = id;
      await writeFile(stateFile, JSON.stringify(current));
    },
    setNameNow: (name, id) => {
      const current = JSON.parse(readFileSync(stateFile, 'utf8')) as { names: Record<string, string> };
      current.names[name] = id;
      writeFileSync(stateFile, JSON.stringify(current));
    },
    tags: async () => (await readFile(path.join(dir, 'tags.log'), 'utf8')).split('\n').filter((line) => line !== ''),
  };
}
