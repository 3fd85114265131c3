import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ContainerUse, Snapshot } from '@imgalias/core';
import { SnapshotCodec, decode, describeDecodeError } from '@imgalias/core';
import { excerpt } from '@imgalias/core/internal';
import type { ProjectError } from './ProjectError.js';
import { parseSavedJson, readSavedText } from './SavedFile.js';

/** Why a saved snapshot could not be used. */
export type SnapshotFileError = Extract<ProjectError, { readonly _tag: 'SnapshotFileUnreadable' | 'SnapshotFileInvalid' }>;

/**
 * A snapshot file as a dry-run store: the snapshot, and optionally what a pull finds (`registry`: image reference
 * -> image id) and which containers use which image (`containers`, for clean). Without `containers` the
 * containers are unknown, and clean says it did not check them.
 */
export interface SnapshotFile {
  readonly snapshot: Snapshot;
  readonly registry?: Readonly<Record<string, string>>;
  readonly containers?: readonly ContainerUse[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The optional `registry` and `containers` of a snapshot file, or one line per problem (`path: message`). */
const readExtras = (json: Record<string, unknown>): Either<readonly string[], Omit<SnapshotFile, 'snapshot'>> => {
  const problems: string[] = [];
  const registry = json['registry'];
  if (registry !== undefined) {
    if (!isRecord(registry)) problems.push('registry: expected an object of image reference -> image id');
    else for (const [name, id] of Object.entries(registry)) if (typeof id !== 'string') problems.push(`registry.${excerpt(name)}: expected an image id (a string)`);
  }
  const containers = json['containers'];
  const uses: ContainerUse[] = [];
  if (containers !== undefined) {
    if (!Array.isArray(containers)) problems.push('containers: expected an array of { "id", "name"?, "imageId" }');
    else
      containers.forEach((container: unknown, i) => {
        const { id, name, imageId } = isRecord(container) ? container : {};
        if (typeof id !== 'string' || typeof imageId !== 'string' || (name !== undefined && typeof name !== 'string')) {
          problems.push(`containers.${i}: expected { "id": string, "name"?: string, "imageId": string }`);
        } else uses.push(name === undefined ? { id, imageId } : { id, name, imageId });
      });
  }
  if (problems.length > 0) return left(problems.slice(0, 20));
  return right({
    ...(isRecord(registry) ? { registry: Object.fromEntries(Object.entries(registry)) as Record<string, string> } : {}),
    ...(containers === undefined ? {} : { containers: uses }),
  });
};

/** Reads a snapshot saved by `imgalias snapshot` (or written by hand), decoded with the core's codec. */
export async function readSnapshotFile(file: string): Promise<Either<SnapshotFileError, SnapshotFile>> {
  const read = await readSavedText(file);
  return isLeft(read) ? left({ _tag: 'SnapshotFileUnreadable', file, message: read.left }) : parseSnapshotText(file, read.right);
}

/** A snapshot file's text as a snapshot with its optional registry and containers, or why it is not one. */
export function parseSnapshotText(file: string, text: string): Either<SnapshotFileError, SnapshotFile> {
  const parsed = parseSavedJson(text);
  if (isLeft(parsed)) return left({ _tag: 'SnapshotFileInvalid', file, errors: [parsed.left] });
  const json = parsed.right;
  const decoded = decode(SnapshotCodec, json);
  if (isLeft(decoded)) return left({ _tag: 'SnapshotFileInvalid', file, errors: describeDecodeError(decoded.left).split('\n') });
  const extras = readExtras(json as Record<string, unknown>);
  return isLeft(extras) ? left({ _tag: 'SnapshotFileInvalid', file, errors: extras.left }) : right({ snapshot: decoded.right, ...extras.right });
}
