import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { Plan, StoreError, SyncPlan } from '@imgalias/core';
import { planAliases, planSync } from '@imgalias/core';
import type { RegistryStoreName } from '@imgalias/adapter-registry';
import { canonicalTagName } from '@imgalias/core/internal';
import { renderApplyReport, renderPlan, renderRegistryPlanShell } from '@imgalias/render';
import { applyWithProgress } from '../ApplyProgress.js';
import type { CliError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, CommandFlags } from './Command.js';
import { formatFor } from './formats.js';
import type { Interruption } from './Interruption.js';
import { interruptedApplyMessage, interruptedBeforeApplyMessage, interruptible } from './Interruption.js';
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
 * Applying is interruptible as an engine's apply is (SIGINT, SIGTERM): no new tag starts, the registry requests in
 * flight are cancelled, the report says what was tagged and what was not, and the command exits 130 or 143.
 */
export async function runRegistryFix(context: CommandContext, operands: readonly string[], flags: CommandFlags, command: RegistryPlanCommand = 'fix'): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const planOnly = command === 'plan' || flags.dryRun === true;
  const label = command === 'plan' ? 'plan --registry' : planOnly ? 'fix --registry --dry-run' : 'fix --registry';
  // A script of the copies is a plan's form; the report of an apply has none.
  const format = formatFor(settings, planOnly ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'], label);
  if (isLeft(format)) return format;
  // The tags write to Harbor: interruptible (SIGINT, SIGTERM). No engine is involved, so no apply lock.
  // `interruption` is undefined when the command only plans.
  const body = async (interruption?: Interruption): Promise<Either<CliError, ExitCode>> => {
    const prepared = await prepareImages(context, settings, operands);
    if (isLeft(prepared)) return prepared;
    const { output, images, discoveryProblems } = prepared.right;
    const signal = interruption?.signal;
    // Harbor is read before planning and again after tagging; a read cut short by the interrupt is the interrupt,
    // not a registry that cannot be read.
    const unreadable = (error: StoreError, when: 'before' | 'after'): Either<CliError, ExitCode> => {
      if (interruption?.interrupted() === true) {
        output.error(
          when === 'before'
            ? interruptedBeforeApplyMessage(interruption)
            : `imgalias: interrupted by ${interruption.name()} while reading Harbor back after tagging: the tags were not verified. Run the same command again to check.`,
        );
        return right(interruption.exitCode());
      }
      output.error(`imgalias ${label}: ${'message' in error ? error.message : error._tag}; ${when === 'before' ? 'nothing was tagged' : 'it was read before tagging, and the tags were not verified'}.`);
      return right(ExitCode.findings);
    };
    // In a registry the Harbor names are the ones to write (an engine leaves them to pulls unless --harbor-tags).
    const policy = { ...prepared.right.policy, harborTags: true };
    const access = await openRegistryAccess(context, flags, settings.concurrency, signal);
    if (isLeft(access)) return access;
    const { createRegistryStore } = await import('@imgalias/adapter-registry');
    const names = registryStoreNames(planSync({ images, policy }));
    const store = createRegistryStore({ images: access.right.images, names, concurrency: settings.concurrency });
    try {
      const snapshot = await store.snapshot();
      // A registry that cannot be read is reported as sync and check --registry report one: exit 1, nothing written.
      if (isLeft(snapshot)) return unreadable(snapshot.left, 'before');
      const plan = registryPlan(planAliases({ snapshot: snapshot.right, images, policy }));
      const header = { snapshot: 'registry (Harbor names by manifest digest)', policy };
      const findingsExit = plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings;
      for (const n of names) if (!n.writable) output.note(`note: ${n.name} is read at ${n.at} (the staging source of its mirror rule)`);
      if (interruption === undefined || plan.actions.length === 0) {
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
      // Each result is on record as it completes (stderr off a terminal, a display on one), as an engine apply's.
      const report = await applyWithProgress({
        store,
        plan,
        current: snapshot.right,
        concurrency: settings.concurrency,
        output,
        terminal: context.io.stdout,
        ...(signal === undefined ? {} : { signal }),
        recordProgress: true,
      });
      // With `current` given, the store reads Harbor only to verify: a failed read comes after every tag ran.
      if (isLeft(report)) return unreadable(report.left, 'after');
      output.print(renderApplyReport(report.right, { format: format.right, color: output.color, plan, header }));
      if (report.right.interrupted) {
        output.error(interruptedApplyMessage(interruption, report.right, plan.actions.length));
        return right(interruption.exitCode());
      }
      const failed = report.right.results.some((r) => r._tag !== 'Applied');
      return right(!failed && report.right.verified ? findingsExit : ExitCode.findings);
    } finally {
      await access.right.close();
    }
  };
  if (planOnly) return body();
  return interruptible({ context, settings, output: context.output(settings), lock: false, work: body });
}
