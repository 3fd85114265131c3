import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { CliIO, Interrupt } from '../../src/commands/Command.js';
import { run } from '../../src/main.js';
import { captureStream } from '../support/runInProcess.js';

export interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs `imgalias` in-process (main.ts `run`, as bin.ts does) with captured streams and the environment the test
 * gives (the engine gets it over this process's guarded one, see runInProcess.ts), and times it: the retry tests assert on how long a run took. `onStderr` sees each chunk as
 * it is written, synchronously: a fault test reacts to "attempt 1 failed" before the CLI's next step.
 */
export async function imgalias(
  argv: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly terminal?: boolean;
    readonly onStderr?: (chunk: string) => void;
    /** SIGINT/SIGTERM as the process would deliver them: see `testInterrupt`. */
    readonly interrupt?: Interrupt;
  },
): Promise<Run> {
  const stdout = captureStream(options.terminal === true);
  const captured = captureStream();
  const onStderr = options.onStderr;
  const stderr =
    onStderr === undefined
      ? captured
      : {
          ...captured,
          write: (chunk: string) => {
            const kept = captured.write(chunk);
            onStderr(chunk);
            return kept;
          },
        };
  const io: CliIO = { stdout, stderr, cwd: options.cwd, env: options.env, ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }) };
  const started = performance.now();
  const exitCode = await run(argv, io);
  return { exitCode, stdout: stdout.text(), stderr: captured.text(), ms: performance.now() - started };
}

/**
 * An interrupt a test sends itself, as runProcess.ts delivers SIGINT/SIGTERM to a command (inside `during` the
 * signal aborts the work; the command reports and exits 130/143): `send('SIGINT')` at the event the test waits
 * for, so nothing depends on timing.
 */
export function testInterrupt(): { readonly interrupt: Interrupt; send(signal: 'SIGINT' | 'SIGTERM'): void } {
  const controller = new AbortController();
  return {
    interrupt: { signal: controller.signal, during: (work) => work() },
    send: (signal) => controller.abort(signal),
  };
}

/**
 * A directory holding a `docker` (or `podman`) that appends its arguments to `calls.log`, then runs the real
 * one. Put it first on PATH and every engine process the CLI starts is on record: this is how a test proves
 * which registries a prefetch asked the engine to pull from, and how many times.
 */
export async function recordingEngine(dir: string, engine: 'docker' | 'podman', realPath: string): Promise<{ readonly bin: string; calls(): Promise<readonly string[]> }> {
  const real = execFileSync('sh', ['-c', `command -v ${engine}`], { env: { PATH: realPath }, encoding: 'utf8' }).trim();
  const bin = `${dir}/recording-bin`;
  await mkdir(bin, { recursive: true });
  const log = `${dir}/calls.log`;
  await writeFile(log, '');
  await writeFile(`${bin}/${engine}`, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  await chmod(`${bin}/${engine}`, 0o755);
  return {
    bin,
    calls: async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line !== ''),
  };
}

/** The `pull` processes among recorded calls (global flags before the verb are skipped). */
export const pullsIn = (calls: readonly string[]): readonly string[] =>
  calls.map((line) => line.split(' ').filter((word) => !word.startsWith('--'))).filter((words) => words[0] === 'pull').map((words) => words[words.length - 1] as string);

/**
 * A directory holding a `docker` (or `podman`) that plays another process writing to the store at one exact
 * moment: the first time the CLI runs the engine with the verb `on` (e.g. `ps`, which clean runs after planning
 * and before removing), it first runs each of `commands` with the real engine (argument arrays, no shell), then
 * runs what the CLI asked for. Put it first on PATH; `wrote()` says whether the moment came.
 */
export async function concurrentWriter(
  dir: string,
  engine: 'docker' | 'podman',
  realPath: string,
  options: { readonly on: string; readonly commands: readonly (readonly string[])[] },
): Promise<{ readonly bin: string; wrote(): Promise<boolean> }> {
  const real = execFileSync('sh', ['-c', `command -v ${engine}`], { env: { PATH: realPath }, encoding: 'utf8' }).trim();
  const bin = `${dir}/writer-bin`;
  await mkdir(bin, { recursive: true });
  await writeFile(`${bin}/writer.json`, JSON.stringify({ real, on: options.on, commands: options.commands }));
  // CommonJS whatever package.json may be above the directory; run by the `node` first on PATH.
  await writeFile(`${bin}/package.json`, '{ "type": "commonjs" }\n');
  await writeFile(
    `${bin}/${engine}`,
    String.raw`#!/usr/bin/env node
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'writer.json'), 'utf8'));
const args = process.argv.slice(2);
const mark = path.join(__dirname, 'wrote');
if (args.includes(config.on) && !fs.existsSync(mark)) {
  fs.writeFileSync(mark, '');
  for (const command of config.commands) execFileSync(config.real, command, { stdio: 'ignore' });
}
const ran = spawnSync(config.real, args, { stdio: 'inherit' });
process.exit(ran.status ?? 1);
`,
  );
  await chmod(`${bin}/${engine}`, 0o755);
  return {
    bin,
    wrote: () =>
      readFile(`${bin}/wrote`).then(
        () => true,
        () => false,
      ),
  };
}
