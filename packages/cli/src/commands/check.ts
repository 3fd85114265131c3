import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import pc from 'picocolors';
import type { CheckResult, FamilyStatus, NetworkMode } from '@imgalias/core';
import { describeFinding, familiarName } from '@imgalias/core';
import { checkProject } from '@imgalias/project/internal';
import { fromProjectError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import { emptyStoreNote } from '../MissingImageHints.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';
import { formatFor } from './formats.js';
import { jobOptions } from './prepare.js';
import { runRegistryCheck } from './registryCheck.js';
import { projectNote } from '../ProjectNote.js';
import { shortImageId } from '@imgalias/render';


const STATUSES: readonly FamilyStatus[] = ['complete', 'incomplete', 'conflict', 'missing'];

/** `imgalias check --json`: the core's check result with the mode it was judged in. A public interface. */
export const checkJson = (mode: NetworkMode, result: CheckResult) => ({
  version: 1 as const,
  mode,
  families: result.families,
  findings: result.findings,
});

/**
 * `check` for a human: each family's status, then each name with the image it points at (or `-`), then any
 * findings and a summary line.
 *
 * @example
 * complete    redis:7-alpine
 *               origin     redis:7-alpine            4c2b1e0f5a6d
 *               localhost  localhost/redis:7-alpine  4c2b1e0f5a6d
 *
 * 1 complete, 0 incomplete, 0 conflicts, 0 missing
 */
export function renderCheckText(result: CheckResult, options: { readonly color: boolean }): string {
  const colors = pc.createColors(options.color);
  const paint: Record<FamilyStatus, (text: string) => string> = {
    complete: colors.green,
    incomplete: colors.yellow,
    conflict: colors.red,
    missing: colors.red,
  };
  const lines: string[] = [];
  for (const family of result.families) {
    lines.push(`${paint[family.status](family.status.padEnd(10))}  ${familiarName(family.origin)}`);
    const roleWidth = family.members.reduce((widest, member) => Math.max(widest, member.role.length), 0);
    // Each name is parsed once (familiarName parses the reference): check prints every family in the store.
    const names = family.members.map((member) => familiarName(member.name));
    const nameWidth = names.reduce((widest, name) => Math.max(widest, name.length), 0);
    family.members.forEach((member, index) => {
      const id = member.imageId === null ? colors.dim('-') : shortImageId(member.imageId);
      lines.push(`            ${member.role.padEnd(roleWidth)}  ${(names[index] as string).padEnd(nameWidth)}  ${id}`);
    });
  }
  if (result.families.length === 0) lines.push('no families to check');
  for (const finding of result.findings) lines.push(`${colors.red('finding'.padEnd(10))}  ${describeFinding(finding)}`);
  const counts = STATUSES.map((status) => {
    const count = result.families.filter((family) => family.status === status).length;
    return `${count} ${status === 'conflict' && count !== 1 ? 'conflicts' : status}`;
  });
  return [...lines, '', colors.bold(counts.join(', '))].join('\n');
}

/** `imgalias check [IMAGE...]`: each family's names and image ids; exit 0 only when all are complete. */
export const checkCommand: CommandSpec = {
  name: 'check',
  summary: "report each family's names and image ids; exit 0 only when every family is complete and consistent",
  arguments: [{ name: '[image...]', description: 'images to check, any family member (default: every family in the store)' }],
  options: [
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    ...group.from,
    ...group.registry,
    { flags: '--registry', description: "check Harbor itself instead of the engine: each image's Harbor name must exist (no engine needed)" },
  ],
  formats: ['text', 'json', 'markdown'],
  run: async (context, { operands, flags }) => {
    if (flags.registry === true) return runRegistryCheck(context, operands, flags);
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const format = formatFor(settings.right, ['text', 'json'], 'check');
    if (isLeft(format)) return format;
    const output = context.output(settings.right);
    const checked = await checkProject({ ...jobOptions(context, settings.right, output), images: operands });
    if (isLeft(checked)) return left(fromProjectError(checked.left));
    const { check: result, snapshot, resolution, store, unreadProjectFiles, ok } = checked.right;
    const note = projectNote('check', unreadProjectFiles);
    if (note !== undefined) output.note(note);

    const missing = result.families.filter((family) => family.status === 'missing').length;
    const empty = emptyStoreNote({ snapshot, missing, engine: store.engine, snapshotFile: settings.right.snapshotFile });
    if (empty !== undefined) output.note(`note: ${empty}`);
    output.print(
      format.right === 'json'
        ? JSON.stringify(checkJson(resolution.mode, result), null, 2)
        : renderCheckText(result, { color: output.color }),
    );
    return right(ok ? ExitCode.ok : ExitCode.findings);
  },
};
