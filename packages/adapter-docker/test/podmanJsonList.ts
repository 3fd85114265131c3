// The podman listing the adapter used before its template (`podman images --all --format json`, quadratic in an
// image's names on podman 4.3), kept here only as the reference the template listing must equal.
import { normaliseImageId } from '@imgalias/core/internal';
import type { Snapshot, SnapshotImage } from '@imgalias/core';

export const podmanJsonListArgs = ['images', '--all', '--format', 'json'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): readonly string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The old `parsePodmanArray`: entries merged by Id, `Names` and `RepoTags` united, `@` names counted as digests. */
export const parsePodmanJsonList = (stdout: string): Snapshot => {
  const parsed: unknown = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  if (!Array.isArray(parsed)) throw new Error('the image list is not a JSON array');
  const byId = new Map<string, { names: Set<string>; digests: Set<string> }>();
  for (const item of parsed) {
    const raw = isRecord(item) ? item['Id'] ?? item['ID'] : undefined;
    if (!isRecord(item) || typeof raw !== 'string' || raw === '') throw new Error('an image in the list has no Id');
    const id = normaliseImageId(raw);
    const entry = byId.get(id) ?? { names: new Set<string>(), digests: new Set<string>() };
    byId.set(id, entry);
    for (const name of [...strings(item['Names']), ...strings(item['RepoTags'])]) {
      if (name.includes('<none>')) continue;
      (name.includes('@') ? entry.digests : entry.names).add(name);
    }
    for (const digest of strings(item['RepoDigests'])) if (!digest.includes('<none>')) entry.digests.add(digest);
  }
  const images: SnapshotImage[] = [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, { names, digests }]) => (digests.size > 0 ? { id, names: [...names].sort(), digests: [...digests].sort() } : { id, names: [...names].sort() }));
  return { version: 1, images };
};
