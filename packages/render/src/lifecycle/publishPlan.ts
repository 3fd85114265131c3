import { PublishPlanCodec, describePublishFinding, formatHarborLocation, parseReference } from '@imgalias/core';
import type { EngineKind, PublishEntry, PublishPlan } from '@imgalias/core';
import { toJson } from '../json.js';
import { familiarLabel, shortImageId } from '../Labels.js';
import { codeSpan, escapeMarkdown, table } from '../markdown.js';
import type { RenderLifecyclePlanOptions } from '../RenderOptions.js';
import { comment, engineCommand, notRunFooter, shellCommand, shellName } from '../shell.js';
import { counted } from '../Summary.js';
import { textLines } from '../text.js';

/**
 * Where a publish plan pushes, for a heading: the `*` location (`--harbor`) when there is one, else the registries
 * the entries' own mirror rules name. Each target names its full location anyway.
 *
 * @example
 * describePublishDestination(planPublish({ snapshot, images, policy })) // 'harbor.corp.local/proj'
 */
export const describePublishDestination = (plan: PublishPlan): string => {
  if (plan.findings.some((f) => f._tag === 'NoHarborConfigured')) return '(no Harbor configured)';
  if (plan.harbor !== undefined) return formatHarborLocation(plan.harbor);
  const registries = new Set(
    plan.entries.flatMap((entry) => {
      const parsed = parseReference(entry.target);
      return parsed._tag === 'Right' ? [parsed.right.domain] : [];
    }),
  );
  return registries.size === 0 ? "(the mirror rules' locations)" : [...registries].join(', ');
};

/** `3 to publish, 2 to tag first, 1 finding`. */
const summary = (plan: PublishPlan): string =>
  `${plan.entries.length} to publish, ${plan.entries.filter((e) => e.tag !== undefined).length} to tag first, ${counted(plan.findings.length, 'finding', 'findings')}`;

const step = (e: PublishEntry): string =>
  e.tag === undefined
    ? `push ${familiarLabel(e.target)} (already on image ${shortImageId(e.imageId)})`
    : `tag ${familiarLabel(e.source)} as ${familiarLabel(e.target)}${e.tag.reason === 'retarget' && e.tag.replaces !== undefined ? ` (moving it off ${shortImageId(e.tag.replaces)})` : ''}, then push`;

const SKIP_NOTE = 'A push is skipped when the registry already has the manifest digest the engine recorded for the image.';

const renderText = (plan: PublishPlan): string =>
  textLines([
    `publish plan to ${describePublishDestination(plan)}: ${summary(plan)}`,
    ...plan.entries.map((e) => `${familiarLabel(e.family)}: ${step(e)}`),
    ...(plan.findings.length === 0 ? [] : ['findings:', ...plan.findings.map((f) => `  - ${describePublishFinding(f)}`)]),
    SKIP_NOTE,
  ]);

const renderMarkdown = (plan: PublishPlan): string =>
  [
    `### imgalias publish plan to ${escapeMarkdown(describePublishDestination(plan))}`,
    '',
    escapeMarkdown(summary(plan)),
    '',
    ...table(
      ['image', 'Harbor name', 'image id', 'step'],
      plan.entries.map((e) => [codeSpan(familiarLabel(e.family)), codeSpan(familiarLabel(e.target)), codeSpan(shortImageId(e.imageId)), escapeMarkdown(step(e))]),
    ),
    ...(plan.findings.length === 0 ? [] : ['', '**Findings**', '', ...plan.findings.map((f) => `- ${escapeMarkdown(describePublishFinding(f))}`)]),
    '',
  ].join('\n');

type EntryLines = { readonly _tag: 'Run'; readonly lines: readonly string[] } | { readonly _tag: 'NotRun'; readonly line: string };

/** `tag SOURCE TARGET` when the Harbor name is missing, then `push TARGET`; or why the entry is left out. */
const entryLines = (e: PublishEntry, engine: EngineKind): EntryLines => {
  const notRun = (name: string, reason: string): EntryLines => ({ _tag: 'NotRun', line: comment(`not run: ${familiarLabel(e.family)}: ${name}: ${reason}`) });
  const target = shellName(e.target, engine, { tag: true });
  if (target._tag === 'Unfit') return notRun(e.target, target.reason);
  const why = comment(`${familiarLabel(e.family)}, image ${shortImageId(e.imageId)}`);
  const push = shellCommand(engineCommand(engine, 'push'), [target.word]);
  if (e.tag === undefined) return { _tag: 'Run', lines: [why, push] };
  const source = shellName(e.source, engine);
  if (source._tag === 'Unfit') return notRun(e.source, source.reason);
  return { _tag: 'Run', lines: [why, shellCommand(engineCommand(engine, 'tag'), [source.word, target.word]), push] };
};

const renderShell = (plan: PublishPlan, engine: EngineKind, snapshot: string | undefined): string => {
  const entries = plan.entries.map((e) => entryLines(e, engine));
  return [
    '#!/bin/sh',
    comment(`imgalias publish plan for ${engine} to ${describePublishDestination(plan)}: ${summary(plan)}`),
    comment(`snapshot: ${snapshot ?? '(not recorded)'}`),
    comment('Unlike `imgalias publish`, this script pushes every image, also one the registry already has, and does not'),
    comment('re-check a Harbor name before tagging it. The script stops at the first failing command.'),
    'set -eu',
    '',
    ...(entries.length === 0 ? [comment('nothing to publish')] : entries.flatMap((e) => (e._tag === 'Run' ? e.lines : [e.line]))),
    ...plan.findings.map((finding) => comment(`finding: ${describePublishFinding(finding)}`)),
    ...notRunFooter(entries.filter((e) => e._tag === 'NotRun').length, 'image(s)'),
    '',
  ].join('\n');
};

/**
 * A publish plan (`imgalias publish --dry-run`): for a terminal, as the core `PublishPlanCodec`'s JSON, as
 * Markdown, or as a POSIX sh script of `tag` and `push` commands (names spelled for `engine`, arguments single-quoted).
 */
export const renderPublishPlan = (plan: PublishPlan, options: RenderLifecyclePlanOptions): string => {
  switch (options.format) {
    case 'text':
      return renderText(plan);
    case 'json':
      return toJson(PublishPlanCodec.encode(plan));
    case 'markdown':
      return renderMarkdown(plan);
    case 'shell':
      return renderShell(plan, options.engine ?? 'docker', options.header?.snapshot);
  }
};
