import pc from 'picocolors';
import { describeFinding, describeRefusal, formatMirrorRule } from '@imgalias/core';
import type { ActionResult, ApplyReport, Finding, Plan, TagAction } from '@imgalias/core';
import { describeChangedTarget, describeMismatch, describeReason, summariseStoreError, familiarLabel, printable, shortImageId } from './Labels.js';
import { countPlan, countResults, summarisePlan, summariseResults } from './Summary.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Every line starts with a word of this width, so actions and findings line up in one column. */
const LABEL_WIDTH = 'conflict'.length;

const findingLabel = (finding: Finding): string => {
  switch (finding._tag) {
    case 'Conflict':
      return 'conflict';
    case 'Missing':
      return 'missing';
    case 'AmbiguousMirror':
    case 'MirrorTooDeep':
      return 'mirror';
    case 'DigestReference':
      return 'digest';
    case 'InvalidRequest':
    case 'InvalidSnapshotName':
      return 'invalid';
  }
};

const label = (word: string, paint: (text: string) => string): string => paint(word.padEnd(LABEL_WIDTH));

const findingLines = (findings: readonly Finding[], colors: Colors): string[] =>
  findings.map(
    (finding) =>
      `${label(findingLabel(finding), finding._tag === 'Conflict' ? colors.yellow : colors.red)}  ${printable(describeFinding(finding))}`,
  );

/**
 * Lines for a terminal, each made printable as a whole: no value put in them can move the cursor or end its line.
 * For output without colour only (the escapes would be escaped too).
 */
export const textLines = (lines: readonly string[]): string => `${lines.map((line) => printable(line)).join('\n')}\n`;

/** `source -> target` with the source padded so the arrows of consecutive lines line up. */
const arrowColumns = (actions: readonly TagAction[]): ((action: TagAction) => string) => {
  // A loop, not Math.max(...list): spreading a list of more than about 110k actions overflows the call stack.
  const width = actions.reduce((widest, action) => Math.max(widest, familiarLabel(action.source).length), 0);
  return (action) => `${familiarLabel(action.source).padEnd(width)} -> ${familiarLabel(action.target)}`;
};

/**
 * A plan for a terminal: one line per action with familiar names, then the findings, then a summary line.
 *
 * @example
 * tag       localhost/redis:7-alpine -> redis:7-alpine  (sha256:abcd12345678, missing name)
 * conflict  ...
 *
 * 1 to tag, 1 conflict, 0 missing
 */
export const renderPlanText = (plan: Plan, options: { readonly color?: boolean } = {}): string => {
  const colors = pc.createColors(options.color ?? false);
  const arrow = arrowColumns(plan.actions);
  const actionLines = plan.actions.map(
    (action) =>
      `${label('tag', colors.green)}  ${arrow(action)}  ${colors.dim(`(${shortImageId(action.imageId)}, ${describeReason(action.reason, action.replaces)})`)}`,
  );
  const body = [...actionLines, ...findingLines(plan.findings, colors)];
  return [
    ...(body.length === 0 ? ['nothing to do'] : body),
    ...harborNameLines(plan, colors),
    '',
    colors.bold(summarisePlan(countPlan(plan))),
    '',
  ].join('\n');
};

/** Which mirror rule gave each family its Harbor name, after a blank line; nothing when no family has one. */
const harborNameLines = (plan: Plan, colors: Colors): string[] => {
  const names = plan.harborNames ?? [];
  if (names.length === 0) return [];
  const width = Math.max(...names.map((h) => familiarLabel(h.name).length));
  return [
    '',
    ...names.map(
      (h) =>
        `${label('harbor', colors.cyan)}  ${familiarLabel(h.name).padEnd(width)}  ${colors.dim(`for ${familiarLabel(h.family)}, rule ${printable(formatMirrorRule(h.rule))}`)}`,
    ),
  ];
};

/** One action's outcome on one line; `resultLine` is also what a run prints as each action completes. */
export const resultLine = (result: ActionResult, arrow: (action: TagAction) => string, colors: Colors): string => {
  const id = shortImageId(result.action.imageId);
  switch (result._tag) {
    case 'Applied':
      return `${label('tagged', colors.green)}  ${arrow(result.action)}  ${colors.dim(`(${id})`)}`;
    case 'Failed':
      return `${label('failed', colors.red)}  ${arrow(result.action)}  (${id}: ${summariseStoreError(result.error)})`;
    case 'Refused':
      return `${label('refused', colors.red)}  ${arrow(result.action)}  (${id}: not run: ${printable(describeRefusal(result.reason))})`;
    case 'ChangedUnderUs':
      return `${label('changed', colors.yellow)}  ${arrow(result.action)}  (${id}: ${describeChangedTarget(result)})`;
    case 'NotStarted':
      return `${label('not run', colors.dim)}  ${arrow(result.action)}  ${colors.dim(`(${id}: interrupted before it started)`)}`;
  }
};

/** The same line without column alignment or colour: progress output, printed as each result arrives. */
export const renderResultLine = (result: ActionResult): string =>
  resultLine(result, (action) => `${familiarLabel(action.source)} -> ${familiarLabel(action.target)}`, pc.createColors(false));

const verificationLines = (report: ApplyReport, colors: Colors): string[] => {
  if (report.interrupted) return [colors.red('interrupted: the store was not read back; run the same command again to finish')];
  if (report.verified) return [colors.green('verified: every planned name now points at its planned image')];
  return report.mismatches.length === 0
    ? [colors.red('not verified: some planned names do not point at their planned image')]
    : [
        colors.red(`not verified: ${report.mismatches.length === 1 ? '1 planned name does' : `${report.mismatches.length} planned names do`} not point at the planned image:`),
        ...report.mismatches.map((mismatch) => `  ${describeMismatch(mismatch)}`),
      ];
};

/**
 * What applying did: one line per action (tagged, or failed with the engine's message), the plan's findings
 * when the plan is given, whether the store was verified afterwards, and a summary line.
 */
export const renderApplyReportText = (
  report: ApplyReport,
  options: { readonly color?: boolean; readonly plan?: Plan } = {},
): string => {
  const colors = pc.createColors(options.color ?? false);
  const arrow = arrowColumns(report.results.map((result) => result.action));
  const body = [
    ...report.results.map((result) => resultLine(result, arrow, colors)),
    ...findingLines(options.plan?.findings ?? [], colors),
  ];
  return [
    ...(body.length === 0 ? ['nothing to do'] : body),
    '',
    ...verificationLines(report, colors),
    ...(report.via === undefined ? [] : [`through: ${report.via}`]),
    colors.bold(summariseResults(countResults(report.results, options.plan))),
    '',
  ].join('\n');
};
