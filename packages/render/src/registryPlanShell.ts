import { describeFinding } from '@imgalias/core';
import type { Plan, TagAction } from '@imgalias/core';
import { FINDING_KIND, describePolicy, describeReason, shortImageId } from './Labels.js';
import type { RenderHeader } from './RenderOptions.js';
import { comment, notRunFooter, shellCommand, shellName } from './shell.js';
import { countPlan, summarisePlan } from './Summary.js';

/** How to render an alias plan applied to a registry (`imgalias fix --registry`, `plan --registry`) as a script. */
export interface RenderRegistryPlanShellOptions {
  /**
   * Where the registry store reads a plan's name: a Harbor name is read where it is, a family's origin name at
   * its mirror rule's staging name. A name it does not hold gives `undefined` (that tag is left out as a comment).
   */
  readonly readAt: (name: string) => string | undefined;
  readonly header?: RenderHeader;
}

type CopyLine = { readonly _tag: 'Command'; readonly line: string } | { readonly _tag: 'Skipped'; readonly reason: string };

/**
 * skopeo's spelling of the registry copy `fix --registry` makes for one tag: every platform (`--all`: an index is
 * copied whole, an image manifest as it is) and the manifest's bytes kept (`--preserve-digests`), from where the
 * source is read to the Harbor name. The `docker://` transport and the options are fixed words; the names come
 * from the plan and are quoted, and only a name that parses as a reference (the target a tag) is passed on.
 */
const copyLine = (action: TagAction, readAt: (name: string) => string | undefined): CopyLine => {
  const at = readAt(action.source);
  if (at === undefined) return { _tag: 'Skipped', reason: `${action.source} is not a name this registry plan reads` };
  const source = shellName(at, 'podman');
  if (source._tag === 'Unfit') return { _tag: 'Skipped', reason: source.reason };
  const target = shellName(action.target, 'podman', { tag: true });
  if (target._tag === 'Unfit') return { _tag: 'Skipped', reason: target.reason };
  return { _tag: 'Command', line: shellCommand('skopeo copy --all --preserve-digests', [`docker://${source.word}`, `docker://${target.word}`]) };
};

/**
 * The alias plan for a registry as the store, as a POSIX sh script of the equivalent `skopeo copy` lines: one per
 * tag, from the name's read location (its staging name when its mirror rule names one) to its Harbor name,
 * every platform, digests kept, every argument single-quoted. Findings are comments; a tag whose names cannot be
 * passed on is a comment and makes the script exit 1 after the others ran.
 *
 * @example
 * const locations = new Map([['docker.io/library/redis:7', 'harbor.corp.local/proj/library/redis:7']]);
 * renderRegistryPlanShell(plan, { readAt: (name) => locations.get(name) })
 * // skopeo copy --all --preserve-digests 'docker://harbor.corp.local/proj/library/redis:7' 'docker://harbor.corp.local/proj/redis:7'  # ...
 */
export const renderRegistryPlanShell = (plan: Plan, options: RenderRegistryPlanShellOptions): string => {
  const lines = plan.actions.map((action) => {
    const why = `${shortImageId(action.imageId)}, ${describeReason(action.reason, action.replaces)}`;
    const line = copyLine(action, options.readAt);
    return line._tag === 'Command' ? { run: true, text: `${line.line}  ${comment(why)}` } : { run: false, text: comment(`not run: ${line.reason} (${why})`) };
  });
  return [
    '#!/bin/sh',
    comment(`imgalias plan for a registry as the store, ${plan.mode} mode: ${summarisePlan(countPlan(plan))}`),
    comment('each tag as the registry copy imgalias makes, with skopeo: every platform, digests kept'),
    comment(`snapshot: ${options.header?.snapshot ?? '(not recorded)'}`),
    comment(`policy: ${options.header?.policy === undefined ? '(not recorded)' : describePolicy(options.header.policy)}`),
    comment('Review before running. Every argument is single-quoted; the script stops at the first failing command.'),
    'set -eu',
    '',
    ...(lines.length === 0 ? [comment('nothing to tag')] : lines.map((l) => l.text)),
    ...(plan.findings.length === 0
      ? []
      : ['', comment('Findings (no command):'), ...plan.findings.map((finding) => comment(`${FINDING_KIND[finding._tag]}: ${describeFinding(finding)}`))]),
    ...notRunFooter(lines.filter((l) => !l.run).length, 'copy(ies)'),
    '',
  ].join('\n');
};
