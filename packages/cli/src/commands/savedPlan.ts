import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { Plan } from '@imgalias/core';
import { describeTextFileProblem, inputLimits } from '@imgalias/discover';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import type { CliIO, CommandFlags } from './Command.js';

// `apply --plan FILE`: the reviewed plan, read and decoded before anything else runs, and the options it leaves no
// room for.

/** The options a saved plan already fixes (which images, and the policy that planned them), as typed on a command line. */
const FIXED_BY_PLAN: readonly (readonly [keyof CommandFlags, string])[] = [
  ['from', '--from'],
  ['includeBuilt', '--include-built'],
  ['exclude', '--exclude'],
  ['mode', '--mode'],
  ['network', '--network'],
  ['harbor', '--harbor'],
  ['mirror', '--mirror'],
  ['mirrorsFrom', '--mirrors-from'],
  ['harborLayout', '--harbor-layout'],
  ['shortNames', '--short-names'],
  ['onConflict', '--on-conflict'],
];

/** The usage error for image operands or options given with `--plan`, which the saved plan already fixes. */
export function contradictsSavedPlan(operands: readonly string[], flags: CommandFlags): CliError | undefined {
  const given = [...(operands.length > 0 ? ['IMAGE arguments'] : []), ...FIXED_BY_PLAN.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag)];
  if (given.length === 0) return undefined;
  return E.usage(
    `--plan already fixes the images and the policy (the saved plan is applied exactly as reviewed): leave out ${given.join(', ')}. Nothing was changed.`,
  );
}

async function readStandardInput(io: CliIO, maxBytes: number): Promise<Either<CliError, string>> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of io.stdin?.() ?? []) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.length;
    if (total > maxBytes) return left({ _tag: 'PlanFileUnreadable', file: '-', message: describeTextFileProblem({ _tag: 'TooLarge', limitBytes: maxBytes }) });
    chunks.push(bytes);
  }
  return right(Buffer.concat(chunks).toString('utf8'));
}

/** The plan saved in `file` (`-`: standard input), decoded with the core's codec; never evaluated. */
export async function loadSavedPlan(io: CliIO, file: string): Promise<Either<CliError, Plan>> {
  const { parsePlanText, readPlanFile } = await import('@imgalias/project/internal');
  if (file !== '-') return readPlanFile(file, { cwd: io.cwd });
  const text = await readStandardInput(io, inputLimits.snapshotFileBytes);
  return text._tag === 'Left' ? text : parsePlanText('-', text.right);
}
