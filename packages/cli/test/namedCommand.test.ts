import { describe, expect, test } from '@jest/globals';
import { CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { commands, createProgram } from '../src/main.js';
import { captureStream, runInProcess } from './support/runInProcess.js';

/*
 * `run` builds the program with only the command its first argument names. These compare what such a run prints
 * with what the program with all eleven commands prints for the same arguments, byte for byte, so the shortcut
 * cannot change a help text, an error or an exit code.
 */
const cwd = fileURLToPath(new URL('.', import.meta.url));

async function withEveryCommand(argv: readonly string[]) {
  const stdout = captureStream();
  const stderr = captureStream();
  const { program, exitCode } = createProgram({ stdout, stderr, env: {}, cwd });
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = exitCode();
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { exitCode: code, stdout: stdout.text(), stderr: stderr.text() };
}

const cases: readonly (readonly string[])[] = commands.flatMap((spec) => [
  [spec.name, '--help'],
  [spec.name, '--no-such-option'],
  [spec.name, '--formt', 'json'],
]);

describe('a run that names a command', () => {
  test.each(cases.map((argv) => [argv.join(' '), argv] as const))('`imgalias %s` prints what the whole program prints', async (_title, argv) => {
    const full = await withEveryCommand(argv);
    const named = await runInProcess(argv, { cwd });
    expect(named).toEqual(full);
    // Not vacuous: each case prints help or an error.
    expect(`${named.stdout}${named.stderr}`).not.toBe('');
  });
});
