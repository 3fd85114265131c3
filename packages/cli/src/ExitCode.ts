/**
 * The process exit codes every `imgalias` command uses. They are a public interface: CI scripts branch on them,
 * and `--help` and docs/cli.md list them.
 *
 * - `ok` (0): success; for `check`, every family is complete and consistent.
 * - `findings` (1): the command ran, but found missing images, conflicts, failed or refused actions, incomplete
 *   families, or project files naming images that could not be resolved.
 * - `usage` (2): a usage, configuration or input error; nothing was changed.
 * - `engine` (3): the container engine is missing or unreachable.
 * - `sigint` (130), `sigterm` (143): a command that changes something (`apply`, `fix`, `prefetch`, `publish`,
 *   `clean --apply`, `sync`) was interrupted and printed what it had done (128 + the signal's number, as a shell
 *   reports a process the signal ended).
 */
export const ExitCode = { ok: 0, findings: 1, usage: 2, engine: 3, sigint: 130, sigterm: 143 } as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The block `--help` ends with; docs/cli.md embeds it through the help text. */
export const exitCodeHelp = [
  'Exit codes:',
  '  0    success; for check: every family is complete and consistent',
  '  1    findings: missing images, conflicts, failed or refused actions, incomplete families, or',
  '       project files naming images that could not be resolved; names another process changed',
  '       meanwhile; an engine slower than --timeout, or another imgalias holding the apply lock past',
  '       --lock-timeout',
  '  2    usage, configuration or input error (nothing was changed)',
  '  3    the container engine is missing or unreachable',
  '  130  interrupted (143: terminated) during apply, fix, prefetch, publish, clean --apply or sync;',
  '       the report says what was done, what was cancelled and what did not run: rerun to finish',
].join('\n');
