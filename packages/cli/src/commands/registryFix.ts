import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { Plan, StoreError, SyncPlan } from '@imgalias/core';
import { planAliases, planSync } from '@imgalias/core';
import type { RegistryStoreName } from '@imgalias/adapter-registry';
import { canonicalTagName } from '@imgalias/core/internal';
import { renderApplyReport, renderPlan, renderRegistryPlanShell } from '@imgalias/render';
import type { CliError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { Output } from '../Output.js';
import type { CommandContext, CommandFlags } from './Command.js';
import { formatFor } from './formats.js';
import { openRegistryAccess, prepareImages } from './registryAccess.js';

/**
 * The names a registry store reads for a set of images: each family's Harbor name (written) and, when its mirror
 * rule names a staging source, its origin name read at its staging name. The sync planner already knows both.
 * Pure.
 */
export const registryStoreNames = (sync: SyncPlan): readonly RegistryStoreName[] =>
  sync.entries.flatMap((entry) => [
    { name: entry.target, at: entry.target, writable: true },
    ...(entry.source === entry.family ? [] : [{ name: entry.family, at: entry.source, writable: false }]),
  ]);

/** A registry holds Harbor names only: the plan keeps the tags to them and leaves out origin, `localhost/` and short names. Pure. */
export const registryPlan = (plan: Plan): Plan => ({ ...plan, actions: plan.actions.filter((action) => action.role === 'harbor') });

/** Where the store reads each name of a plan (canonical, as the planner spells names). Pure. */
const readLocations = (names: readonly RegistryStoreName[]): ((name: string) => string | undefined) => {
  const canonical = (name: string): string => {
    const key = canonicalTagName(name);
    return key._tag === 'Right' && key.right !== undefined ? key.right : name;
  };
  const at = new Map(names.map((n) => [canonical(n.name), n.at]));
  return (name) => at.get(canonical(name));
};

/** Which command runs the registry plan: `fix --registry` applies it (or prints it with `--dry-run`), `plan --registry` prints it. */
export type RegistryPlanCommand = 'fix' | 'plan';

/**
 * `imgalias fix --registry` and `imgalias plan --registry`: the alias plan applied to (or planned against) Harbor
 * as the store. The requested images' Harbor names (and their origins at a rule's staging source) are read by
 * digest; the planner decides each missing Harbor name's source as it does for an engine; each tag is a registry
 * copy (retag inside a repository, mount across repositories). No engine is needed. The plan prints in every
 * format, the shell format as the equivalent `skopeo copy` lines; `plan` (and `fix --dry-run`) stop there.
 */
export async function runRegistryFix(context: CommandContext, operands: readonly string[], flags: CommandFlags, command: RegistryPlanCommand = 'fix'): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const planOnly = command === 'plan' || flags.dryRun === true;
  const label = command === 'plan' ? 'plan --registry' : planOnly ? 'fix --registry --dry-run' : 'fix --registry';
  const unreadable = (output: Output, error: StoreError): Either<CliError, ExitCode> => {
    output.error(`imgalias ${label}: ${'message' in error ? error.message : error._tag}; nothing was tagged.`);
    return right(ExitCode.findings);
  };
  // A script of the copies is a plan's form; the report of an apply has none.
  const format = formatFor(settings, planOnly ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'], label);
  if (isLeft(format)) return format;
  const prepared = await prepareImages(context, settings, operands);
  if (isLeft(prepared)) return prepared;
  const { output, images, discoveryProblems } = prepared.right;
  // In a registry the Harbor names are the ones to write (an engine leaves them to pulls unless --harbor-tags).
  const policy = { ...prepared.right.policy, harborTags: true };
  const access = await openRegistryAccess(context, flags, settings.concurrency);
  if (isLeft(access)) return access;
  const { createRegistryStore } = await import('@imgalias/adapter-registry');
  const names = registryStoreNames(planSync({ images, policy }));
  const store = createRegistryStore({ images: access.right.images, names, concurrency: settings.concurrency });
  try {
    const snapshot = await store.snapshot();
    // A registry that cannot be read is reported as sync and check --registry report one: exit 1, nothing written.
    if (isLeft(snapshot)) return unreadable(output, snapshot.left);
    const plan = registryPlan(planAliases({ snapshot: snapshot.right, images, policy }));
    const header = { snapshot: 'registry (Harbor names by manifest digest)', policy };
    const findingsExit = plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings;
    for (const n of names) if (!n.writable) output.note(`note: ${n.name} is read at ${n.at} (the staging source of its mirror rule)`);
    if (planOnly || plan.actions.length === 0) {
      output.print(
        format.right === 'shell'
          ? renderRegistryPlanShell(plan, { readAt: readLocations(names), header })
          : renderPlan(plan, { format: format.right, color: output.color, header }),
      );
      if (command === 'fix' && planOnly && plan.actions.length > 0 && format.right === 'text') output.note('dry run: nothing was tagged; run again without --dry-run to tag.');
      return right(findingsExit);
    }
    // Not reached: formatFor refused shell unless planOnly. The check narrows the type to an apply report's formats.
    if (format.right === 'shell') return right(findingsExit);
    const report = await store.apply(plan, { current: snapshot.right, concurrency: settings.concurrency });
    if (isLeft(report)) return unreadable(output, report.left);
    output.print(renderApplyReport(report.right, { format: format.right, color: output.color, plan, header }));
    const failed = report.right.results.some((r) => r._tag !== 'Applied');
    return right(!failed && report.right.verified ? findingsExit : ExitCode.findings);
  } finally {
    await access.right.close();
  }
}
