import { describe, expect, test } from '@jest/globals';
import type { Plan, Refusal, Snapshot, TagAction, UntagAction } from '@imgalias/core';
import { describeRefusal } from '@imgalias/core';
import { normaliseImageId, planMismatches, preflightPlan, preflightUntag, recheckTarget, verifyPlan } from '@imgalias/core/internal';

const hex = (c: string): string => c.repeat(64);
const A = `sha256:${hex('a')}`;
const B = `sha256:${hex('b')}`;

const tag = (source: string, target: string, overrides: Partial<TagAction> = {}): TagAction => ({
  _tag: 'Tag',
  source,
  target,
  imageId: A,
  family: 'docker.io/library/redis:7',
  role: 'origin',
  reason: 'missing-name',
  ...overrides,
});
const planOf = (...actions: TagAction[]): Plan => ({ version: 1, mode: 'external', actions, findings: [] });
const store = (...images: { id: string; names: string[] }[]): Snapshot => ({ version: 1, images });

/** The outcome of each action in one word, and the refusal (its kind and sentence) of those not run. */
const outcomes = (plan: Plan, snapshot: Snapshot): string[] =>
  preflightPlan({ plan, snapshot }).map((d) =>
    d._tag === 'Run'
      ? `run ${d.sourceName} -> ${d.targetName}`
      : d.result._tag === 'Applied'
        ? 'already'
        : d.result._tag === 'Refused'
          ? `refused ${d.result.reason._tag}: ${describeRefusal(d.result.reason)}`
          : d.result._tag,
  );

describe('preflightPlan', () => {
  test.each<[string, Plan, Snapshot, string[]]>([
    ['a needed tag runs, with canonical names', planOf(tag('localhost/redis:7', 'redis:7')), store({ id: A, names: ['localhost/redis:7'] }),
      ['run localhost/redis:7 -> docker.io/library/redis:7']],
    ['a target already on its image is applied without running', planOf(tag('localhost/redis:7', 'redis:7')),
      store({ id: A, names: ['localhost/redis:7', 'redis:7'] }), ['already']],
    ['bare podman ids compare equal to sha256 ids', planOf(tag('localhost/redis:7', 'redis:7')),
      store({ id: hex('a'), names: ['localhost/redis:7'] }), ['run localhost/redis:7 -> docker.io/library/redis:7']],
    ['an invalid source never runs', planOf(tag('Redis:7', 'redis:7')), store({ id: A, names: ['localhost/redis:7'] }),
      ['refused InvalidName: invalid reference format: repository name must be lowercase ("Redis:7")']],
    ['an invalid target never runs', planOf(tag('localhost/redis:7', 'redis:7; rm -rf /')), store({ id: A, names: ['localhost/redis:7'] }),
      [expect.stringMatching(/^refused InvalidName: invalid reference format/) as unknown as string]],
    ['a digest target never runs', planOf(tag('localhost/redis:7', `redis@sha256:${hex('c')}`)), store({ id: A, names: ['localhost/redis:7'] }),
      [expect.stringMatching(/^refused DigestTarget: .*is a digest reference/) as unknown as string]],
    ['a second action for one target does not run', planOf(tag('localhost/redis:7', 'redis:7'), tag('localhost/redis:7', 'docker.io/library/redis:7')),
      store({ id: A, names: ['localhost/redis:7'] }),
      ['run localhost/redis:7 -> docker.io/library/redis:7', expect.stringMatching(/^refused DuplicateTarget: .*more than one action/) as unknown as string]],
    ['a source that is gone does not run', planOf(tag('localhost/redis:7', 'redis:7')), store(),
      [expect.stringMatching(/^refused Gone: .*is no longer in the store/) as unknown as string]],
    ['a source that moved does not run', planOf(tag('localhost/redis:7', 'redis:7')), store({ id: B, names: ['localhost/redis:7'] }),
      [expect.stringMatching(/^refused Moved: .*now names sha256:b+/) as unknown as string]],
    ['a target that points elsewhere is never moved without retarget', planOf(tag('localhost/redis:7', 'redis:7')),
      store({ id: A, names: ['localhost/redis:7'] }, { id: B, names: ['redis:7'] }),
      [expect.stringMatching(/^refused Occupied: .*the plan does not say to move it/) as unknown as string]],
    ['a retarget of exactly the image it replaces runs', planOf(tag('localhost/redis:7', 'redis:7', { reason: 'retarget', replaces: B })),
      store({ id: A, names: ['localhost/redis:7'] }, { id: B, names: ['redis:7'] }), ['run localhost/redis:7 -> docker.io/library/redis:7']],
    ['a retarget that replaces another image than the one there does not run',
      planOf(tag('localhost/redis:7', 'redis:7', { reason: 'retarget', replaces: `sha256:${hex('d')}` })),
      store({ id: A, names: ['localhost/redis:7'] }, { id: B, names: ['redis:7'] }),
      [expect.stringMatching(/^refused Occupied: .*the plan does not say to move it/) as unknown as string]],
    ['a digest source cannot have moved and runs', planOf(tag(`redis@sha256:${hex('c')}`, 'redis:7')), store({ id: A, names: [] }),
      [`run redis@sha256:${hex('c')} -> docker.io/library/redis:7`]],
  ])('%s', (_name, plan, snapshot, expected) => {
    expect(outcomes(plan, snapshot)).toEqual(expected);
  });

  test('a refusal is data: the action and the reason with what was found, not an engine error', () => {
    const stale = tag('localhost/redis:7', 'redis:7');
    const occupied = tag('localhost/redis:7', 'redis:8');
    expect(preflightPlan({ plan: planOf(stale, occupied, tag('Bad:1', 'redis:9')), snapshot: store({ id: B, names: ['localhost/redis:7', 'redis:8'] }) })).toEqual([
      { _tag: 'Done', result: { _tag: 'Refused', action: stale, reason: { _tag: 'Moved', name: 'localhost/redis:7', planned: A, found: B } } },
      { _tag: 'Done', result: { _tag: 'Refused', action: occupied, reason: { _tag: 'Moved', name: 'localhost/redis:7', planned: A, found: B } } },
      { _tag: 'Done', result: { _tag: 'Refused', action: tag('Bad:1', 'redis:9'), reason: { _tag: 'InvalidName', name: 'Bad:1', error: { _tag: 'NameContainsUppercase', input: 'Bad:1' } } } },
    ]);
    expect(preflightPlan({ plan: planOf(occupied), snapshot: store({ id: A, names: ['localhost/redis:7'] }, { id: B, names: ['redis:8'] }) })).toEqual([
      { _tag: 'Done', result: { _tag: 'Refused', action: occupied, reason: { _tag: 'Occupied', name: 'redis:8', found: B } } },
    ]);
  });
});

describe('verifyPlan', () => {
  const plan = planOf(tag('localhost/redis:7', 'redis:7'));
  test('true when every target is on its planned image, in any spelling and id form', () => {
    expect(verifyPlan(store({ id: hex('a'), names: ['localhost/redis:7', 'docker.io/library/redis:7'] }), plan)).toBe(true);
  });
  test('false when a target is missing or elsewhere, or not a tag', () => {
    expect(verifyPlan(store({ id: A, names: ['localhost/redis:7'] }), plan)).toBe(false);
    expect(verifyPlan(store({ id: B, names: ['redis:7'] }), plan)).toBe(false);
    expect(verifyPlan(store(), planOf(tag('localhost/redis:7', 'Not A Name')))).toBe(false);
  });
  test('an empty plan is verified', () => {
    expect(verifyPlan(store(), planOf())).toBe(true);
  });
});

describe('recheckTarget: the target read again right before its tag', () => {
  const C = `sha256:${hex('c')}`;
  const runOf = (plan: Plan, snapshot: Snapshot) => {
    const [decision] = preflightPlan({ plan, snapshot });
    if (decision?._tag !== 'Run') throw new Error('expected a Run decision');
    return decision;
  };
  const missing = runOf(planOf(tag('localhost/redis:7', 'redis:7')), store({ id: A, names: ['localhost/redis:7'] }));
  const retarget = runOf(
    planOf(tag('localhost/redis:7', 'redis:7', { reason: 'retarget', replaces: B })),
    store({ id: A, names: ['localhost/redis:7'] }, { id: B, names: ['redis:7'] }),
  );

  test.each<[string, ReturnType<typeof runOf>, string | undefined, unknown]>([
    ['still absent: run', missing, undefined, 'Run'],
    ['still on the image a retarget replaces (bare podman id): run', retarget, hex('b'), 'Run'],
    ['another process already made it the planned image: applied, nothing run', missing, A, { _tag: 'Applied', action: missing.action }],
    ['another process pointed it elsewhere: changed under us, never moved', missing, C,
      { _tag: 'ChangedUnderUs', action: missing.action, found: C }],
    ['the image a retarget replaces was swapped for a third: changed under us', retarget, C,
      { _tag: 'ChangedUnderUs', action: retarget.action, expected: B, found: C }],
    ['a retarget whose target vanished: changed under us', retarget, undefined, { _tag: 'ChangedUnderUs', action: retarget.action, expected: B }],
  ])('%s', (_name, decision, now, expected) => {
    expect(recheckTarget(decision, now)).toEqual(expected);
  });
});

describe('planMismatches: what the verifying read reports, by name', () => {
  test('names every target not on its planned image, with what it points at now', () => {
    const plan = planOf(tag('localhost/redis:7', 'redis:7'), tag('localhost/redis:7', 'redis:latest'), tag('localhost/redis:7', 'redis:8'));
    const after = store({ id: A, names: ['localhost/redis:7', 'redis:7'] }, { id: hex('b'), names: ['redis:latest'] });
    expect(planMismatches(after, plan)).toEqual([
      { name: 'docker.io/library/redis:latest', planned: A, found: B },
      { name: 'docker.io/library/redis:8', planned: A },
    ]);
  });
  test('a target that is not a tag is a mismatch under its own spelling', () => {
    expect(planMismatches(store(), planOf(tag('localhost/redis:7', 'Not A Name')))).toEqual([{ name: 'Not A Name', planned: A }]);
  });
});

test('normaliseImageId prefixes bare hex only', () => {
  expect(normaliseImageId(hex('a'))).toBe(A);
  expect(normaliseImageId(A)).toBe(A);
  expect(normaliseImageId('abc')).toBe('abc');
});

describe('preflightUntag: a clean plan judged against the store right before removing', () => {
  const untag = (name: string, imageId = A): UntagAction => ({ _tag: 'Untag', name, imageId, family: 'docker.io/library/redis:7', role: 'origin' });

  test('runs a name still on its planned image; refuses, as data, one that is gone, moved or not a name', () => {
    const now = store({ id: A, names: ['redis:7'] }, { id: hex('b'), names: ['localhost/redis:7'] });
    expect(preflightUntag({ actions: [untag('docker.io/library/redis:7'), untag('localhost/redis:7'), untag('gone:1'), untag('Bad:1')], snapshot: now })).toEqual([
      { _tag: 'Run', action: untag('docker.io/library/redis:7') },
      { _tag: 'Done', result: { _tag: 'Refused', action: untag('localhost/redis:7'), reason: { _tag: 'Moved', name: 'localhost/redis:7', planned: A, found: B } } },
      { _tag: 'Done', result: { _tag: 'Refused', action: untag('gone:1'), reason: { _tag: 'Gone', name: 'gone:1' } } },
      { _tag: 'Done', result: { _tag: 'Refused', action: untag('Bad:1'), reason: { _tag: 'InvalidName', name: 'Bad:1', error: expect.objectContaining({ _tag: expect.any(String) }) } } },
    ]);
  });
});

describe('describeRefusal', () => {
  test.each<[Refusal, RegExp]>([
    [{ _tag: 'InvalidName', name: 'Bad:1', error: { _tag: 'NameContainsUppercase', input: 'Bad:1' } as Extract<Refusal, { _tag: 'InvalidName' }>['error'] }, /must be lowercase/],
    [{ _tag: 'DigestTarget', name: 'redis@sha256:1' }, /is a digest reference; a digest names content and is never a tag target$/],
    [{ _tag: 'DuplicateTarget', name: 'redis:7' }, /^the plan has more than one action for redis:7; only the first runs$/],
    [{ _tag: 'Gone', name: 'redis:7' }, /^redis:7 is no longer in the store; take a new snapshot and plan again$/],
    [{ _tag: 'Moved', name: 'redis:7', planned: A, found: B }, /^redis:7 now names sha256:b+, not the planned sha256:a+; plan again$/],
    [{ _tag: 'Occupied', name: 'redis:7', found: B }, /^redis:7 now points at sha256:b+ and the plan does not say to move it; plan again$/],
    [{ _tag: 'NotWritable', name: 'docker.io/library/redis:7' }, /^docker.io\/library\/redis:7 is not a name this store may write \(a registry store tags only Harbor names\); plan with/],
    [{ _tag: 'NotHeld', name: 'redis:7' }, /^redis:7 is not a name this store holds; plan again from this store's own snapshot$/],
  ])('%j', (refusal, message) => {
    expect(describeRefusal(refusal)).toMatch(message);
  });
});
