import { readFile } from 'node:fs/promises';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Snapshot } from '@imgalias/core';
import { SnapshotCodec, decode, describeDecodeError } from '@imgalias/core';
import type { CliError } from './CliError.js';
import { CliError as E } from './CliError.js';

/** Reads a snapshot saved by `imgalias snapshot` (or written by hand), decoded with the core's codec. */
export async function readSnapshotFile(file: string): Promise<Either<CliError, Snapshot>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return left(E.snapshotFileUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error)));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return left(E.snapshotFileInvalid(file, [`not JSON: ${(error as Error).message}`]));
  }
  const decoded = decode(SnapshotCodec, json);
  return isLeft(decoded) ? left(E.snapshotFileInvalid(file, describeDecodeError(decoded.left).split('\n'))) : right(decoded.right);
}
