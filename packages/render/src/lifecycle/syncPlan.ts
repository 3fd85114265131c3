import { SyncPlanCodec, describeSyncFinding, formatHarborLocation } from '@imgalias/core';
import type { SyncEntry, SyncPlan } from '@imgalias/core';
import { toJson } from '../json.js';
import { familiarLabel } from '../Labels.js';
import { codeSpan, escapeMarkdown, table } from '../markdown.js';
import type { RenderLifecyclePlanOptions } from '../RenderOptions.js';
import { comment, notRunFooter, shellCommand, shellName } from '../shell.js';
import { counted } from '../Summary.js';
import { textLines } from '../text.js';

const destination = (plan: SyncPlan): string =>
  plan.harbor !== undefined ? formatHarborLocation(plan.harbor) : plan.entries.length > 0 ? 'Harbor (per mirror rule)' : '(no Harbor configured)';

/**
 * What `--platform` does to a multi-arch image, said once in the plan; undefined when every platform is copied.
 *
 * @example
 * describeSyncPlatforms(['linux/amd64']) // "platform linux/amd64 only: a multi-arch image is written as that platform's own image manifest (...)"
 */
export const describeSyncPlatforms = (platforms: readonly string[] | undefined): string | undefined => {
  if (platforms === undefined || platforms.length === 0) return undefined;
  if (platforms.length === 1) {
    return `platform ${platforms[0]} only: a multi-arch image is written as that platform's own image manifest (the digest it has in the origin's index)`;
  }
  return `platforms ${platforms.join(', ')} only: a multi-arch image is written as an index of just these platforms (re-encoded, so its digest differs from the origin's; the platform manifests keep theirs)`;
};

/** `2 to copy unless already there, 0 findings`. */
const summary = (plan: SyncPlan): string =>
  `${plan.entries.length} to copy unless already there, ${counted(plan.findings.length, 'finding', 'findings')}`;

const renderText = (plan: SyncPlan): string =>
  textLines([
    `sync plan to ${destination(plan)}: ${summary(plan)}`,
    ...optional(describeSyncPlatforms(plan.platforms)),
    ...plan.entries.map((e) => `copy ${e.source} -> ${e.target}${e.source === e.family ? '' : ` (staging copy of ${familiarLabel(e.family)})`}`),
    ...(plan.findings.length === 0 ? [] : ['findings:', ...plan.findings.map((f) => `  - ${describeSyncFinding(f)}`)]),
  ]);

const renderMarkdown = (plan: SyncPlan): string =>
  [
    `### imgalias sync plan to ${escapeMarkdown(destination(plan))}`,
    '',
    escapeMarkdown(summary(plan)),
    ...optional(describeSyncPlatforms(plan.platforms)).flatMap((platforms) => ['', escapeMarkdown(`Copies ${platforms}.`)]),
    '',
    ...table(['image', 'from', 'to'], plan.entries.map((e) => [codeSpan(familiarLabel(e.family)), codeSpan(e.source), codeSpan(e.target)])),
    ...(plan.findings.length === 0 ? [] : ['', '**Findings**', '', ...plan.findings.map((f) => `- ${escapeMarkdown(describeSyncFinding(f))}`)]),
    '',
  ].join('\n');

const optional = (line: string | undefined): string[] => (line === undefined ? [] : [line]);

/**
 * skopeo copies one platform (`--override-os/-arch/-variant`) or all (`--all`), never a subset of an index. Option
 * names are fixed; the platform's parts, which come from the plan, are quoted.
 */
const skopeoPlatformArgs = (platforms: readonly string[] | undefined): string => {
  if (platforms === undefined || platforms.length !== 1) return '--all';
  const [os = '', arch = '', variant] = platforms[0]!.split('/');
  return [shellCommand('--override-os', [os]), shellCommand('--override-arch', [arch]), ...(variant === undefined ? [] : [shellCommand('--override-variant', [variant])])].join(' ');
};

/**
 * `skopeo copy --all --preserve-digests docker://SOURCE docker://TARGET`: every platform (or the one `--platform`
 * names), digests kept, as `imgalias sync` copies. The `docker://` transport is fixed; only a name that parses
 * follows it.
 */
const copyLine = (e: SyncEntry, platforms: readonly string[] | undefined): { readonly line: string; readonly run: boolean } => {
  const source = shellName(e.source, 'podman');
  const target = shellName(e.target, 'podman', { tag: true });
  if (source._tag === 'Unfit') return { line: comment(`not run: ${e.source}: ${source.reason}`), run: false };
  if (target._tag === 'Unfit') return { line: comment(`not run: ${e.target}: ${target.reason}`), run: false };
  return { line: shellCommand(`skopeo copy ${skopeoPlatformArgs(platforms)} --preserve-digests`, [`docker://${source.word}`, `docker://${target.word}`]), run: true };
};

const renderShell = (plan: SyncPlan): string => {
  const lines = plan.entries.map((e) => copyLine(e, plan.platforms));
  const platforms = plan.platforms ?? [];
  return [
    '#!/bin/sh',
    comment(
      `imgalias sync plan: ${counted(plan.entries.length, 'image', 'images')}, the same copies made with skopeo (${platforms.length === 1 ? `platform ${platforms[0]}` : 'all platforms'}, digests kept)`,
    ),
    ...(platforms.length > 1
      ? [comment(`imgalias writes ${describeSyncPlatforms(platforms)}; skopeo cannot copy a subset of an index, so these lines copy every platform`)]
      : []),
    'set -eu',
    ...lines.map((l) => l.line),
    ...plan.findings.map((f) => comment(`finding: ${describeSyncFinding(f)}`)),
    ...notRunFooter(lines.filter((l) => !l.run).length, 'copy(ies)'),
    '',
  ].join('\n');
};

/**
 * A sync plan (`imgalias sync --dry-run`): for a terminal, as the core `SyncPlanCodec`'s JSON, as Markdown, or as
 * the equivalent `skopeo copy` script (every argument single-quoted). Sync needs no engine: `engine` is not used.
 */
export const renderSyncPlan = (plan: SyncPlan, options: RenderLifecyclePlanOptions): string => {
  switch (options.format) {
    case 'text':
      return renderText(plan);
    case 'json':
      return toJson(SyncPlanCodec.encode(plan));
    case 'markdown':
      return renderMarkdown(plan);
    case 'shell':
      return renderShell(plan);
  }
};
