import { describe, expect, test } from '@jest/globals';
import type { Plan } from '@imgalias/core';
import {
  PlanCodec,
  PolicyCodec,
  SnapshotCodec,
  decode,
  describeDecodeError,
  planAliases,
} from '@imgalias/core';
import {
  ConflictPolicyCodec,
  HarborLayoutCodec,
  HarborLocationFromString,
  ImageReferenceFromString,
  NetworkModeCodec,
} from '@imgalias/core/internal';
import { HARBOR, policy, snapshot } from './support/builders.js';

const errorsOf = (result: ReturnType<typeof decode>): readonly { path: string; message: string }[] =>
  result._tag === 'Left' ? result.left.errors : [];

describe('SnapshotCodec', () => {
  test('decodes a snapshot and ignores unknown extra fields', () => {
    expect(
      decode(SnapshotCodec, {
        version: 1,
        engine: 'docker',
        images: [{ id: 'sha256:a', names: ['redis:7'], size: 5 }, { id: 'sha256:b', names: [], digests: ['redis@sha256:1'] }],
      }),
    ).toEqual({
      _tag: 'Right',
      right: { version: 1, images: [{ id: 'sha256:a', names: ['redis:7'] }, { id: 'sha256:b', names: [], digests: ['redis@sha256:1'] }] },
    });
  });

  test('reports every problem with a readable path', () => {
    const result = decode(SnapshotCodec, {
      version: 2,
      images: [{ id: 'a', names: [] }, { id: 'b', names: [] }, { id: 'c', names: [] }, { id: 'd', names: ['ok', 42] }, { names: 'x', digests: [1] }],
    });
    expect(errorsOf(result)).toEqual([
      { path: 'version', message: 'expected 1, got 2' },
      { path: 'images[3].names[1]', message: 'expected string, got 42' },
      { path: 'images[4].id', message: 'expected string, got nothing' },
      { path: 'images[4].names', message: 'expected ReadonlyArray<string>, got "x"' },
      { path: 'images[4].digests[0]', message: 'expected string, got 1' },
    ]);
    expect(result._tag === 'Left' && describeDecodeError(result.left)).toBe(
      [
        'version: expected 1, got 2',
        'images[3].names[1]: expected string, got 42',
        'images[4].id: expected string, got nothing',
        'images[4].names: expected ReadonlyArray<string>, got "x"',
        'images[4].digests[0]: expected string, got 1',
      ].join('\n'),
    );
  });

  test('a wrong root is reported at (root)', () => {
    const result = decode(SnapshotCodec, [1, 2]);
    expect(result._tag === 'Left' && describeDecodeError(result.left)).toBe('(root): expected Snapshot, got [1,2]');
  });

  test('values JSON cannot show are shown as text', () => {
    expect(errorsOf(decode(SnapshotCodec, { version: 1, images: [{ id: BigInt(7), names: [] }] }))).toEqual([
      { path: 'images[0].id', message: 'expected string, got 7' },
    ]);
  });

  test('long error lists are cut, long values shortened', () => {
    const result = decode(SnapshotCodec, { version: 1, images: Array.from({ length: 25 }, () => ({ id: 'x'.repeat(100), names: 'y'.repeat(100) })) });
    const text = result._tag === 'Left' ? describeDecodeError(result.left) : '';
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toContain('...and 5 more');
    expect(text).toContain(`images[0].names: expected ReadonlyArray<string>, got "${'y'.repeat(56)}...`);
  });
});

describe('PolicyCodec', () => {
  const base = { mode: 'internal', harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false };

  test('accepts harbor as an object or a host/project string and encodes it as an object', () => {
    const expected = { ...policy({ mode: 'internal', harbor: HARBOR }) };
    expect(decode(PolicyCodec, { ...base, harbor: 'harbor.corp.local/proj' })).toEqual({ _tag: 'Right', right: expected });
    expect(decode(PolicyCodec, { ...base, harbor: HARBOR })).toEqual({ _tag: 'Right', right: expected });
    expect(PolicyCodec.encode(expected)).toEqual({ ...base, harbor: HARBOR });
    expect(decode(PolicyCodec, PolicyCodec.encode(expected))).toEqual({ _tag: 'Right', right: expected });
  });

  test('keeps a mirror rule\'s staging source (locations as objects or strings), and rules without one as they are', () => {
    const staged = { origin: 'quay.io', location: HARBOR, layout: 'proxy-cache', staging: { location: 'staging.corp.local/quay', layout: 'path' } };
    const plain = { origin: '*', location: 'harbor.corp.local/proj', layout: 'path' };
    const decoded = decode(PolicyCodec, { ...base, mirrors: [staged, plain] });
    const expected = [
      { ...staged, staging: { location: { registry: 'staging.corp.local', project: 'quay' }, layout: 'path' } },
      { ...plain, location: HARBOR },
    ];
    expect(decoded).toEqual({ _tag: 'Right', right: { ...policy({ mode: 'internal' }), mirrors: expected } });
    expect(decode(PolicyCodec, PolicyCodec.encode({ ...policy({ mode: 'internal' }), mirrors: expected as never }))).toEqual(decoded);
  });

  test('explains a bad Harbor string once, and bad enums with their choices', () => {
    expect(errorsOf(decode(PolicyCodec, { ...base, mode: 'offline', harborLayout: 'deep', onConflict: 'move', harbor: 'nope' }))).toEqual([
      { path: 'mode', message: 'expected "external" | "internal", got "offline"' },
      { path: 'harborLayout', message: 'expected "path" | "proxy-cache" | "flatten-0" | "flatten-1" | "flatten-2" | "flatten-3" | "flatten-all" | "library" | "flatten", got "deep"' },
      { path: 'onConflict', message: 'expected "report" | "retarget", got "move"' },
      { path: 'harbor', message: 'invalid Harbor location "nope": expected host[:port]/project' },
    ]);
  });

  test('small codecs', () => {
    expect(NetworkModeCodec.is('internal')).toBe(true);
    expect(HarborLayoutCodec.is('flatten')).toBe(true);
    expect(ConflictPolicyCodec.is('retarget')).toBe(true);
    expect(HarborLocationFromString.encode(HARBOR)).toBe('harbor.corp.local/proj');
    expect(HarborLocationFromString.is(HARBOR)).toBe(true);
    expect(HarborLocationFromString.is('harbor.corp.local/proj')).toBe(false);
    expect(errorsOf(decode(HarborLocationFromString, 5))).toEqual([{ path: '', message: 'expected a Harbor location string "host[:port]/project"' }]);
    expect(decode(ImageReferenceFromString, 'redis:7')).toEqual({ _tag: 'Right', right: { domain: 'docker.io', path: 'library/redis', tag: '7' } });
    expect(ImageReferenceFromString.encode({ domain: 'docker.io', path: 'library/redis', tag: '7' })).toBe('docker.io/library/redis:7');
    expect(ImageReferenceFromString.is({ domain: 'docker.io', path: 'library/redis' })).toBe(true);
    expect(errorsOf(decode(ImageReferenceFromString, 'Redis'))).toEqual([
      { path: '', message: 'invalid reference format: repository name must be lowercase ("Redis")' },
    ]);
    expect(errorsOf(decode(ImageReferenceFromString, 7))).toEqual([{ path: '', message: 'expected an image reference string' }]);
  });
});

describe('PlanCodec', () => {
  const plan: Plan = planAliases({
    snapshot: snapshot(['sha256:o', 'redis:7-alpine', 'Bad Name'], ['sha256:x', 'localhost/redis:7-alpine'], ['sha256:q', 'localhost/minio']),
    images: ['redis:7-alpine', 'minio', 'nginx', `nginx@sha256:${'a'.repeat(64)}`, 'redis@sha256:1', ''],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
  });

  test('round-trips a plan with every kind of action and finding', () => {
    expect(new Set(plan.findings.map((finding) => finding._tag))).toEqual(
      new Set(['Missing', 'Conflict', 'DigestReference', 'InvalidRequest', 'InvalidSnapshotName']),
    );
    const json: unknown = JSON.parse(JSON.stringify(PlanCodec.encode(plan)));
    expect(decode(PlanCodec, json)).toEqual({ _tag: 'Right', right: plan });
    expect(PlanCodec.is(plan)).toBe(true);
  });

  test('a retarget action round-trips', () => {
    const retarget = planAliases({
      snapshot: snapshot(['sha256:o', 'redis:7-alpine'], ['sha256:x', 'localhost/redis:7-alpine']),
      images: ['redis:7-alpine'],
      policy: policy({ onConflict: 'retarget' }),
    });
    expect(retarget.actions[0]?.replaces).toBe('sha256:x');
    expect(decode(PlanCodec, JSON.parse(JSON.stringify(retarget)))).toEqual({ _tag: 'Right', right: retarget });
  });

  test('finding errors are reported inside the finding its _tag names', () => {
    expect(
      errorsOf(
        decode(PlanCodec, {
          version: 1,
          mode: 'internal',
          actions: [{ _tag: 'Tag', source: 's', target: 't', imageId: 'i', family: 'f', role: 'boss', reason: 'missing-name' }],
          findings: [
            { _tag: 'Nope' },
            { _tag: 'Missing', family: 'x', lookedFor: [1] },
            5,
            { _tag: 'InvalidRequest', input: 'x', error: { _tag: 'InvalidFormat' } },
            { _tag: 'InvalidRequest', input: 'x', error: { _tag: 'Other', input: 'x' } },
          ],
        }),
      ),
    ).toEqual([
      { path: 'actions[0].role', message: 'expected "harbor" | "localhost" | "origin" | "short" | "localhost-short", got "boss"' },
      { path: 'findings[0]._tag', message: 'expected "Missing" | "Conflict" | "AmbiguousMirror" | "MirrorTooDeep" | "DigestReference" | "InvalidRequest" | "InvalidSnapshotName", got "Nope"' },
      { path: 'findings[1].lookedFor[0]', message: 'expected string, got 1' },
      {
        path: 'findings[2]',
        message: 'expected Finding (an object with _tag "Missing" | "Conflict" | "AmbiguousMirror" | "MirrorTooDeep" | "DigestReference" | "InvalidRequest" | "InvalidSnapshotName"), got 5',
      },
      { path: 'findings[3].error.input', message: 'expected string, got nothing' },
      {
        path: 'findings[4].error._tag',
        message: 'expected "EmptyReference" | "InvalidFormat" | "NameContainsUppercase" | "NameTooLong" | "InvalidDigest" | "AnonymousName", got "Other"',
      },
    ]);
  });
});
