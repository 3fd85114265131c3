import { describe, expect, test } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportsOf } from '../../../test-support/publicSurface.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

describe('the public surface of @imgalias/core', () => {
  const publicNames = exportsOf(resolve(SRC, 'index.ts'));
  const internalNames = exportsOf(resolve(SRC, 'internal.ts'));

  test('every public export has a doc comment', () => {
    expect(publicNames.filter((entry) => !entry.documented).map((entry) => entry.name)).toEqual([]);
  });

  test('keeps internals out: they are exported from @imgalias/core/internal only', () => {
    const names = new Set(publicNames.map((entry) => entry.name));
    for (const internal of ['SOURCE_RANKING', 'indexSnapshot', 'isTagTarget', 'preflightPlan', 'quoteExcerpt', 'familyOf']) {
      expect(names.has(internal)).toBe(false);
      expect(internalNames.some((entry) => entry.name === internal)).toBe(true);
    }
    // The internal entry point carries the public API too, so sibling packages' declarations can name every type.
    expect([...names].filter((name) => !internalNames.some((entry) => entry.name === name))).toEqual([]);
  });
});
