import { describeFinding, describeReferenceError, parseReference } from '@imgalias/core';
import { spellReference } from '@imgalias/core/internal';
import type { EngineKind, Plan, TagAction } from '@imgalias/core';
import { FINDING_KIND, describePolicy, describeReason, printable, shortImageId } from './Labels.js';
import type { RenderHeader } from './RenderOptions.js';
import { countPlan, summarisePlan } from './Summary.js';

/**
 * One POSIX shell word that means exactly `arg`: single quotes keep every byte literal, and a quote inside is
 * closed, escaped and reopened (`'\''`). Nothing in `arg` can end the word or start a command.
 * A NUL byte cannot be passed in an argument at all, so it is refused rather than silently truncated.
 */
export const quoteShellArg = (arg: string): string => {
  if (arg.includes('\0')) throw new RangeError('a shell argument cannot contain a NUL byte');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
};

/**
 * The fixed words that start a command. They come from this table, never from input, so they are written bare
 * (`docker tag ...` reads as a reviewer expects); every word that came from a plan goes through `quoteShellArg`.
 */
const ENGINE_COMMAND: Record<EngineKind, string> = {
  docker: 'docker',
  podman: 'podman',
  nerdctl: 'nerdctl',
};

/** The verbs a rendered script gives an engine. */
export type EngineVerb = 'tag' | 'pull' | 'push' | 'image rm';

/** `docker tag`, `podman pull`, ...: the fixed words of an engine command. */
export const engineCommand = (engine: EngineKind, verb: EngineVerb): string => `${ENGINE_COMMAND[engine]} ${verb}`;

/** `<fixed words> 'arg' 'arg'`: the one way this module writes a command line. */
export const shellCommand = (fixed: string, args: readonly string[]): string =>
  [fixed, ...args.map(quoteShellArg)].join(' ');

/** A comment line. `printable` escapes newlines, so text from the plan can never end the comment. */
export const comment = (text: string): string => (text === '' ? '#' : `# ${printable(text)}`);

/**
 * A plan's name as a command argument, or why no command may carry it. Only a name that parses as a reference is
 * passed on: anything else (a hand-edited plan) could be read by the engine as an option, so it is left out.
 */
export type ShellName = { readonly _tag: 'Spelled'; readonly word: string } | { readonly _tag: 'Unfit'; readonly reason: string };

/**
 * `name` spelled in `engine`'s dialect (`podman` gets `docker.io/library/...`), when it is a reference at all;
 * with `tag: true`, only when it names a tag (the target of `tag`, what `push` uploads), never a digest.
 */
export const shellName = (name: string, engine: EngineKind, options: { readonly tag?: boolean } = {}): ShellName => {
  const parsed = parseReference(name);
  if (parsed._tag === 'Left') return { _tag: 'Unfit', reason: describeReferenceError(parsed.left) };
  if (options.tag === true && parsed.right.digest !== undefined) {
    return { _tag: 'Unfit', reason: `${JSON.stringify(name)} is a digest reference; a digest is never a tag target` };
  }
  return { _tag: 'Spelled', word: spellReference(parsed.right, engine) };
};

/**
 * The end of a script some of whose lines were left out as comments: it fails after the rest ran, as the
 * adapter would report those actions failed. Nothing when every line ran.
 */
export const notRunFooter = (skipped: number, what = 'action(s)'): string[] =>
  skipped === 0
    ? []
    : ['', `${shellCommand('echo', [`imgalias: ${skipped} ${what} not run (see the comments in this script)`])} >&2`, 'exit 1'];

/** One action as a command, or why it is left out: a name the engine adapter would not pass on never reaches sh. */
type TagLine =
  | { readonly _tag: 'Command'; readonly source: string; readonly target: string }
  | { readonly _tag: 'Skipped'; readonly reason: string };

const tagLine = (action: TagAction, engine: EngineKind): TagLine => {
  const source = shellName(action.source, engine);
  if (source._tag === 'Unfit') return { _tag: 'Skipped', reason: source.reason };
  const target = shellName(action.target, engine, { tag: true });
  if (target._tag === 'Unfit') return { _tag: 'Skipped', reason: target.reason };
  return { _tag: 'Command', source: source.word, target: target.word };
};

const actionLine = (action: TagAction, line: TagLine, engine: EngineKind): string => {
  const why = `${shortImageId(action.imageId)}, ${describeReason(action.reason, action.replaces)}`;
  return line._tag === 'Command'
    ? `${shellCommand(engineCommand(engine, 'tag'), [line.source, line.target])}  ${comment(why)}`
    : comment(`not run: ${line.reason} (${why})`);
};

/**
 * A POSIX sh script that applies the plan with one `<engine> tag` per action, names spelled in the engine's
 * dialect, every argument single-quoted. Findings are comments. An action the engine adapter would refuse
 * outright (a name that is not a reference, a digest target) is left out as a comment and makes the script
 * exit 1 after the others ran, as the adapter reports it failed.
 */
export const renderPlanShell = (
  plan: Plan,
  options: { readonly engine?: EngineKind; readonly header?: RenderHeader } = {},
): string => {
  const engine = options.engine ?? 'docker';
  const lines = plan.actions.map((action) => ({ action, line: tagLine(action, engine) }));
  const skipped = lines.filter(({ line }) => line._tag === 'Skipped').length;
  return [
    '#!/bin/sh',
    comment(`imgalias plan for ${engine}, ${plan.mode} mode: ${summarisePlan(countPlan(plan))}`),
    comment(`snapshot: ${options.header?.snapshot ?? '(not recorded)'}`),
    comment(`policy: ${options.header?.policy === undefined ? '(not recorded)' : describePolicy(options.header.policy)}`),
    comment('Review before running. Every argument is single-quoted; the script stops at the first failing command.'),
    'set -eu',
    '',
    ...(lines.length === 0 ? [comment('nothing to tag')] : lines.map(({ action, line }) => actionLine(action, line, engine))),
    ...(plan.findings.length === 0
      ? []
      : ['', comment('Findings (no command):'), ...plan.findings.map((finding) => comment(`${FINDING_KIND[finding._tag]}: ${describeFinding(finding)}`))]),
    ...notRunFooter(skipped),
    '',
  ].join('\n');
};
