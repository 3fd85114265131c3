import type { AliasPolicy, Finding, MemberRole, Snapshot, TagAction } from '@imgalias/core';
import { defaultPolicy } from '@imgalias/core';

/** `snapshot(['sha256:a', 'redis:7', 'localhost/redis:7'], ['sha256:b'])`: each image is its id, then its names. */
export const snapshot = (...images: ReadonlyArray<readonly [string, ...string[]]>): Snapshot => ({
  version: 1,
  images: images.map(([id, ...names]) => ({ id, names })),
});

export const HARBOR = { registry: 'harbor.corp.local', project: 'proj' } as const;

export const policy = (overrides: Partial<AliasPolicy> = {}): AliasPolicy => ({ ...defaultPolicy, ...overrides });

/** A Tag action; names are canonical, as in plans. */
export const tag = (
  source: string,
  target: string,
  imageId: string,
  family: string,
  role: MemberRole,
  replaces?: string,
): TagAction =>
  replaces === undefined
    ? { _tag: 'Tag', source, target, imageId, family, role, reason: 'missing-name' }
    : { _tag: 'Tag', source, target, imageId, family, role, reason: 'retarget', replaces };

export const conflict = (
  family: string,
  name: string,
  imageId: string,
  expectedImageId: string,
  source: string,
): Finding => ({ _tag: 'Conflict', family, name, imageId, expectedImageId, source });

export const missing = (family: string, lookedFor: readonly string[], pull: string): Finding => ({
  _tag: 'Missing',
  family,
  lookedFor,
  pull,
});
