import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import { describeSyncFinding, planSync, SyncPlanCodec } from '@imgalias/core';
import type { CopyReport, RegistryError } from '@imgalias/adapter-registry';
import { renderSyncPlan } from '@imgalias/render';
import type { CliError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, CommandFlags } from './Command.js';
import type { CommandSpec } from './CommandSpec.js';
import { describedAs, group, option } from './options.js';
import { formatFor } from './formats.js';
import type { Interruption } from './Interruption.js';
import { interruptible } from './Interruption.js';
import { openRegistryAccess, prepareImages } from './registryAccess.js';

/** How one planned copy ended. */
export type SyncResult =
  | { readonly _tag: 'Copied'; readonly target: string; readonly report: CopyReport }
  | { readonly _tag: 'Unchanged'; readonly target: string; readonly report: CopyReport }
  | { readonly _tag: 'SyncFailed'; readonly target: string; readonly error: RegistryError; readonly message: string }
  /** An interrupt cancelled it while it ran: the tag is written last, so the target is unchanged or complete. */
  | { readonly _tag: 'Cancelled'; readonly target: string }
  | { readonly _tag: 'NotStarted'; readonly target: string };

const shapeNote = (report: CopyReport, platforms: readonly string[] | undefined): string => {
  switch (report.shape) {
    case 'origin':
      return '';
    case 'narrowed-index':
      return `, an index of ${(platforms ?? []).join(', ')} narrowed from ${report.sourceDigest}`;
    case 'platform-image':
      return `, the ${(platforms ?? []).join(', ')} image of ${report.sourceDigest}`;
  }
};

const resultLine = (r: SyncResult, platforms: readonly string[] | undefined): string => {
  switch (r._tag) {
    case 'Copied': {
      const b = r.report;
      return `copied ${r.target} (${b.digest}${shapeNote(b, platforms)}; ${b.blobsUploaded} blobs uploaded, ${b.blobsMounted} mounted, ${b.blobsPresent} already there)`;
    }
    case 'Unchanged':
      return `unchanged ${r.target}: Harbor already has ${r.report.digest}`;
    case 'SyncFailed':
      return `failed ${r.target}: ${r.message}`;
    case 'Cancelled':
      return `cancelled ${r.target}: the copy was cancelled by the interrupt; the tag is written last, so it is either unchanged or complete`;
    case 'NotStarted':
      return `not started ${r.target}: interrupted`;
  }
};

async function runSync(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const dryRun = flags.dryRun === true;
  const format = formatFor(settings, ['text', 'json', 'markdown', 'shell'], 'sync');
  if (isLeft(format)) return format;
  // The copies write to Harbor: interruptible (SIGINT, SIGTERM). No engine is involved, so no apply lock.
  // `interruption` is undefined for a dry run.
  const body = async (interruption?: Interruption): Promise<Either<CliError, ExitCode>> => {
    const prepared = await prepareImages(context, settings, operands);
    if (isLeft(prepared)) return prepared;
    const { output, policy, images, discoveryProblems } = prepared.right;
    const signal = interruption?.signal;
    // The registry access parses --platform (a usage error before anything is asked); no registry is asked yet.
    const access = await openRegistryAccess(context, flags, settings.concurrency, signal);
    if (isLeft(access)) return access;
    const { images: registry, platforms } = access.right;
    const { describeRegistryError, formatPlatform } = await import('@imgalias/adapter-registry');
    const plan = planSync({ images, policy, platforms: platforms.map(formatPlatform) });
    const findingsExit = plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings;

    // The plan comes first in every format; JSON prints one document, so there it is part of the report.
    if (interruption === undefined || format.right !== 'json') output.print(renderSyncPlan(plan, { format: format.right }));
    if (interruption === undefined || plan.entries.length === 0) {
      await access.right.close();
      return right(findingsExit);
    }

    // With --platform the adapter narrows each copy; an origin that lacks a wanted platform is refused, unwritten.
    const reports = await registry.copyMany(
      plan.entries.map((e) => ({ source: e.source, target: e.target, platforms })),
      signal === undefined ? {} : { signal },
    );
    await access.right.close();
    const results = plan.entries.map((e, i): SyncResult => {
      const r = reports[i]!;
      if (isLeft(r)) {
        if (r.left._tag === 'Cancelled') return { _tag: r.left.started ? 'Cancelled' : 'NotStarted', target: e.target };
        return { _tag: 'SyncFailed', target: e.target, error: r.left, message: describeRegistryError(r.left) };
      }
      return r.right.outcome === 'unchanged' ? { _tag: 'Unchanged', target: e.target, report: r.right } : { _tag: 'Copied', target: e.target, report: r.right };
    });
    const count = (tag: SyncResult['_tag']): number => results.filter((r) => r._tag === tag).length;
    const stopped = { cancelled: count('Cancelled'), notStarted: count('NotStarted') };
    const summary = { copied: count('Copied'), unchanged: count('Unchanged'), failed: count('SyncFailed'), ...(interruption.interrupted() ? stopped : {}) };
    const summaryLine = `sync: ${summary.copied} copied, ${summary.unchanged} unchanged, ${summary.failed} failed${interruption.interrupted() ? `, ${stopped.cancelled} cancelled, ${stopped.notStarted} not started` : ''}`;
    if (format.right === 'json') {
      const encoded = results.map((r) => {
        switch (r._tag) {
          case 'Copied':
          case 'Unchanged':
            return { _tag: r._tag, target: r.target, report: r.report };
          case 'SyncFailed':
            return { _tag: r._tag, target: r.target, error: r.error, message: r.message };
          case 'Cancelled':
          case 'NotStarted':
            return { _tag: r._tag, target: r.target };
        }
      });
      output.print(`${JSON.stringify({ version: 1, plan: SyncPlanCodec.encode(plan), ...(interruption.interrupted() ? { interrupted: true } : {}), results: encoded, summary }, null, 2)}\n`);
    } else if (format.right === 'markdown') {
      output.print(`${['', `### imgalias sync`, '', ...results.map((r) => `- ${resultLine(r, plan.platforms)}`), '', summaryLine].join('\n')}\n`);
    } else if (format.right === 'shell') {
      output.print(`${[...results.map((r) => `# ${resultLine(r, plan.platforms)}`), `# ${summaryLine}`].join('\n')}\n`);
    } else {
      output.print(`${[...results.map((r) => resultLine(r, plan.platforms)), summaryLine].join('\n')}\n`);
    }
    if (interruption.interrupted()) {
      output.error(
        `imgalias: interrupted by ${interruption.name()}: ${summary.copied + summary.unchanged} of ${plan.entries.length} copied or already there, ${stopped.cancelled} cancelled, ${stopped.notStarted} not started. Run the same command again to finish.`,
      );
      return right(interruption.exitCode());
    }
    for (const finding of plan.findings) output.error(describeSyncFinding(finding));
    return right(summary.failed === 0 ? findingsExit : ExitCode.findings);
  };
  if (dryRun) return body();
  return interruptible({ context, settings, output: context.output(settings), lock: false, work: body });
}

/** `imgalias sync [IMAGE...]`: copy each image from its origin registry to its Harbor name, no engine needed. */
export const syncCommand: CommandSpec = {
  name: 'sync',
  summary: 'copy each image from its origin registry to its Harbor name, registry to registry, skipping those Harbor already has',
  arguments: [
    { name: '[image...]', description: 'images to copy, any family member (default: the images the project in the current directory uses)' },
  ],
  options: [
    option.config,
    ...group.mode,
    ...group.policy,
    describedAs(option.concurrency, 'how many images are copied at once (default 4)'),
    ...group.from,
    describedAs(
      option.platform,
      'copy only these platforms, e.g. linux/amd64,linux/arm64; each origin must serve them (default: every platform, the index as it is)',
    ),
    option.registryAuth,
    option.insecureRegistry,
    option.caFile,
    describedAs(option.dryRun, 'print the copy plan only; change nothing'),
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => runSync(context, operands, flags),
};
