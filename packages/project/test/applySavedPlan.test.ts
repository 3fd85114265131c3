import { describe, expect, test } from '@jest/globals';
import type { ImageStore, Plan, Snapshot } from '@imgalias/core';
import { createMemoryStore } from '@imgalias/adapter-memory';
import { applySavedPlan, describeProjectError, planProject } from '../src/index.js';
import { parsePlanText } from '../src/internal.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-saved-plan-');
const id = (c: string): string => `sha256:${c.repeat(64)}`;
const snapshot: Snapshot = {
  version: 1,
  images: [
    { id: id('1'), names: ['localhost/redis:7'] },
    { id: id('2'), names: ['localhost/nginx:1'] },
    { id: id('3'), names: ['localhost/mc:1'] },
  ],
};

/** The plan `imgalias plan` makes for the snapshot: one origin name to tag per image. */
async function reviewedPlan(cwd: string): Promise<Plan> {
  const planned = await planProject({ cwd, env: {}, mode: 'external', store: createMemoryStore({ snapshot }) });
  if (planned._tag === 'Left') throw new Error(describeProjectError(planned.left));
  return planned.right.plan;
}

const namesOf = async (store: ImageStore): Promise<Readonly<Record<string, string>>> => {
  const read = await store.snapshot();
  if (read._tag === 'Left') throw new Error('the memory store could not be read');
  return Object.fromEntries(read.right.images.flatMap((image) => image.names.map((name) => [name, image.id])));
};

describe('applySavedPlan', () => {
  test('applies the plan as given: its actions only, nothing planned again', async () => {
    const cwd = await tempDir();
    const plan = await reviewedPlan(cwd);
    const only = { ...plan, actions: plan.actions.filter((action) => action.target === 'docker.io/library/redis:7') };
    const store = createMemoryStore({ snapshot });
    const result = await applySavedPlan({ cwd, env: {}, plan: only, store });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.plan).toBe(only);
    expect(result.right.report?.results.map((r) => [r._tag, r.action.target])).toEqual([['Applied', 'docker.io/library/redis:7']]);
    expect(result.right.ok).toBe(true);
    const names = await namesOf(store);
    expect(names['docker.io/library/redis:7']).toBe(id('1'));
    expect(names['docker.io/library/nginx:1']).toBeUndefined();
  });

  test('a stale plan: what the store no longer allows is Refused with the reason and left alone; ok is false', async () => {
    const cwd = await tempDir();
    const plan = await reviewedPlan(cwd);
    // Since the review: nginx:1 was given to another image, and localhost/mc:1 was removed.
    const now: Snapshot = {
      version: 1,
      images: [
        { id: id('1'), names: ['localhost/redis:7'] },
        { id: id('2'), names: ['localhost/nginx:1'] },
        { id: id('4'), names: ['docker.io/library/nginx:1', 'other/mc:1'] },
      ],
    };
    const store = createMemoryStore({ snapshot: now });
    const result = await applySavedPlan({ cwd, env: {}, plan, store });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    const results = result.right.report?.results.map((r) => [r.action.target, r._tag === 'Refused' ? r.reason._tag : r._tag]);
    expect(results).toEqual([
      ['docker.io/library/mc:1', 'Gone'],
      ['docker.io/library/nginx:1', 'Occupied'],
      ['docker.io/library/redis:7', 'Applied'],
    ]);
    expect(result.right.ok).toBe(false);
    const names = await namesOf(store);
    expect(names['docker.io/library/nginx:1']).toBe(id('4'));
    expect(names['docker.io/library/mc:1']).toBeUndefined();
    expect(names['docker.io/library/redis:7']).toBe(id('1'));
  });

  test("the plan's findings make ok false, as for applyProject; a dry run applies nothing", async () => {
    const cwd = await tempDir();
    const plan = await reviewedPlan(cwd);
    const withFinding: Plan = { ...plan, findings: [{ _tag: 'Missing', family: 'docker.io/library/busybox:1', lookedFor: ['docker.io/library/busybox:1'] }] };
    const store = createMemoryStore({ snapshot });
    const dry = await applySavedPlan({ cwd, env: {}, plan: withFinding, store, dryRun: true });
    if (dry._tag === 'Left') throw new Error(describeProjectError(dry.left));
    expect(dry.right.report).toBeUndefined();
    expect(dry.right.ok).toBe(false);
    expect(await namesOf(store)).toEqual(await namesOf(createMemoryStore({ snapshot })));
    const applied = await applySavedPlan({ cwd, env: {}, plan: withFinding, store });
    if (applied._tag === 'Left') throw new Error(describeProjectError(applied.left));
    expect(applied.right.report?.results.every((r) => r._tag === 'Applied')).toBe(true);
    expect(applied.right.ok).toBe(false);
  });
});

describe('parsePlanText', () => {
  const plan: Plan = { version: 1, mode: 'external', actions: [], findings: [] };

  test('decodes what plan --json prints', () => {
    expect(parsePlanText('plan.json', JSON.stringify(plan))).toEqual({ _tag: 'Right', right: plan });
  });

  test('not JSON, not a plan (each problem at its path), and a version this build does not know are told apart', () => {
    expect(parsePlanText('p.json', '{"version": 1,')).toEqual({ _tag: 'Left', left: { _tag: 'PlanFileInvalid', file: 'p.json', errors: [expect.stringMatching(/^not JSON: /)] } });
    const bad = { ...plan, actions: [{ _tag: 'Tag', source: 'a:1', target: 'b:1', imageId: 42, family: 'b:1', role: 'origin', reason: 'missing-name' }] };
    expect(parsePlanText('p.json', JSON.stringify(bad))).toEqual({
      _tag: 'Left',
      left: { _tag: 'PlanFileInvalid', file: 'p.json', errors: ['actions[0].imageId: expected string, got 42'] },
    });
    expect(parsePlanText('p.json', JSON.stringify({ ...plan, version: 2 }))).toEqual({ _tag: 'Left', left: { _tag: 'PlanFileVersion', file: 'p.json', version: 2 } });
    // A version that is not a number is not a plan of any version.
    expect(parsePlanText('p.json', JSON.stringify({ ...plan, version: '1' }))).toMatchObject({ _tag: 'Left', left: { _tag: 'PlanFileInvalid' } });
  });

  test('each error is one line naming the file, and says nothing was changed', () => {
    const lines = [
      describeProjectError({ _tag: 'PlanFileUnreadable', file: 'p.json', message: 'no such file' }),
      describeProjectError({ _tag: 'PlanFileInvalid', file: '-', errors: ['mode: expected "external" | "internal", got nothing', 'actions: expected ReadonlyArray<TagAction>, got nothing'] }),
      describeProjectError({ _tag: 'PlanFileVersion', file: 'p.json', version: 7 }),
    ];
    expect(lines).toEqual([
      'cannot read plan file p.json: no such file. Nothing was changed; save a plan with: imgalias plan --json > FILE',
      'the plan on standard input is not an imgalias plan (what `imgalias plan --json` prints): mode: expected "external" | "internal", got nothing (and 1 more problem). Nothing was changed.',
      'plan file p.json is plan version 7, which this imgalias does not know (it reads version 1): apply it with the imgalias that wrote it, or plan again with this one. Nothing was changed.',
    ]);
  });
});
