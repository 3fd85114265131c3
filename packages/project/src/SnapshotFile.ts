import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Snapshot } from '@imgalias/core';
import { SnapshotCodec, decode, describeDecodeError, excerpt } from '@imgalias/core';
import { describeTextFileProblem, inputLimits, readTextFile } from '@imgalias/discover';
import type { ProjectError } from './ProjectError.js';

/** Why a saved snapshot could not be used. */
export type SnapshotFileError = Extract<ProjectError, { readonly _tag: 'SnapshotFileUnreadable' | 'SnapshotFileInvalid' }>;

/** Reads a snapshot saved by `imgalias snapshot` (or written by hand), decoded with the core's codec. */
export async function readSnapshotFile(file: string): Promise<Either<SnapshotFileError, Snapshot>> {
  // No line limit: a snapshot written by another tool may be one long line of JSON.
  const read = await readTextFile(file, { maxBytes: inputLimits.snapshotFileBytes });
  if (read._tag !== 'Text') {
    return left({ _tag: 'SnapshotFileUnreadable', file, message: read._tag === 'Unreadable' ? read.code : describeTextFileProblem(read) });
  }
  return parseSnapshotText(file, read.text);
}

/** A snapshot file's text as a snapshot, or why it is not one (`file` names it in the message). */
export function parseSnapshotText(file: string, text: string): Either<SnapshotFileError, Snapshot> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return left({ _tag: 'SnapshotFileInvalid', file, errors: [`not JSON: ${excerpt((error as Error).message)}`] });
  }
  const decoded = decode(SnapshotCodec, json);
  return isLeft(decoded) ? left({ _tag: 'SnapshotFileInvalid', file, errors: describeDecodeError(decoded.left).split('\n') }) : right(decoded.right);
}
