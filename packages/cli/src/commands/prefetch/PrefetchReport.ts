import type { ApplyReport, AliasPolicy, Plan, PullPlan } from '@imgalias/core';
import { familiarName, PullPlanCodec } from '@imgalias/core';
import { pullsOf } from '@imgalias/core/internal';
import type { PullResult } from '@imgalias/core';
import { describePullError } from '@imgalias/adapter-docker';
import { renderApplyReport } from '@imgalias/render';
import { plural } from '../../Wording.js';
import type { PlatformCheck } from './PlatformCheck.js';
import { describePlatformMismatch } from './PlatformCheck.js';

/**
 * Everything a prefetch run did, for its report: the pull plan and pulls, then the aliasing `apply` would do
 * (absent when a signal interrupted the pulls: no alias was planned or made).
 */
export interface PrefetchOutcome {
  readonly plan: PullPlan;
  readonly pulls: readonly PullResult[];
  readonly aliasPlan?: Plan;
  readonly aliases?: ApplyReport;
  /** Only with `--platform`. */
  readonly platform?: PlatformCheck;
}

export const failedPulls = (pulls: readonly PullResult[]): number => pulls.filter((r) => r._tag !== 'Pulled').length;

/** A pull an interrupt cancelled while it ran: whether the engine finished it is unknown. */
const wasCancelled = (r: PullResult): boolean => {
  if (r._tag !== 'PullFailed') return false;
  const last = r.tried[r.tried.length - 1];
  return last !== undefined && last.error._tag === 'Engine' && last.error.error._tag === 'Cancelled';
};

/** How the pulls ended: pulled, failed, cancelled by an interrupt while running, or never started. */
export const pullCounts = (pulls: readonly PullResult[]): { readonly pulled: number; readonly failed: number; readonly cancelled: number; readonly notStarted: number } => {
  const cancelled = pulls.filter(wasCancelled).length;
  const notStarted = pulls.filter((r) => r._tag === 'NotStarted').length;
  const pulled = pulls.filter((r) => r._tag === 'Pulled').length;
  return { pulled, failed: pulls.length - pulled - cancelled - notStarted, cancelled, notStarted };
};

/** Whether the run left nothing to report: every pull and alias done and verified, no finding, no wrong platform. */
export const prefetchSucceeded = (outcome: PrefetchOutcome): boolean =>
  failedPulls(outcome.pulls) === 0 &&
  outcome.aliases !== undefined &&
  !outcome.aliases.results.some((r) => r._tag === 'Failed' || r._tag === 'Refused') &&
  outcome.aliases.verified &&
  (outcome.aliasPlan?.findings.length ?? 0) === 0 &&
  outcome.plan.findings.length === 0 &&
  (outcome.platform?.mismatches.length ?? 0) === 0;

const resultLines = (results: readonly PullResult[]): string[] =>
  results.flatMap((r) =>
    r._tag === 'Pulled'
      ? [`pulled ${familiarName(r.family)} from ${familiarName(r.candidate.reference)} (attempt ${r.attempts}${r.tried.length > 0 ? `, after ${plural(r.tried.length, 'other candidate')}` : ''})`]
      : r._tag === 'NotStarted'
        ? [`not started ${familiarName(r.family)}: interrupted`]
        : wasCancelled(r)
          ? [`cancelled ${familiarName(r.family)}: the pull from ${familiarName(r.tried[r.tried.length - 1]?.candidate.reference ?? r.family)} was cancelled by the interrupt; it may or may not have finished`]
          : [
          `failed ${familiarName(r.family)}:`,
          ...r.tried.map((t) => `  ${familiarName(t.candidate.reference)}: ${plural(t.attempts, 'attempt')}${t.permanent ? ', permanent' : ''}: ${describePullError(t.error)}`),
        ],
  );

/** `prefetch: 2 pulled, 1 present, 0 failed` (and `, 1 wrong platform` with `--platform`). */
const summaryLine = ({ plan, pulls, platform }: PrefetchOutcome): string => {
  const { pulled, failed, cancelled, notStarted } = pullCounts(pulls);
  const interrupted = cancelled + notStarted > 0 ? `, ${cancelled} cancelled, ${notStarted} not started` : '';
  return `prefetch: ${pulled} pulled, ${plan.entries.length - pullsOf(plan).length} present, ${failed} failed${interrupted}${platform === undefined ? '' : `, ${platform.mismatches.length} wrong platform`}`;
};

/** Where the alias report goes when the pulls were interrupted: none was planned or made. */
const notAliased = 'aliases: none made: interrupted before aliasing';

/**
 * The report of a prefetch run as JSON (`{ version, plan, pulls, aliases, platform? }`, the plan in its codec's
 * form and the aliases as `apply --json` prints them), Markdown, or text.
 */
export const renderPrefetchReport = (
  outcome: PrefetchOutcome,
  options: { readonly format: 'text' | 'json' | 'markdown'; readonly color: boolean; readonly snapshot: string; readonly policy: AliasPolicy },
): string => {
  const { plan, pulls, aliasPlan, aliases, platform } = outcome;
  const applyOptions = { color: options.color, ...(aliasPlan === undefined ? {} : { plan: aliasPlan }), header: { snapshot: options.snapshot, policy: options.policy } };
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(
        {
          version: 1,
          plan: PullPlanCodec.encode(plan),
          pulls,
          ...(aliases === undefined ? { interrupted: true } : { aliases: JSON.parse(renderApplyReport(aliases, { ...applyOptions, format: 'json' })) as unknown }),
          ...(platform === undefined ? {} : { platform }),
        },
        null,
        2,
      )}\n`;
    case 'markdown':
      return [
        `### imgalias prefetch (${plan.mode} mode)`,
        '',
        ...resultLines(pulls).map((line) => (line.startsWith('  ') ? `  - ${line.trim()}` : `- ${line}`)),
        ...(platform?.mismatches.map((m) => `- platform: ${describePlatformMismatch(m)}`) ?? []),
        '',
        aliases === undefined ? `${notAliased}\n` : renderApplyReport(aliases, { ...applyOptions, format: 'markdown' }),
        summaryLine(outcome),
        '',
      ].join('\n');
    case 'text':
      return [
        ...resultLines(pulls),
        ...(platform?.mismatches.map((m) => `platform: ${describePlatformMismatch(m)}`) ?? []),
        aliases === undefined ? notAliased : renderApplyReport(aliases, { ...applyOptions, format: 'text' }).trimEnd(),
        summaryLine(outcome),
        '',
      ].join('\n');
  }
};
