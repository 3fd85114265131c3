import { CleanPlanCodec, describeCleanFinding, describeCleanRefusal } from '@imgalias/core';
import type { CleanPlan, EngineKind, UntagAction } from '@imgalias/core';
import { toJson } from '../json.js';
import { familiarLabel, shortImageId } from '../Labels.js';
import { codeSpan, escapeMarkdown, table } from '../markdown.js';
import type { RenderLifecyclePlanOptions } from '../RenderOptions.js';
import { comment, engineCommand, notRunFooter, shellCommand, shellName } from '../shell.js';
import { counted } from '../Summary.js';
import { textLines } from '../text.js';

/** `3 to untag, 1 kept, 1 refused, 0 findings`. */
const summary = (plan: CleanPlan): string =>
  `${plan.actions.length} to untag, ${plan.kept.length} kept, ${plan.refusals.length} refused, ${counted(plan.findings.length, 'finding', 'findings')}`;

const renderText = (plan: CleanPlan): string =>
  textLines([
    `clean plan: ${summary(plan)}`,
    ...plan.actions.map((a) => `untag ${familiarLabel(a.name)} (${a.role}, image ${shortImageId(a.imageId)})`),
    ...plan.kept.map((k) => `keep ${familiarLabel(k.name)} (Harbor copy; --include-harbor removes it locally)`),
    ...plan.refusals.map((r) => `refused: ${describeCleanRefusal(r)}`),
    ...plan.findings.map((f) => `note: ${describeCleanFinding(f)}`),
  ]);

const renderMarkdown = (plan: CleanPlan): string =>
  [
    '### imgalias clean plan',
    '',
    escapeMarkdown(summary(plan)),
    '',
    ...table(['name', 'family', 'image id', 'step'], [
      ...plan.actions.map((a) => [codeSpan(familiarLabel(a.name)), codeSpan(familiarLabel(a.family)), codeSpan(shortImageId(a.imageId)), 'untag']),
      ...plan.kept.map((k) => [codeSpan(familiarLabel(k.name)), codeSpan(familiarLabel(k.family)), codeSpan(shortImageId(k.imageId)), 'keep (Harbor copy)']),
    ]),
    ...(plan.refusals.length + plan.findings.length === 0
      ? []
      : [
          '',
          '**Refused and noted**',
          '',
          ...plan.refusals.map((r) => `- ${escapeMarkdown(describeCleanRefusal(r))}`),
          ...plan.findings.map((f) => `- ${escapeMarkdown(describeCleanFinding(f))}`),
        ]),
    '',
  ].join('\n');

/** `image rm NAME`: a name, never an image id and never `--force`; or why the name is left alone. */
const untagLine = (a: UntagAction, engine: EngineKind): { readonly line: string; readonly run: boolean } => {
  const name = shellName(a.name, engine, { tag: true });
  return name._tag === 'Spelled'
    ? { line: shellCommand(engineCommand(engine, 'image rm'), [name.word]), run: true }
    : { line: comment(`not run: ${a.name}: ${name.reason}`), run: false };
};

const renderShell = (plan: CleanPlan, engine: EngineKind, snapshot: string | undefined): string => {
  const lines = plan.actions.map((a) => untagLine(a, engine));
  return [
    '#!/bin/sh',
    comment(`imgalias clean plan for ${engine}: ${summary(plan)}`),
    comment(`snapshot: ${snapshot ?? '(not recorded)'}`),
    comment('Removes names only: never an image id, never --force. The engine deletes an image when its last name goes.'),
    'set -eu',
    '',
    ...(lines.length === 0 ? [comment('nothing to untag')] : lines.map((l) => l.line)),
    ...plan.refusals.map((r) => comment(`refused: ${describeCleanRefusal(r)}`)),
    ...notRunFooter(lines.filter((l) => !l.run).length),
    '',
  ].join('\n');
};

/**
 * A clean plan (`imgalias clean`, which prints by default): for a terminal, as the core `CleanPlanCodec`'s JSON,
 * as Markdown, or as a POSIX sh script of `image rm NAME` commands (names spelled for `engine`, single-quoted).
 */
export const renderCleanPlan = (plan: CleanPlan, options: RenderLifecyclePlanOptions): string => {
  switch (options.format) {
    case 'text':
      return renderText(plan);
    case 'json':
      return toJson(CleanPlanCodec.encode(plan));
    case 'markdown':
      return renderMarkdown(plan);
    case 'shell':
      return renderShell(plan, options.engine ?? 'docker', options.header?.snapshot);
  }
};
