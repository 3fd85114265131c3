import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

/**
 * The sizes imgalias reads at most, documented in docs/configuration.md#input-limits. Generous for real projects
 * (the largest Dockerfiles and compose files seen in the wild are well under 1 MiB), small enough that a file
 * symlinked to `/dev/zero` or a 50 MB `FROM` line is refused in milliseconds with bounded memory.
 */
export const inputLimits = {
  /** A Dockerfile, compose file, `.env` or config file. */
  projectFileBytes: 4 * 1024 * 1024,
  /** One line of a Dockerfile, compose file, `.env` or YAML config file. */
  lineBytes: 256 * 1024,
  /** A `--snapshot` file (one JSON document, possibly a single line): some 150 times a 2000-image store (about 440 KB). */
  snapshotFileBytes: 64 * 1024 * 1024,
} as const;

/** What reading a text file gave: its text, or why there is none. */
export type TextFileResult =
  | { readonly _tag: 'Text'; readonly text: string }
  | { readonly _tag: 'Missing' }
  /** A FIFO, device, socket or directory: reading it could block forever or never end, so it is not read. */
  | { readonly _tag: 'NotRegularFile'; readonly kind: string }
  | { readonly _tag: 'TooLarge'; readonly limitBytes: number }
  | { readonly _tag: 'LineTooLong'; readonly line: number; readonly limitBytes: number }
  | { readonly _tag: 'Unreadable'; readonly code: string };

export interface ReadTextFileOptions {
  /** Refuse the file when it holds more bytes than this. */
  readonly maxBytes: number;
  /** Refuse the file when one of its lines holds more bytes than this. Default: no line limit. */
  readonly maxLineBytes?: number;
}

const kindOf = (stats: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string => {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
};

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);

/** The 1-based number of the first line longer than `limit` bytes, or undefined. */
const firstLongLine = (bytes: Uint8Array, limit: number): number | undefined => {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    if (stop - start > limit) return line;
    if (end === -1) return undefined;
    start = end + 1;
    line += 1;
  }
};

async function readBounded(handle: FileHandle, maxBytes: number, sizeHint: number): Promise<Buffer | undefined> {
  // Up to one byte more than allowed tells "exactly at the limit" from "over it" without trusting st_size (/proc
  // files say 0, and a file can grow while it is read); memory grows with what is actually there.
  const chunks: Buffer[] = [];
  let total = 0;
  let chunkSize = Math.min(Math.max(sizeHint + 1, 64 * 1024), maxBytes + 1);
  while (total <= maxBytes) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    chunkSize *= 2;
  }
  return total > maxBytes ? undefined : Buffer.concat(chunks, total);
}

/**
 * Reads a UTF-8 text file that must be a regular file of bounded size. This is the one place imgalias reads
 * project and settings files: it opens without blocking (a FIFO would otherwise wait for a writer forever),
 * checks with fstat on the open descriptor that it is a regular file (no race with a rename), and reads at most
 * `maxBytes + 1` bytes, so neither `/dev/zero` nor a huge file can take unbounded time or memory.
 *
 * @example
 * await readTextFile('Dockerfile', { maxBytes: inputLimits.projectFileBytes, maxLineBytes: inputLimits.lineBytes })
 * // { _tag: 'Text', text: 'FROM redis:7-alpine\n' }
 */
export async function readTextFile(file: string, options: ReadTextFileOptions): Promise<TextFileResult> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { _tag: 'Missing' };
    // A socket (or a FIFO nobody may open) refuses a non-blocking open.
    if (code === 'ENXIO') return { _tag: 'NotRegularFile', kind: 'a socket or device' };
    return { _tag: 'Unreadable', code };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { _tag: 'NotRegularFile', kind: kindOf(stats) };
    if (stats.size > options.maxBytes) return { _tag: 'TooLarge', limitBytes: options.maxBytes };
    const bytes = await readBounded(handle, options.maxBytes, stats.size);
    if (bytes === undefined) return { _tag: 'TooLarge', limitBytes: options.maxBytes };
    if (options.maxLineBytes !== undefined) {
      const line = firstLongLine(bytes, options.maxLineBytes);
      if (line !== undefined) return { _tag: 'LineTooLong', line, limitBytes: options.maxLineBytes };
    }
    return { _tag: 'Text', text: bytes.toString('utf8') };
  } catch (error) {
    return { _tag: 'Unreadable', code: codeOf(error) };
  } finally {
    await handle.close();
  }
}

const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`;

/**
 * Why a file gave no text, as the tail of a message (`<file>: cannot be read: <this>`).
 *
 * @example
 * describeTextFileProblem({ _tag: 'NotRegularFile', kind: 'a FIFO (named pipe)' })
 * // 'is a FIFO (named pipe), not a regular file; imgalias reads only regular files'
 */
export const describeTextFileProblem = (result: Exclude<TextFileResult, { _tag: 'Text' }>): string => {
  switch (result._tag) {
    case 'Missing':
      return 'no such file';
    case 'NotRegularFile':
      return `is ${result.kind}, not a regular file; imgalias reads only regular files`;
    case 'TooLarge':
      return `is larger than ${sizeText(result.limitBytes)}, the most imgalias reads from such a file (see docs/configuration.md#input-limits)`;
    case 'LineTooLong':
      return `line ${result.line} is longer than ${sizeText(result.limitBytes)}, the longest line imgalias reads (see docs/configuration.md#input-limits)`;
    case 'Unreadable':
      return result.code === 'EACCES' ? 'permission denied' : result.code === 'EISDIR' ? 'is a directory, not a file' : result.code;
  }
};
