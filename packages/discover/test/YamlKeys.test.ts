import { describe, expect, test } from '@jest/globals';
import { parseDocument } from 'yaml';
import { findDuplicateKey, parseCompose } from '@imgalias/discover';

const doc = (text: string, merge = false) => parseDocument(text, { uniqueKeys: false, merge });

describe('findDuplicateKey', () => {
  test('finds the second occurrence of a key in one mapping, at any depth', () => {
    expect(findDuplicateKey(doc('a: 1\nb: 2\n'))).toBeUndefined();
    expect(findDuplicateKey(doc('a: 1\na: 2\n'))).toEqual({ key: 'a', offset: 5 });
    const nested = 'top:\n  - x: 1\n    y: 2\n    x: 3\n';
    expect(findDuplicateKey(doc(nested))).toEqual({ key: 'x', offset: nested.indexOf('x: 3') });
  });

  test('the same key in different mappings, and 1 beside "1", are not duplicates', () => {
    expect(findDuplicateKey(doc('a:\n  k: 1\nb:\n  k: 2\n'))).toBeUndefined();
    expect(findDuplicateKey(doc('1: a\n"1": b\n'))).toBeUndefined();
  });

  test('merge keys may repeat when merges are on, not otherwise', () => {
    const text = 'x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: *x\n  <<: *y\n';
    expect(findDuplicateKey(doc(text, true), { merge: true })).toBeUndefined();
    expect(findDuplicateKey(doc(text))?.key).toBe('<<');
  });
});

describe('compose with many services', () => {
  test('20k services are read, each image once, and a duplicate service among them is a syntax finding at its line', () => {
    const services = Array.from({ length: 20_000 }, (_, i) => `  s${i}:\n    image: redis:${i}\n`).join('');
    const result = parseCompose(`services:\n${services}`, { file: 'compose.yaml', env: new Map() });
    expect(result.images).toHaveLength(20_000);
    expect(result.findings).toEqual([]);
    const duplicated = parseCompose(`services:\n${services}  s7:\n    image: redis:x\n`, { file: 'compose.yaml', env: new Map() });
    expect(duplicated.findings).toEqual([{ _tag: 'ComposeSyntax', file: 'compose.yaml', line: 2 + 2 * 20_000, detail: 'Map keys must be unique' }]);
  }, 60_000);
});
