import type { AliasPolicy, Snapshot } from '@imgalias/core';
import { defaultPolicy } from '@imgalias/core';

/** `store(['sha256:a', 'redis:7', 'localhost/redis:7'], ['sha256:b'])`: each image is its id, then its names. */
export const store = (...images: ReadonlyArray<readonly [string, ...string[]]>): Snapshot => ({
  version: 1,
  images: images.map(([id, ...names]) => ({ id, names })),
});

export const EMPTY: Snapshot = { version: 1, images: [] };

/** The test registry playing Harbor. */
export const HARBOR = { registry: '127.0.0.1:5000', project: 'aihpc' } as const;

export const rules = (overrides: Partial<AliasPolicy> = {}): AliasPolicy => ({ ...defaultPolicy, ...overrides });

/** A single mirror rule for Docker Hub on the test registry: other registries have no Harbor name. */
export const HUB_ONLY = [{ origin: 'docker.io', location: HARBOR, layout: 'path' }] as const;
