import { resolve } from 'node:path';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Plan } from '@imgalias/core';
import { PlanCodec, decode, describeDecodeError } from '@imgalias/core';
import type { ProjectError } from './ProjectError.js';
import { parseSavedJson, readSavedText } from './SavedFile.js';

/** Why a saved plan could not be used; nothing was changed in any case. */
export type PlanFileError = Extract<ProjectError, { readonly _tag: 'PlanFileUnreadable' | 'PlanFileInvalid' | 'PlanFileVersion' }>;

/** The plan versions this build reads: the `version` `imgalias plan --json` writes. */
const KNOWN_VERSION = 1;

/**
 * Reads a plan saved from `imgalias plan --json` (a reviewed plan, to apply exactly), decoded with the core's
 * codec: a hand-edited or truncated file is refused whole, never half applied. A relative `file` is read from
 * `cwd` (default: the process's) and named in errors as given.
 */
export async function readPlanFile(file: string, options: { readonly cwd?: string } = {}): Promise<Either<PlanFileError, Plan>> {
  // A plan lists at most a few names per image of a store: the snapshot file's bound serves it too.
  const read = await readSavedText(options.cwd === undefined ? file : resolve(options.cwd, file));
  return isLeft(read) ? left({ _tag: 'PlanFileUnreadable', file, message: read.left }) : parsePlanText(file, read.right);
}

/**
 * A saved plan's text as the plan, or why it is not one: not JSON, a `version` this build does not know (told
 * apart, since the answer is another imgalias rather than another file), or not a plan (each problem at its path).
 *
 * @example
 * parsePlanText('plan.json', '{"version":2}') // left({ _tag: 'PlanFileVersion', file: 'plan.json', version: 2 })
 */
export function parsePlanText(file: string, text: string): Either<PlanFileError, Plan> {
  const parsed = parseSavedJson(text);
  if (isLeft(parsed)) return left({ _tag: 'PlanFileInvalid', file, errors: [parsed.left] });
  const json = parsed.right;
  const version = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version !== KNOWN_VERSION) return left({ _tag: 'PlanFileVersion', file, version });
  const decoded = decode(PlanCodec, json);
  return isLeft(decoded) ? left({ _tag: 'PlanFileInvalid', file, errors: describeDecodeError(decoded.left).split('\n') }) : right(decoded.right);
}
