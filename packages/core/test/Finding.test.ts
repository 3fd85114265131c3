import { describe, expect, test } from '@jest/globals';
import { defaultPolicy, planSync } from '@imgalias/core';
import type { ConflictFinding, FindingOrder, MissingFinding } from '../src/Finding.js';
import { sharedFindingKey, sortFindings } from '../src/Finding.js';

type Small = MissingFinding | ConflictFinding | { readonly _tag: 'Whole' };

const ORDER: FindingOrder<Small> = {
  rank: { Whole: 0, Conflict: 1, Missing: 2 },
  key: (finding) => (finding._tag === 'Whole' ? [] : sharedFindingKey(finding)),
};

const missing = (family: string): MissingFinding => ({ _tag: 'Missing', family, lookedFor: [family] });
const conflict = (family: string, name: string, imageId: string): ConflictFinding => ({
  _tag: 'Conflict',
  family,
  name,
  imageId,
  expectedImageId: 'sha256:e',
  source: family,
});

describe('sortFindings', () => {
  test('orders by kind rank, then by each key field in turn', () => {
    const findings: Small[] = [missing('b'), conflict('a', 'y', '2'), missing('a'), { _tag: 'Whole' }, conflict('a', 'x', '9'), conflict('a', 'y', '1')];
    expect(sortFindings(findings, ORDER)).toEqual([
      { _tag: 'Whole' },
      conflict('a', 'x', '9'),
      conflict('a', 'y', '1'),
      conflict('a', 'y', '2'),
      missing('a'),
      missing('b'),
    ]);
  });

  test('keeps one of findings equal in kind and key, and leaves its input as it was', () => {
    const findings: Small[] = [missing('a'), { _tag: 'Whole' }, missing('a'), { _tag: 'Whole' }];
    expect(sortFindings(findings, ORDER)).toEqual([{ _tag: 'Whole' }, missing('a')]);
    expect(findings).toEqual([missing('a'), { _tag: 'Whole' }, missing('a'), { _tag: 'Whole' }]);
  });

  test('a shorter key sorts before a longer one it starts', () => {
    const byPrefix: FindingOrder<{ readonly _tag: 'K'; readonly key: readonly string[] }> = { rank: { K: 0 }, key: (f) => f.key };
    expect(sortFindings([{ _tag: 'K', key: ['a', 'b'] }, { _tag: 'K', key: ['a'] }], byPrefix)).toEqual([
      { _tag: 'K', key: ['a'] },
      { _tag: 'K', key: ['a', 'b'] },
    ]);
  });
});

describe('every plan kind lists a finding once', () => {
  test('a sync plan reports a digest requested twice once, as the alias plan does', () => {
    const pinned = `redis@sha256:${'a'.repeat(64)}`;
    expect(planSync({ images: [pinned, pinned], policy: defaultPolicy }).findings).toEqual([
      { _tag: 'NoHarborConfigured' },
      { _tag: 'DigestReference', reference: `docker.io/library/redis@sha256:${'a'.repeat(64)}` },
    ]);
  });
});
