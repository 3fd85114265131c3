import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import type { CliIO } from '../../src/commands/Command.js';
import { registerClean } from '../../src/commands/clean.js';
import { registerPrefetch } from '../../src/commands/prefetch.js';
import { registerPublish } from '../../src/commands/publish.js';
import { commands, createProgram } from '../../src/main.js';
import { ExitCode } from '../../src/ExitCode.js';
import { captureStream } from '../support/runInProcess.js';

const lifecycle = [registerPrefetch, registerPublish, registerClean];
// Once main.ts lists the lifecycle commands, use its list as is (registering a command twice is an error).
const program = commands.includes(registerPrefetch) ? commands : [...commands, ...lifecycle];

export interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `imgalias` in-process with the lifecycle commands, as `run()` in main.ts does, with captured streams. */
export async function imgalias(argv: readonly string[], options: { readonly cwd: string; readonly env: Readonly<Record<string, string>> }): Promise<Run> {
  const stdout = captureStream();
  const stderr = captureStream();
  const io: CliIO = { stdout, stderr, cwd: options.cwd, env: options.env };
  const { program: cli, exitCode } = createProgram(io, program);
  const started = performance.now();
  let code: number;
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    code = exitCode();
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  return { exitCode: code, stdout: stdout.text(), stderr: stderr.text(), ms: performance.now() - started };
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
