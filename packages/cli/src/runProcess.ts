import { printable } from '@imgalias/core';
import { run } from './main.js';

// With bin.ts, the only place that touches process.argv, process.exit and the real streams: everything else is
// a function of its io, so tests run the same code in-process.

/** Runs `imgalias` as this process: its arguments, streams, environment and exit code. */
export function runProcess(): void {
  // `imgalias plan | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }

  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      // Not process.exit(): pending output to a pipe must be flushed first.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(printable(`imgalias: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, { lines: true }));
      process.stderr.write('This is a bug in imgalias; please report it with the command you ran.\n');
      // Outside 0-3 on purpose: a crash must not read as "findings" (1) to a calling script.
      process.exitCode = 70;
    },
  );
}
