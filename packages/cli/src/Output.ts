import { printable } from '@imgalias/core/internal';

/** A stream the CLI writes to. `process.stdout` is one; tests pass their own. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Where a command's words go. Results (plans, reports, JSON) go to stdout so they can be piped; notes for a
 * human go to stderr and disappear with `--quiet`; errors always go to stderr.
 */
export interface Output {
  /** stdout is a terminal: progress displays and colour are allowed. */
  readonly interactive: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  /** The command's result. Never suppressed. */
  print(text: string): void;
  /** Something a human wants to know that is not the result (hints, "nothing was changed"). Hidden by --quiet. */
  note(text: string): void;
  /** What failed and what to do. Never suppressed. */
  error(text: string): void;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

export function createOutput(options: {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly color: boolean;
  readonly quiet: boolean;
}): Output {
  const { stdout, stderr, color, quiet } = options;
  return {
    interactive: stdout.isTTY === true,
    color,
    quiet,
    // The last line of defence: values are escaped where they are put into text, and whatever still holds a
    // control character (an engine's stderr, a path) is escaped here, keeping newlines and our own colours. JSON
    // is unchanged: it holds no raw control character but the newline, and the \uNNNN escapes stay valid JSON.
    print: (text) => void stdout.write(withNewline(printable(text, { lines: true }))),
    note: (text) => {
      if (!quiet) stderr.write(withNewline(printable(text, { lines: true })));
    },
    error: (text) => void stderr.write(withNewline(printable(text, { lines: true }))),
  };
}
