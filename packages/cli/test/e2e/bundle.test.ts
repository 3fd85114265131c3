import { beforeAll, describe, expect, test } from '@jest/globals';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { binPath, ensureBuilt, tempDir } from './support/cli.js';

beforeAll(ensureBuilt, 600_000);

const distDir = path.dirname(binPath);

/** A copy of the built program (bin.js and its chunks) in a temp directory with no node_modules above it. */
async function copyOfBin(): Promise<string> {
  const dir = await tempDir();
  await cp(path.join(distDir, 'bin.js'), path.join(dir, 'bin.js'));
  await cp(path.join(distDir, 'chunks'), path.join(dir, 'chunks'), { recursive: true });
  return dir;
}

const run = (dir: string, args: readonly string[]) =>
  execa(process.execPath, [path.join(dir, 'bin.js'), ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' },
    extendEnv: false,
    reject: false,
  });

describe('the bundled bin', () => {
  test('is self-contained: a copy without node_modules plans from a snapshot', async () => {
    const dir = await copyOfBin();
    const snapshot = {
      version: 1,
      images: [{ id: `sha256:${'a'.repeat(64)}`, names: ['localhost/redis:7-alpine'] }],
    };
    await writeFile(path.join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const result = await run(dir, ['plan', '--snapshot', 'snapshot.json', '--format', 'json', 'redis:7-alpine']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(String(result.stdout)) as { actions: readonly { target: string }[] };
    expect(plan.actions.map((action) => action.target)).toEqual(['docker.io/library/redis:7-alpine']);
  });

  test('--version alone is answered before the program loads, with the line commander prints for it', async () => {
    const dir = await copyOfBin();
    // Through commander (two arguments are not the shortcut): the line to match.
    const viaCommander = await run(dir, ['-V', '--version']);
    expect(viaCommander.exitCode).toBe(0);
    expect(String(viaCommander.stdout)).toMatch(/^\d+\.\d+\.\d+\S*$/);
    // Keep only the chunks bin.js imports statically: the program, commander and every command are gone.
    const bin = await readFile(path.join(dir, 'bin.js'), 'utf8');
    const kept = new Set([...bin.matchAll(/^import [^;]*?"\.\/chunks\/([^"]+)";?$/gms)].map((match) => match[1]));
    for (const name of await readdir(path.join(dir, 'chunks'))) {
      if (!kept.has(name)) await rm(path.join(dir, 'chunks', name));
    }
    expect((await readdir(path.join(dir, 'chunks'))).length).toBeLessThanOrEqual(3);
    for (const flag of ['--version', '-V']) {
      const shortcut = await run(dir, [flag]);
      expect(shortcut.exitCode).toBe(0);
      expect(shortcut.stderr).toBe('');
      expect(shortcut.stdout).toBe(viaCommander.stdout);
    }
    // Anything else needs the program, so the chunks deleted above were real.
    expect((await run(dir, ['--help'])).exitCode).not.toBe(0);
  });

  test('plan, check and apply from image names load none of yaml, dockerfile-ast, smol-toml, listr2 or execa; a YAML config file loads yaml', async () => {
    const dir = await copyOfBin();
    // Every chunk holding the YAML, Dockerfile or TOML parser, listr2 or execa goes: only reading such a file, a
    // progress display on a terminal or running the engine's CLI may need them.
    const parsers = /node_modules\/\.pnpm\/(yaml|dockerfile-ast|smol-toml|listr2|execa)@/;
    let removed = 0;
    for (const name of await readdir(path.join(dir, 'chunks'))) {
      const file = path.join(dir, 'chunks', name);
      if (name.endsWith('.js') && parsers.test(await readFile(file, 'utf8'))) {
        await rm(file);
        removed += 1;
      }
    }
    expect(removed).toBeGreaterThanOrEqual(5);
    const snapshot = { version: 1, images: [{ id: `sha256:${'a'.repeat(64)}`, names: ['localhost/redis:7-alpine'] }] };
    await writeFile(path.join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    await writeFile(path.join(dir, 'imgalias.config.json'), JSON.stringify({ mode: 'internal', harbor: 'harbor.corp.local/proj' }));
    for (const [command, exitCode] of [['plan', 0], ['check', 1], ['apply', 0]] as const) {
      const result = await run(dir, [command, '--snapshot', 'snapshot.json', 'redis:7-alpine']);
      expect(result.stderr).not.toContain('internal error');
      expect(result.exitCode).toBe(exitCode);
    }
    // A YAML config file does need the parser: the chunks removed above were the real ones.
    await rm(path.join(dir, 'imgalias.config.json'));
    await writeFile(path.join(dir, 'imgalias.config.yaml'), 'mode: internal\n');
    expect((await run(dir, ['plan', '--snapshot', 'snapshot.json', 'redis:7-alpine'])).exitCode).toBe(70);
  });

  test('--version and --help load none of listr2, execa or the YAML, TOML and Dockerfile parsers', async () => {
    const dir = await copyOfBin();
    // Remove every chunk that holds one of the lazily loaded modules: start-up must not need any of them.
    const lazy = /node_modules\/\.pnpm\/(listr2|execa|yaml|smol-toml|dockerfile-ast)@/;
    let removed = 0;
    for (const name of await readdir(path.join(dir, 'chunks'))) {
      const file = path.join(dir, 'chunks', name);
      if (name.endsWith('.js') && lazy.test(await readFile(file, 'utf8'))) {
        await rm(file);
        removed += 1;
      }
    }
    expect(removed).toBeGreaterThanOrEqual(5);
    const version = await run(dir, ['--version']);
    expect(version.exitCode).toBe(0);
    expect(String(version.stdout)).toMatch(/^\d+\.\d+\.\d+/);
    const help = await run(dir, ['apply', '--help']);
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toMatch(/^Usage: imgalias apply/m);
    expect((await run(dir, ['--help'])).exitCode).toBe(0);
    // A command that reads a YAML config file does need its chunk: the check above is not vacuous.
    await writeFile(path.join(dir, 'imgalias.config.yaml'), 'mode: internal\n');
    const plan = await run(dir, ['plan', '--snapshot', 'none.json', 'redis:7-alpine']);
    expect(plan.exitCode).toBe(70);
  });
});
