// The podman listing's template against the JSON listing it replaced, on one real private store: whatever the
// store holds, the adapter's snapshot must be exactly what the old `podman images --all --format json` parse gave.
import { describe, expect, jest, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createPodmanStore, engineCli, importImage, requireEngine } from '../../../test-support/engines.js';
import type { PodmanStore } from '../../../test-support/engines.js';
import { requireRegistry } from '../../../test-support/registry.js';
import type { TestRegistry } from '../../../test-support/registry.js';
import { createEngineStore, imageListArgs, parseImageList } from '../src/index.js';
import { podmanJsonListArgs, parsePodmanJsonList } from './podmanJsonList.js';

// Real engine commands: the timeout only catches a hang, never a slow machine.
jest.setTimeout(180_000);

const registry = await requireRegistry();
const podman = registry === undefined ? undefined : await requireEngine('podman', () => createPodmanStore({ insecureRegistries: [registry.host] }));

(podman && registry ? describe : describe.skip)('podman listing: the template gives the JSON listing\'s snapshot', () => {
  const engine = podman as PodmanStore;
  const harbor = registry as TestRegistry;

  const bothListings = async (name?: string) => {
    const json = parsePodmanJsonList(await engineCli(engine, [...podmanJsonListArgs, ...(name === undefined ? [] : [name])]));
    const lines = parseImageList('podman', await engineCli(engine, [...imageListArgs('podman'), ...(name === undefined ? [] : [name])]));
    return { json, lines };
  };

  test('an empty store lists as an empty snapshot, as the damaged-store note expects', async () => {
    const { json, lines } = await bothListings();
    expect(json).toEqual({ version: 1, images: [] });
    expect(lines).toEqual({ _tag: 'Right', right: json });
  });

  test('dangling, several images, several names, localhost/, ports, Docker Hub names and pulled digests', async () => {
    // An image with many names across repositories, registries with ports, and Docker Hub spellings.
    const many = await importImage(engine, [
      'multi:1',
      'multi:2',
      'docker.io/library/multi:3',
      'localhost:5000/team/multi:4',
      `${harbor.host}/proj/multi:5`,
      ...Array.from({ length: 20 }, (_, i) => `harbor.corp.local/proj/m${i}:1.${i}`),
    ]);
    await importImage(engine, ['single:1']);
    // Dangling: imported with a name, then every name taken away.
    const dangling = await importImage(engine, ['dangling:1']);
    await engineCli(engine, ['untag', dangling]);
    // Pulled by digest: a `repo@sha256:...` name and no tag; and one with both a tag and a pulled digest name.
    const push = async (name: string, file: string): Promise<string> => {
      await engineCli(engine, ['push', '--digestfile', `${engine.dir}/${file}`, name]);
      return (await readFile(`${engine.dir}/${file}`, 'utf8')).trim();
    };
    await importImage(engine, [`${harbor.host}/proj/bydigest:1`]);
    const digest = await push(`${harbor.host}/proj/bydigest:1`, 'bydigest.digest');
    await engineCli(engine, ['image', 'rm', `${harbor.host}/proj/bydigest:1`]);
    await engineCli(engine, ['pull', '-q', `${harbor.host}/proj/bydigest@${digest}`]);
    const pushed = await push(`${harbor.host}/proj/multi:5`, 'multi.digest');
    await engineCli(engine, ['pull', '-q', `${harbor.host}/proj/multi@${pushed}`]);
    // Pulled by digest, then tagged: its first name is the digest, so the template scans for its first tag name.
    const later = await importImage(engine, [`${harbor.host}/proj/later:1`]);
    const laterDigest = await push(`${harbor.host}/proj/later:1`, 'later.digest');
    await engineCli(engine, ['image', 'rm', `${harbor.host}/proj/later:1`]);
    await engineCli(engine, ['pull', '-q', `${harbor.host}/proj/later@${laterDigest}`]);
    await engineCli(engine, ['tag', `${harbor.host}/proj/later@${laterDigest}`, 'later:2', 'later:3']);

    const { json, lines } = await bothListings();
    expect(lines).toEqual({ _tag: 'Right', right: json });
    // The scenario holds what it says, so the equality above compares something.
    expect(json.images).toHaveLength(5);
    expect(json.images).toContainEqual({ id: dangling, names: [] });
    expect(json.images.find((image) => image.id === later)).toEqual({
      id: later,
      names: ['localhost/later:2', 'localhost/later:3'],
      digests: expect.arrayContaining([`${harbor.host}/proj/later@${laterDigest}`]),
    });
    // Its names are printed once, on one row, as for an image whose first name is a tag name.
    const listed = await engineCli(engine, [...imageListArgs('podman')]);
    expect(listed.split('localhost/later:3').length - 1).toBe(1);
    expect(listed.split('localhost/multi:2').length - 1).toBe(1);
    expect(json.images.find((image) => image.id === many)?.names).toHaveLength(25);
    expect(json.images.flatMap((image) => image.digests ?? [])).toEqual(
      expect.arrayContaining([`${harbor.host}/proj/bydigest@${digest}`, `${harbor.host}/proj/multi@${pushed}`]),
    );

    // One name's listing (the store's re-read after a tag) gives the same image both ways.
    for (const name of ['multi:2', `${harbor.host}/proj/bydigest@${digest}`, 'single:1', 'later:3']) {
      const one = await bothListings(name);
      expect(one.lines).toEqual({ _tag: 'Right', right: one.json });
      expect(one.json.images).toHaveLength(1);
    }

    // The store's snapshot and inspect run the template.
    const store = createEngineStore({ engine: 'podman', env: engine.env, transport: 'cli' });
    expect(await store.snapshot()).toEqual({ _tag: 'Right', right: json });
  });

  test('the template prints each name once: linear in names where the JSON listing is quadratic', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `wide/w${i}:1`);
    await importImage(engine, names);
    const template = await engineCli(engine, [...imageListArgs('podman'), 'wide/w0:1']);
    const json = await engineCli(engine, [...podmanJsonListArgs, 'wide/w0:1']);
    expect(template.split('localhost/wide/w29:1').length - 1).toBe(1);
    expect(json.split('localhost/wide/w29:1').length - 1).toBeGreaterThanOrEqual(30);
  });
});
