import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { excerpt } from '@imgalias/core/internal';
import { describeTextFileProblem, inputLimits, readTextFile } from '@imgalias/discover';

// The files imgalias saves for a later run (a snapshot, a plan) are JSON, read whole with one bound and never
// evaluated: what their readers share before each decodes with its own codec.

/** The text of a saved file, or why it could not be read (the system's code, or the bound it passed). */
export async function readSavedText(path: string): Promise<Either<string, string>> {
  // No line limit: a file written by another tool may be one long line of JSON.
  const read = await readTextFile(path, { maxBytes: inputLimits.snapshotFileBytes });
  if (read._tag === 'Text') return right(read.text);
  return left(read._tag === 'Unreadable' ? read.code : describeTextFileProblem(read));
}

/** The JSON value of a saved file's text, or the line saying it is not JSON. */
export function parseSavedJson(text: string): Either<string, unknown> {
  try {
    return right(JSON.parse(text) as unknown);
  } catch (error) {
    return left(`not JSON: ${excerpt((error as Error).message)}`);
  }
}
