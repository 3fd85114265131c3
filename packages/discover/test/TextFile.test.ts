import { describe, expect, test } from '@jest/globals';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describeTextFileProblem, inputLimits, readTextFile } from '@imgalias/discover';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-textfile-');

describe('readTextFile', () => {
  test('reads a regular file as UTF-8, including one exactly at the size limit', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM redis:7-alpine # café\n');
    expect(await readTextFile(path.join(dir, 'Dockerfile'), { maxBytes: 100 })).toEqual({ _tag: 'Text', text: 'FROM redis:7-alpine # café\n' });
    await writeFile(path.join(dir, 'exact'), 'x'.repeat(100));
    expect(await readTextFile(path.join(dir, 'exact'), { maxBytes: 100 })).toEqual({ _tag: 'Text', text: 'x'.repeat(100) });
  });

  test('a missing file (or a path through a file) is Missing', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file'), '');
    expect(await readTextFile(path.join(dir, 'absent'), { maxBytes: 10 })).toEqual({ _tag: 'Missing' });
    expect(await readTextFile(path.join(dir, 'file', 'below'), { maxBytes: 10 })).toEqual({ _tag: 'Missing' });
  });

  test('a FIFO is refused without waiting for a writer', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(await readTextFile(path.join(dir, 'pipe'), { maxBytes: 10 })).toEqual({ _tag: 'NotRegularFile', kind: 'a FIFO (named pipe)' });
  });

  test('a directory, /dev/zero and a symlink to /dev/zero are refused', async () => {
    const dir = await tempDir();
    await symlink('/dev/zero', path.join(dir, 'zero'));
    expect(await readTextFile(dir, { maxBytes: 10 })).toEqual({ _tag: 'NotRegularFile', kind: 'a directory' });
    expect(await readTextFile('/dev/zero', { maxBytes: 10 })).toEqual({ _tag: 'NotRegularFile', kind: 'a character device' });
    expect(await readTextFile(path.join(dir, 'zero'), { maxBytes: 10 })).toEqual({ _tag: 'NotRegularFile', kind: 'a character device' });
  });

  test('one byte over the size limit is TooLarge', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'big'), 'x'.repeat(101));
    expect(await readTextFile(path.join(dir, 'big'), { maxBytes: 100 })).toEqual({ _tag: 'TooLarge', limitBytes: 100 });
  });

  test('a regular file whose size says 0 but holds more is still bounded (/proc)', async () => {
    // /proc/self/environ and friends report st_size 0; the read itself must stop at the limit.
    const result = await readTextFile('/proc/self/maps', { maxBytes: 10 });
    expect(result).toEqual({ _tag: 'TooLarge', limitBytes: 10 });
  });

  test('a line over the line limit is LineTooLong with its number; CRLF and a last line without newline count', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), `FROM a:1\r\n${'y'.repeat(11)}\r\nFROM b:1\n`);
    expect(await readTextFile(path.join(dir, 'Dockerfile'), { maxBytes: 1000, maxLineBytes: 11 })).toEqual({
      _tag: 'LineTooLong',
      line: 2,
      limitBytes: 11,
    });
    expect((await readTextFile(path.join(dir, 'Dockerfile'), { maxBytes: 1000, maxLineBytes: 12 }))._tag).toBe('Text');
    await writeFile(path.join(dir, 'last'), `a\n${'z'.repeat(20)}`);
    expect(await readTextFile(path.join(dir, 'last'), { maxBytes: 1000, maxLineBytes: 19 })).toEqual({ _tag: 'LineTooLong', line: 2, limitBytes: 19 });
  });
});

describe('describeTextFileProblem', () => {
  test.each([
    [{ _tag: 'Missing' } as const, 'no such file'],
    [{ _tag: 'NotRegularFile', kind: 'a FIFO (named pipe)' } as const, 'is a FIFO (named pipe), not a regular file; imgalias reads only regular files'],
    [{ _tag: 'TooLarge', limitBytes: inputLimits.projectFileBytes } as const, 'is larger than 4 MiB, the most imgalias reads from such a file (see docs/configuration.md#input-limits)'],
    [{ _tag: 'TooLarge', limitBytes: 512 } as const, 'is larger than 512 bytes, the most imgalias reads from such a file (see docs/configuration.md#input-limits)'],
    [{ _tag: 'LineTooLong', line: 3, limitBytes: inputLimits.lineBytes } as const, 'line 3 is longer than 256 KiB, the longest line imgalias reads (see docs/configuration.md#input-limits)'],
    [{ _tag: 'Unreadable', code: 'EACCES' } as const, 'permission denied'],
    [{ _tag: 'Unreadable', code: 'EIO' } as const, 'EIO'],
  ])('%j', (problem, expected) => {
    expect(describeTextFileProblem(problem)).toBe(expected);
  });
});
