import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import pc from 'picocolors';
import type { SyncPlan } from '@imgalias/core';
import { describeSyncFinding, familiarName, planSync } from '@imgalias/core';
import type { CliError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, CommandFlags } from './Command.js';
import { formatFor } from './formats.js';
import { openRegistryAccess, prepareImages } from './registryAccess.js';

/** What Harbor holds for one image: there (with every wanted platform), absent, short of platforms, or unknown. */
export type RegistryImageStatus =
  | { readonly status: 'present'; readonly family: string; readonly target: string; readonly digest: string; readonly platforms: readonly string[] }
  | { readonly status: 'missing'; readonly family: string; readonly target: string }
  | { readonly status: 'incomplete'; readonly family: string; readonly target: string; readonly digest: string; readonly missingPlatforms: readonly string[] }
  | { readonly status: 'error'; readonly family: string; readonly target: string; readonly message: string };

export interface RegistryCheckReport {
  readonly version: 1;
  readonly registry: true;
  readonly platforms: readonly string[];
  readonly images: readonly RegistryImageStatus[];
  readonly findings: SyncPlan['findings'];
}

const line = (s: RegistryImageStatus): string => {
  switch (s.status) {
    case 'present':
      return `${s.target}  ${s.digest}${s.platforms.length > 0 ? `  ${s.platforms.join(', ')}` : ''}`;
    case 'missing':
      return `${s.target}  not in the registry`;
    case 'incomplete':
      return `${s.target}  ${s.digest}  lacks ${s.missingPlatforms.join(', ')}`;
    case 'error':
      return `${s.target}  ${s.message}`;
  }
};

/** `check --registry` in text, JSON or Markdown. Pure. */
export const renderRegistryCheck = (report: RegistryCheckReport, format: 'text' | 'json' | 'markdown', color: boolean): string => {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const bad = report.images.filter((s) => s.status !== 'present');
  const summary = `${report.images.length - bad.length} present, ${report.images.filter((s) => s.status === 'missing').length} missing, ${report.images.filter((s) => s.status === 'incomplete').length} incomplete, ${report.images.filter((s) => s.status === 'error').length} unreadable${report.platforms.length > 0 ? ` (platforms ${report.platforms.join(', ')})` : ''}`;
  if (format === 'markdown') {
    return [
      '### imgalias check --registry',
      '',
      '| status | image | Harbor name | detail |',
      '| --- | --- | --- | --- |',
      ...report.images.map((s) => `| ${s.status} | \`${familiarName(s.family)}\` | \`${s.target}\` | ${s.status === 'present' ? s.digest : s.status === 'incomplete' ? `lacks ${s.missingPlatforms.join(', ')}` : s.status === 'error' ? s.message : 'not in the registry'} |`),
      ...(report.findings.length === 0 ? [] : ['', '**Findings**', '', ...report.findings.map((f) => `- ${describeSyncFinding(f)}`)]),
      '',
      summary,
    ].join('\n');
  }
  const colors = pc.createColors(color);
  const paint = { present: colors.green, missing: colors.red, incomplete: colors.yellow, error: colors.red };
  return [
    ...report.images.map((s) => `${paint[s.status](s.status.padEnd(10))}  ${line(s)}`),
    ...(report.images.length === 0 ? ['no images to check'] : []),
    ...report.findings.map((f) => `${colors.red('finding'.padEnd(10))}  ${describeSyncFinding(f)}`),
    '',
    colors.bold(summary),
  ].join('\n');
};

/**
 * `imgalias check --registry`: every image the project uses must exist at its Harbor name, serving every
 * `--platform`. Reads registries only (no engine); exit 1 when anything is missing.
 */
export async function runRegistryCheck(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const format = formatFor(settings, ['text', 'json', 'markdown'], 'check --registry');
  if (isLeft(format)) return format;
  const prepared = await prepareImages(context, settings, operands);
  if (isLeft(prepared)) return prepared;
  const { output, policy, images, discoveryProblems } = prepared.right;
  const plan = planSync({ images, policy });
  const access = await openRegistryAccess(context, flags, settings.concurrency);
  if (isLeft(access)) return access;
  const { images: registry, platforms } = access.right;
  const { describeRegistryError, formatPlatform, platformMatches } = await import('@imgalias/adapter-registry');
  const statuses = await Promise.all(
    plan.entries.map(async (e): Promise<RegistryImageStatus> => {
      const head = await registry.head(e.target);
      if (isLeft(head)) return { status: 'error', family: e.family, target: e.target, message: describeRegistryError(head.left) };
      if (head.right === undefined) return { status: 'missing', family: e.family, target: e.target };
      if (platforms.length === 0) return { status: 'present', family: e.family, target: e.target, digest: head.right.digest, platforms: [] };
      const served = await registry.platforms(e.target);
      if (isLeft(served)) return { status: 'error', family: e.family, target: e.target, message: describeRegistryError(served.left) };
      const missing = platforms.filter((want) => !served.right.some((have) => platformMatches(have, want)));
      return missing.length > 0
        ? { status: 'incomplete', family: e.family, target: e.target, digest: head.right.digest, missingPlatforms: missing.map(formatPlatform) }
        : { status: 'present', family: e.family, target: e.target, digest: head.right.digest, platforms: platforms.map(formatPlatform) };
    }),
  );
  await access.right.close();
  const report: RegistryCheckReport = { version: 1, registry: true, platforms: platforms.map(formatPlatform), images: statuses, findings: plan.findings };
  output.print(renderRegistryCheck(report, format.right, output.color));
  const ok = statuses.every((s) => s.status === 'present') && plan.findings.length === 0 && discoveryProblems === 0;
  return right(ok ? ExitCode.ok : ExitCode.findings);
}
