import { describeFinding, describeRefusal, formatMirrorRule } from '@imgalias/core';
import type { ActionResult, ApplyReport, Finding, Plan } from '@imgalias/core';
import { FINDING_KIND, describeChangedTarget, describeMismatch, describePolicy, describeReason, summariseStoreError, familiarLabel, printable, shortImageId } from './Labels.js';
import type { RenderHeader } from './RenderOptions.js';
import { countPlan, countResults, summarisePlan, summariseResults } from './Summary.js';

/**
 * Inline text that Markdown must show literally. Finding messages quote names from the snapshot, which can be
 * anything: `*`, `_`, `<`, `[` would otherwise format, link or inject HTML, and `|` would split a table cell.
 */
export const escapeMarkdown = (text: string): string =>
  printable(text)
    .replace(/[\\`*_[\]<>|~&]/g, (ch) => `\\${ch}`)
    // Block syntax only counts at the start of a line; a finding sits right after a list marker.
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^[#+=-]/, '\\$&');

/**
 * A code span that stays one cell: a fence longer than any backtick run inside, and `|` escaped, which GFM
 * honours even inside code spans in a table.
 */
export const codeSpan = (text: string): string => {
  const content = printable(text).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
};

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** A GFM table: the header row, its rule, then one row per entry. Cells must already be escaped. */
export const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  row(head),
  row(head.map(() => '---')),
  ...rows.map(row),
];

/** Where the plan came from, as a short list followed by a blank line; nothing when nothing is known. */
const headerBlock = (mode: string | undefined, header: RenderHeader | undefined): string[] => {
  const lines = [
    ...(mode === undefined ? [] : [`- Mode: ${codeSpan(mode)}`]),
    ...(header?.snapshot === undefined ? [] : [`- Snapshot: ${codeSpan(header.snapshot)}`]),
    ...(header?.policy === undefined ? [] : [`- Policy: ${escapeMarkdown(describePolicy(header.policy))}`]),
  ];
  return lines.length === 0 ? [] : [...lines, ''];
};

const findingSection = (findings: readonly Finding[]): string[] =>
  findings.length === 0
    ? []
    : [
        '### Findings',
        '',
        ...findings.map((finding) => `- **${FINDING_KIND[finding._tag]}**: ${escapeMarkdown(describeFinding(finding))}`),
        '',
      ];

/** Which mirror rule gave each family its Harbor name, as a table; nothing when no family has one. */
const harborNameSection = (plan: Plan): string[] => {
  const names = plan.harborNames ?? [];
  if (names.length === 0) return [];
  return [
    '### Harbor names',
    '',
    ...table(
      ['Image', 'Harbor name', 'Mirror rule'],
      names.map((h) => [codeSpan(familiarLabel(h.family)), codeSpan(familiarLabel(h.name)), codeSpan(formatMirrorRule(h.rule))]),
    ),
    '',
  ];
};

/**
 * A plan for a pull request or an issue: a table of source, target, image id and why, the findings as a list,
 * and the summary line.
 */
export const renderPlanMarkdown = (plan: Plan, options: { readonly header?: RenderHeader } = {}): string =>
  [
    '## imgalias plan',
    '',
    ...headerBlock(plan.mode, options.header),
    ...(plan.actions.length === 0
      ? ['Nothing to tag.']
      : table(
          ['Source', 'Target', 'Image id', 'Why'],
          plan.actions.map((action) => [
            codeSpan(familiarLabel(action.source)),
            codeSpan(familiarLabel(action.target)),
            codeSpan(shortImageId(action.imageId)),
            escapeMarkdown(describeReason(action.reason, action.replaces)),
          ]),
        )),
    '',
    ...findingSection(plan.findings),
    ...harborNameSection(plan),
    `**${escapeMarkdown(summarisePlan(countPlan(plan)))}**`,
    '',
  ].join('\n');

const resultWord: Record<ActionResult['_tag'], string> = {
  Applied: 'tagged',
  Failed: '**failed**',
  Refused: '**refused**',
  ChangedUnderUs: '**changed under us**',
  NotStarted: 'not started',
};

const resultMessage = (result: ActionResult): string => {
  switch (result._tag) {
    case 'Applied':
      return '';
    case 'Failed':
      return escapeMarkdown(summariseStoreError(result.error));
    case 'Refused':
      return escapeMarkdown(`not run: ${describeRefusal(result.reason)}`);
    case 'ChangedUnderUs':
      return escapeMarkdown(describeChangedTarget(result));
    case 'NotStarted':
      return 'interrupted before it started';
  }
};

const resultCells = (result: ActionResult): string[] => [
  resultWord[result._tag],
  codeSpan(familiarLabel(result.action.source)),
  codeSpan(familiarLabel(result.action.target)),
  codeSpan(shortImageId(result.action.imageId)),
  resultMessage(result),
];

const verificationLines = (report: ApplyReport): string[] => {
  if (report.interrupted) return ['**Interrupted**: the store was not read back; run the same command again to finish.'];
  if (report.verified) return ['Verified: every planned name now points at its planned image.'];
  return [
    '**Not verified**: some planned names do not point at their planned image.',
    ...(report.mismatches.length === 0 ? [] : ['', ...report.mismatches.map((m) => `- ${escapeMarkdown(describeMismatch(m))}`)]),
  ];
};

/** What applying did, for a pull request or a CI job summary. */
export const renderApplyReportMarkdown = (
  report: ApplyReport,
  options: { readonly plan?: Plan; readonly header?: RenderHeader } = {},
): string =>
  [
    '## imgalias apply report',
    '',
    ...headerBlock(options.plan?.mode, options.header),
    ...(report.results.length === 0
      ? ['Nothing was tagged.']
      : table(['Result', 'Source', 'Target', 'Image id', 'Engine message'], report.results.map(resultCells))),
    '',
    ...findingSection(options.plan?.findings ?? []),
    ...verificationLines(report),
    ...(report.via === undefined ? [] : ['', `Applied through the ${escapeMarkdown(report.via)}.`]),
    '',
    `**${escapeMarkdown(summariseResults(countResults(report.results, options.plan)))}**`,
    '',
  ].join('\n');
