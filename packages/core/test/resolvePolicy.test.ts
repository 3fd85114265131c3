import { describe, expect, test } from '@jest/globals';
import type { AliasPolicy, HarborLayout, MirrorRuleInput, PolicyInput } from '@imgalias/core';
import { defaultPolicy, describePolicyError, planAliases, resolvePolicy } from '@imgalias/core';

const HARBOR = { registry: 'harbor.corp.local', project: 'proj' };

describe('resolvePolicy', () => {
  test('an empty input is the default policy', () => {
    expect(resolvePolicy({})).toEqual({ _tag: 'Right', right: defaultPolicy });
  });

  test('takes the forms config files take: harbor and mirrors as strings or objects, rules without a layout take harborLayout', () => {
    expect(
      resolvePolicy({
        mode: 'internal',
        harbor: 'harbor.corp.local/proj',
        harborLayout: 'proxy-cache',
        mirrors: ['quay.io=harbor.corp.local/quay', { origin: 'nvcr.io', location: { registry: 'harbor.corp.local', project: 'nvcr' }, layout: 'flatten-1' }],
        shortNames: true,
        onConflict: 'retarget',
        harborTags: true,
      }),
    ).toEqual({
      _tag: 'Right',
      right: {
        mode: 'internal',
        harbor: HARBOR,
        harborLayout: 'proxy-cache',
        mirrors: [
          { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' },
          { origin: 'nvcr.io', location: { registry: 'harbor.corp.local', project: 'nvcr' }, layout: 'flatten-1' },
        ],
        shortNames: true,
        onConflict: 'retarget',
        harborTags: true,
      },
    });
    expect(resolvePolicy({ harbor: HARBOR })).toEqual({ _tag: 'Right', right: { ...defaultPolicy, harbor: HARBOR } });
    expect(resolvePolicy({ mirrors: [{ origin: 'quay.io', location: 'harbor.corp.local/quay' }] })).toEqual({
      _tag: 'Right',
      right: { ...defaultPolicy, mirrors: [{ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'path' }] },
    });
  });

  test('the object form takes a staging source (from, fromLayout) as the string form\'s +from= does, by the same checks', () => {
    const staged = { registry: 'staging.corp.local', project: 'quay' };
    const rule = { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache', staging: { location: staged, layout: 'proxy-cache' } };
    expect(resolvePolicy({ mirrors: [{ origin: 'quay.io', location: 'harbor.corp.local/quay', layout: 'proxy-cache', from: 'staging.corp.local/quay' }] })).toEqual({
      _tag: 'Right',
      right: { ...defaultPolicy, mirrors: [rule] },
    });
    // Both forms give one rule; the staging location may be an object too, and fromLayout overrides the rule's layout.
    expect(resolvePolicy({ mirrors: ['quay.io=harbor.corp.local/quay@proxy-cache+from=staging.corp.local/quay@path'] })).toEqual(
      resolvePolicy({ mirrors: [{ origin: 'quay.io', location: 'harbor.corp.local/quay', layout: 'proxy-cache', from: staged, fromLayout: 'path' }] }),
    );
    const refused = resolvePolicy({
      mirrors: [
        { origin: 'quay.io', location: 'harbor.corp.local/quay', from: 'nope' },
        { origin: 'nvcr.io', location: 'harbor.corp.local/nvcr', fromLayout: 'path' },
        { origin: 'gcr.io', location: 'harbor.corp.local/gcr', from: 'harbor.corp.local/gcr' },
        { origin: 'ghcr.io', location: 'harbor.corp.local/ghcr', from: 'staging.corp.local/ghcr', fromLayout: 'deep' as HarborLayout },
        { origin: 'k8s.io', location: 'harbor.corp.local/k8s', from: 5 as unknown as string },
        { origin: 'ecr.io', location: 'harbor.corp.local/ecr', from: 'staging.corp.local/ecr', fromLayout: true as unknown as HarborLayout },
      ],
    });
    // The same reasons as the string form gives for the same rule.
    const stringForm = resolvePolicy({
      mirrors: ['quay.io=harbor.corp.local/quay+from=nope', 'gcr.io=harbor.corp.local/gcr+from=harbor.corp.local/gcr', 'ghcr.io=harbor.corp.local/ghcr+from=staging.corp.local/ghcr@deep'],
    });
    const reasons = (result: typeof refused): string[] =>
      result._tag === 'Left' ? result.left.flatMap((error) => (error._tag === 'InvalidPolicyMirror' ? [error.error.reason] : [])) : [];
    expect(reasons(refused)).toEqual([
      'staging location: expected host[:port]/project',
      'a staging layout without a staging location (write from as well)',
      'the staging source is the Harbor location itself; sync would copy each image onto itself',
      'unknown staging layout "deep" (one of path, proxy-cache, flatten-0, flatten-1, flatten-2, flatten-3, flatten-all, library, flatten)',
    ]);
    expect(reasons(stringForm)).toEqual([reasons(refused)[0], reasons(refused)[2], reasons(refused)[3]]);
    expect(refused._tag === 'Left' ? refused.left.slice(4).map(describePolicyError) : []).toEqual([
      'policy mirrors[4].from: expected a staging location "host[:port]/project" or { registry, project }, got 5',
      'policy mirrors[5].fromLayout: expected one of path, proxy-cache, flatten-0, flatten-1, flatten-2, flatten-3, flatten-all, library, flatten, got true',
    ]);
  });

  test('a resolved policy resolves to itself, staging sources included', () => {
    const resolved = resolvePolicy({
      mode: 'internal',
      harbor: 'harbor.corp.local/proj',
      mirrors: ['quay.io=harbor.corp.local/quay@proxy-cache+from=staging.corp.local/quay@path', { origin: 'nvcr.io', location: 'harbor.corp.local/nvcr', from: 'staging.corp.local/nv' }],
    });
    expect(resolved._tag === 'Right' && resolved.right.mirrors?.map((rule) => rule.staging?.layout)).toEqual(['path', 'path']);
    if (resolved._tag === 'Right') expect(resolvePolicy(resolved.right)).toEqual(resolved);
    // A JavaScript caller's rule with a staging location the types would refuse.
    const badStaging = { origin: 'quay.io', location: HARBOR, layout: 'path', staging: { location: 'nope', layout: 'path' } } as unknown as MirrorRuleInput;
    const notALocation = { origin: 'gcr.io', location: HARBOR, layout: 'path', staging: { location: 4, layout: 'path' } } as unknown as MirrorRuleInput;
    const refused = resolvePolicy({ mirrors: [badStaging, notALocation] });
    expect(refused._tag === 'Left' ? refused.left.map(describePolicyError) : []).toEqual([
      'policy mirrors[0]: invalid mirror rule "quay.io=harbor.corp.local/proj@path+from=nope@path": staging location: expected host[:port]/project',
      'policy mirrors[1].staging.location: expected a staging location "host[:port]/project" or { registry, project }, got 4',
    ]);
  });

  test('reports every problem at its path, as values', () => {
    const input: unknown = {
      mode: 'auto',
      harbor: 'harbor/proj',
      harborLayout: 'pth',
      mirrors: ['quay.io', { origin: 'quay.io', location: 42 }, { origin: 7 }, 'nope', { origin: 'gcr.io', location: 'harbor.corp.local/gcr', layout: 3 }],
      shortNames: 'yes',
      onConflict: 'move',
      harborTags: 1,
    };
    const result = resolvePolicy(input as PolicyInput);
    expect(result._tag).toBe('Left');
    const messages = result._tag === 'Left' ? result.left.map(describePolicyError) : [];
    expect(messages).toEqual([
      'policy mode: expected "external" or "internal" (decide "auto" by probing first), got "auto"',
      'policy harborLayout: expected one of path, proxy-cache, flatten-0, flatten-1, flatten-2, flatten-3, flatten-all, library, flatten, got "pth"',
      'policy shortNames: expected true or false, got "yes"',
      'policy onConflict: expected "report" or "retarget", got "move"',
      'policy harborTags: expected true or false, got 1',
      'policy harbor: invalid Harbor location "harbor/proj": "harbor" would be read as a Docker Hub namespace; use a host with a dot or a port, or localhost',
      'policy mirrors[0]: invalid mirror rule "quay.io": expected ORIGIN=LOCATION[@LAYOUT] (e.g. quay.io=harbor.corp.local/quay@proxy-cache)',
      'policy mirrors[1].location: expected a Harbor location "host[:port]/project" or { registry, project }, got 42',
      'policy mirrors[2].origin: expected a registry host or *, got 7',
      'policy mirrors[3]: invalid mirror rule "nope": expected ORIGIN=LOCATION[@LAYOUT] (e.g. quay.io=harbor.corp.local/quay@proxy-cache)',
      'policy mirrors[4].layout: expected one of path, proxy-cache, flatten-0, flatten-1, flatten-2, flatten-3, flatten-all, library, flatten, got 3',
    ]);
  });

  test('a rule given twice for one origin, or a * rule beside harbor, is refused', () => {
    expect(resolvePolicy({ harbor: 'harbor.corp.local/proj', mirrors: ['quay.io=harbor.corp.local/q', 'quay.io=harbor.corp.local/q2', '*=harbor.corp.local/all'] })).toEqual({
      _tag: 'Left',
      left: [
        { _tag: 'DuplicateMirrorOrigin', path: 'mirrors[1]', origin: 'quay.io' },
        { _tag: 'DuplicateMirrorOrigin', path: 'mirrors[2]', origin: '*' },
      ],
    });
    expect(describePolicyError({ _tag: 'DuplicateMirrorOrigin', path: 'mirrors[2]', origin: '*' })).toBe('policy mirrors[2]: a second * rule (harbor is the * rule); keep one');
    expect(describePolicyError({ _tag: 'DuplicateMirrorOrigin', path: 'mirrors[1]', origin: 'quay.io' })).toBe('policy mirrors[1]: a second rule for quay.io; keep one');
  });

  test('refuses what is not an object, and a mirror list that is not a list', () => {
    expect(resolvePolicy('internal' as unknown as PolicyInput)).toEqual({
      _tag: 'Left',
      left: [{ _tag: 'InvalidPolicyField', path: '(root)', expected: 'an object of policy settings', actual: '"internal"' }],
    });
    const notAList = resolvePolicy({ mirrors: 'quay.io=harbor.corp.local/q' } as unknown as PolicyInput);
    expect(notAList._tag === 'Left' ? notAList.left.map(describePolicyError) : []).toEqual([
      'policy mirrors: expected a list of mirror rules ("ORIGIN=LOCATION[@LAYOUT]" or { origin, location, layout?, from?, fromLayout? }), got "quay.io=harbor.corp.local/q"',
    ]);
    const harborObject = resolvePolicy({ harbor: { registry: 'harbor.corp.local' } } as unknown as PolicyInput);
    expect(harborObject._tag === 'Left' ? harborObject.left.map(describePolicyError) : []).toEqual([
      'policy harbor: expected a Harbor location "host[:port]/project" or { registry, project }, got an object',
    ]);
  });
});

describe('a policy without harborLayout cannot name an image "undefined"', () => {
  const snapshot = { version: 1 as const, images: [{ id: 'sha256:1', names: ['redis:7-alpine'] }] };

  test('the type requires every field', () => {
    // @ts-expect-error harborLayout is required: build a policy with resolvePolicy or from defaultPolicy
    const half: AliasPolicy = { mode: 'internal', harbor: HARBOR, shortNames: false, onConflict: 'report', harborTags: true };
    expect(half.harborLayout).toBeUndefined();
  });

  test('a JavaScript caller that leaves harborLayout out gets the default layout (the old bug built harbor.corp.local/proj/undefined:7-alpine)', () => {
    const policy = { mode: 'internal', harbor: HARBOR, shortNames: false, onConflict: 'report', harborTags: true } as unknown as AliasPolicy;
    const plan = planAliases({ snapshot, images: ['redis:7-alpine'], policy });
    expect(plan.actions.map((action) => action.target)).toEqual(['harbor.corp.local/proj/redis:7-alpine', 'localhost/redis:7-alpine']);
    expect(plan.harborNames).toEqual([
      { family: 'docker.io/library/redis:7-alpine', name: 'harbor.corp.local/proj/redis:7-alpine', rule: { origin: '*', location: HARBOR, layout: 'path' } },
    ]);
  });

  test('whichever fields a JavaScript caller leaves out, no name in the plan says undefined', () => {
    const full: Record<string, unknown> = { mode: 'internal', harbor: HARBOR, harborLayout: 'path', shortNames: true, onConflict: 'retarget', harborTags: true };
    const optional = ['mode', 'harborLayout', 'shortNames', 'onConflict', 'harborTags'];
    for (let mask = 0; mask < 2 ** optional.length; mask++) {
      const policy = Object.fromEntries(Object.entries(full).filter(([key]) => !optional.some((name, bit) => name === key && (mask & (1 << bit)) !== 0)));
      const plan = planAliases({ snapshot, images: ['redis:7-alpine', 'osixia/openldap:stable'], policy: policy as unknown as AliasPolicy });
      expect(JSON.stringify(plan)).not.toContain('undefined');
      expect(['external', 'internal']).toContain(plan.mode);
    }
  });
});
