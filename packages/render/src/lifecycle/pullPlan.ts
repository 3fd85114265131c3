import { PullPlanCodec, describePullFinding } from '@imgalias/core';
import { pullsOf } from '@imgalias/core/internal';
import type { EngineKind, PullCandidate, PullEntry, PullPlan } from '@imgalias/core';
import { familiarLabel, printable, shortImageId } from '../Labels.js';
import { codeSpan, escapeMarkdown, table } from '../markdown.js';
import type { RenderLifecyclePlanOptions } from '../RenderOptions.js';
import { comment, engineCommand, quoteShellArg, shellCommand, shellName } from '../shell.js';
import { toJson } from '../json.js';
import { counted } from '../Summary.js';
import { textLines } from '../text.js';

const SOURCE_LABEL: Record<PullCandidate['source'], string> = { origin: 'origin', mirror: 'mirror', harbor: 'Harbor copy' };
const REASON_LABEL: Record<PullCandidate['reason'], string> = {
  'internal-harbor-only': 'internal mode pulls only from Harbor',
  'external-origin': 'external mode asks the origin registry first',
  'external-mirror': 'configured Docker Hub mirror, after the origin',
  'external-harbor-fallback': 'tried last, after the origin and the mirrors',
};

/** `2 to pull, 2 present, 0 findings`. */
const summary = (plan: PullPlan): string => {
  const pulls = pullsOf(plan).length;
  return `${pulls} to pull, ${plan.entries.length - pulls} present, ${counted(plan.findings.length, 'finding', 'findings')}`;
};

const candidateLine = (c: PullCandidate, i: number): string =>
  `  ${i + 1}. ${familiarLabel(c.reference)}  (${SOURCE_LABEL[c.source]}: ${REASON_LABEL[c.reason]}${c.tagAs === undefined ? '' : `; then tagged ${familiarLabel(c.tagAs)}`})`;

const entryLines = (entry: PullEntry): string[] =>
  entry._tag === 'Present'
    ? [`present ${familiarLabel(entry.family)} as ${familiarLabel(entry.name)} (${shortImageId(entry.imageId)})`]
    : [`pull ${familiarLabel(entry.family)}, trying in order:`, ...entry.candidates.map(candidateLine)];

const renderText = (plan: PullPlan): string =>
  textLines([
    `prefetch plan (${plan.mode} mode): ${summary(plan)}`,
    ...plan.entries.flatMap(entryLines),
    ...(plan.findings.length === 0 ? [] : ['findings:', ...plan.findings.map((f) => `  - ${describePullFinding(f)}`)]),
  ]);

const entryRows = (entry: PullEntry): string[][] =>
  entry._tag === 'Present'
    ? [[codeSpan(familiarLabel(entry.family)), '-', `present as ${codeSpan(familiarLabel(entry.name))}`, '-', codeSpan(shortImageId(entry.imageId))]]
    : entry.candidates.map((c, i) => [
        codeSpan(familiarLabel(entry.family)),
        String(i + 1),
        codeSpan(familiarLabel(c.reference)),
        escapeMarkdown(c.registry),
        `${escapeMarkdown(REASON_LABEL[c.reason])}${c.tagAs === undefined ? '' : `; tagged ${codeSpan(familiarLabel(c.tagAs))}`}`,
      ]);

const renderMarkdown = (plan: PullPlan): string =>
  [
    `### imgalias prefetch plan (${escapeMarkdown(plan.mode)} mode)`,
    '',
    escapeMarkdown(summary(plan)),
    '',
    ...table(['image', 'try', 'pull', 'from', 'why'], plan.entries.flatMap(entryRows)),
    ...(plan.findings.length === 0 ? [] : ['', '**Findings**', '', ...plan.findings.map((f) => `- ${escapeMarkdown(describePullFinding(f))}`)]),
    '',
  ].join('\n');

/** One candidate as `pull` (then `tag` for a mirror's name), or a comment when a name is not a reference. */
const candidateCommand = (c: PullCandidate, engine: EngineKind): { readonly command: string } | { readonly unfit: string } => {
  const reference = shellName(c.reference, engine);
  if (reference._tag === 'Unfit') return { unfit: `${printable(c.reference)}: ${reference.reason}` };
  const pull = shellCommand(engineCommand(engine, 'pull'), [reference.word]);
  if (c.tagAs === undefined) return { command: pull };
  const tagAs = shellName(c.tagAs, engine);
  if (tagAs._tag === 'Unfit') return { unfit: `${printable(c.tagAs)}: ${tagAs.reason}` };
  return { command: `{ ${pull} && ${shellCommand(engineCommand(engine, 'tag'), [reference.word, tagAs.word])}; }` };
};

/**
 * `pull A || { pull B && tag B A; } || pull C || { echo ... >&2; exit 1; }`: the candidates in order, the first
 * that works wins, and an image none of them gives stops the script. A candidate whose name is not a reference
 * is left out as a comment above the command.
 */
const pullLines = (entry: Extract<PullEntry, { readonly _tag: 'Pull' }>, engine: EngineKind): string[] => {
  const tries = entry.candidates.map((c) => candidateCommand(c, engine));
  const commands = tries.flatMap((t) => ('command' in t ? [t.command] : []));
  const giveUp = `{ echo ${quoteShellArg(`prefetch: could not pull ${familiarLabel(entry.family)}`)} >&2; exit 1; }`;
  return [
    comment(`${familiarLabel(entry.family)}: no name of it is in the store`),
    ...tries.flatMap((t) => ('unfit' in t ? [comment(`not tried: ${t.unfit}`)] : [])),
    [...commands, giveUp].join(' ||\n  '),
  ];
};

const renderShell = (plan: PullPlan, engine: EngineKind, snapshot: string | undefined): string => {
  const pulls = pullsOf(plan);
  return [
    '#!/bin/sh',
    comment(`imgalias prefetch plan for ${engine}, ${plan.mode} mode: ${summary(plan)}`),
    comment(`snapshot: ${snapshot ?? '(not recorded)'}`),
    comment('Each image tries its candidates in order; unlike `imgalias prefetch` this script does not retry.'),
    comment('This script only pulls. `imgalias prefetch` then tags every pulled image with the names its family'),
    comment('needs (as `imgalias apply` does); after running it, run `imgalias apply` with the same images and options.'),
    'set -eu',
    '',
    ...(pulls.length === 0 ? [comment('nothing to pull')] : pulls.flatMap((entry) => pullLines(entry, engine))),
    ...plan.findings.map((finding) => comment(`finding: ${describePullFinding(finding)}`)),
    '',
  ].join('\n');
};

/**
 * A prefetch pull plan (`imgalias prefetch --dry-run`): for a terminal, as the core `PullPlanCodec`'s JSON, as
 * Markdown, or as a POSIX sh script of `pull` commands (names spelled for `engine`, every argument single-quoted).
 *
 * @example
 * process.stdout.write(renderPullPlan(planPrefetch({ snapshot, images, policy, mirrors: [] }), { format: 'shell', engine: 'podman' }));
 */
export const renderPullPlan = (plan: PullPlan, options: RenderLifecyclePlanOptions): string => {
  switch (options.format) {
    case 'text':
      return renderText(plan);
    case 'json':
      return toJson(PullPlanCodec.encode(plan));
    case 'markdown':
      return renderMarkdown(plan);
    case 'shell':
      return renderShell(plan, options.engine ?? 'docker', options.header?.snapshot);
  }
};
