import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { Plan, StoreError, SyncPlan } from '@imgalias/core';
import { planAliases, planSync } from '@imgalias/core';
import type { RegistryStoreName } from '@imgalias/adapter-registry';
import { renderApplyReport, renderPlan } from '@imgalias/render';
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

const unreadable = (output: Output, error: StoreError): Either<CliError, ExitCode> => {
  output.error(`imgalias fix --registry: ${'message' in error ? error.message : error._tag}; nothing was tagged.`);
  return right(ExitCode.findings);
};

/**
 * `imgalias fix --registry`: the alias plan applied to Harbor as the store. The requested images' Harbor names
 * (and their origins at a rule's staging source) are read by digest; the planner decides each missing Harbor
 * name's source as it does for an engine; each tag is a registry copy (retag inside a repository, mount across
 * repositories). No engine is needed.
 */
export async function runRegistryFix(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const dryRun = flags.dryRun === true;
  const format = formatFor(settings, ['text', 'json', 'markdown'], dryRun ? 'fix --registry --dry-run' : 'fix --registry');
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
    if (dryRun || plan.actions.length === 0) {
      output.print(renderPlan(plan, { format: format.right, color: output.color, header }));
      if (dryRun && plan.actions.length > 0 && format.right === 'text') output.note('dry run: nothing was tagged; run again without --dry-run to tag.');
      return right(findingsExit);
    }
    const report = await store.apply(plan, { current: snapshot.right, concurrency: settings.concurrency });
    if (isLeft(report)) return unreadable(output, report.left);
    output.print(renderApplyReport(report.right, { format: format.right, color: output.color, plan, header }));
    const failed = report.right.results.some((r) => r._tag !== 'Applied');
    return right(!failed && report.right.verified ? findingsExit : ExitCode.findings);
  } finally {
    await access.right.close();
  }
}
