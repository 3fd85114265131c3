import { describe, expect, test } from '@jest/globals';
import { SnapshotCodec, decode, describeDecodeError, describeReferenceError, parseReference } from '@imgalias/core';
import { EXCERPT_LENGTH, excerpt, printable, quoteExcerpt } from '@imgalias/core/internal';

const ESC = '\u001b';
const BEL = '\u0007';

describe('printable', () => {
  test('escapes C0 controls as \\xNN and DEL, C1 and line separators as \\uNNNN', () => {
    expect(printable(`a${ESC}]0;pwned${BEL}b\nc\td\r`)).toBe('a\\x1b]0;pwned\\x07b\\x0ac\\x09d\\x0d');
    expect(printable('x\u007fy\u009bz\u2028w\u2029')).toBe('x\\u007fy\\u009bz\\u2028w\\u2029');
    expect(printable('redis:7-alpine, café, 日本')).toBe('redis:7-alpine, café, 日本');
  });

  test('with lines: keeps newlines and SGR colour sequences, escapes every other control', () => {
    const text = `${ESC}[32mtag${ESC}[39m  a\n${ESC}]0;title${BEL}${ESC}[2J\r`;
    expect(printable(text, { lines: true })).toBe(`${ESC}[32mtag${ESC}[39m  a\n\\x1b]0;title\\x07\\x1b[2J\\x0d`);
  });

  test('with lines, printed JSON stays valid and equal', () => {
    const value = { text: `FROM a\u009b\u007f\u2028${ESC}`, list: [1, 'b'] };
    const json = JSON.stringify(value, null, 2);
    expect(JSON.parse(printable(json, { lines: true }))).toEqual(value);
  });
});

describe('excerpt and quoteExcerpt', () => {
  test('short text is shown whole, made printable', () => {
    expect(excerpt(`a${ESC}b`)).toBe('a\\x1bb');
    expect(quoteExcerpt('redis:7; rm -rf /')).toBe('"redis:7; rm -rf /"');
    expect(quoteExcerpt(`x${ESC}\u009b"`)).toBe('"x\\u001b\\u009b\\""');
  });

  test('long text is cut at the excerpt length and says how much was left out', () => {
    const long = 'a'.repeat(50 * 1024 * 1024);
    expect(excerpt(long)).toBe(`${'a'.repeat(EXCERPT_LENGTH)}… (${long.length - EXCERPT_LENGTH} more characters)`);
    expect(quoteExcerpt(long)).toBe(`"${'a'.repeat(EXCERPT_LENGTH)}"… (${long.length - EXCERPT_LENGTH} more characters)`);
    expect(excerpt('abcdef', 3)).toBe('abc… (3 more characters)');
  });

  test('an invalid reference of 50 MB is described in a bounded message', () => {
    const input = `FROM${'A'.repeat(50 * 1024 * 1024)}`;
    const parsed = parseReference(input);
    expect(parsed._tag).toBe('Left');
    const message = parsed._tag === 'Left' ? describeReferenceError(parsed.left) : '';
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('more characters');
  });
});

describe('decode errors of hostile snapshots', () => {
  test('a list nested 200k deep where an image belongs is a bounded decode error, not a stack overflow', () => {
    const depth = 200_000;
    const json = JSON.parse(`{"version":1,"images":${'['.repeat(depth)}${']'.repeat(depth)}}`) as unknown;
    const result = decode(SnapshotCodec, json);
    expect(result._tag).toBe('Left');
    const text = result._tag === 'Left' ? describeDecodeError(result.left) : '';
    expect(text).toMatch(/^images\[0\]: expected .*, got \[\[\[\[/);
    expect(text.length).toBeLessThan(300);
  });

  test('a 10 MB string where a list belongs is shown shortened', () => {
    const result = decode(SnapshotCodec, { version: 1, images: [{ id: 'sha256:a', names: 'n'.repeat(10 * 1024 * 1024) }] });
    const text = result._tag === 'Left' ? describeDecodeError(result.left) : '';
    expect(text).toBe(`images[0].names: expected ReadonlyArray<string>, got "${'n'.repeat(56)}...`);
  });
});
