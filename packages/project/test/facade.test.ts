import { describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { left } from 'fp-ts/lib/Either.js';
import type { ImageStore, Snapshot, StoreError } from '@imgalias/core';
import { createMemoryStore } from '@imgalias/adapter-memory';
import type { ProjectEvent } from '../src/index.js';
import { applyProject, checkProject, describeProjectError, fixProject, planProject } from '../src/index.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-project-');

async function projectDir(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const id = (c: string): string => `sha256:${c.repeat(64)}`;
const snapshot: Snapshot = {
  version: 1,
  images: [
    { id: id('1'), names: ['harbor.corp.local/proj/redis:7-alpine'] },
    { id: id('2'), names: ['docker.io/library/nginx:1.27', 'localhost/nginx:1.27'] },
  ],
};
const internal = { mode: 'internal', harbor: 'harbor.corp.local/proj' } as const;

describe('planProject', () => {
  test('plans against an injected store and says where each setting came from', async () => {
    const cwd = await projectDir({ 'imgalias.config.yaml': 'harborLayout: path\nengine: podman\n' });
    const result = await planProject({ cwd, env: {}, ...internal, images: ['redis:7-alpine'], store: createMemoryStore({ snapshot }) });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    const { plan, settings, resolution, ok } = result.right;
    expect(plan.actions.map((action) => action.target)).toEqual(['docker.io/library/redis:7-alpine', 'localhost/redis:7-alpine']);
    expect(ok).toBe(true);
    expect(resolution).toEqual({ mode: 'internal', source: { kind: 'flag', name: 'mode' } });
    expect(settings.harbor?.source).toEqual({ kind: 'flag', name: 'harbor' });
    expect(settings.sources.harborLayout).toEqual({ kind: 'config', file: path.join(cwd, 'imgalias.config.yaml') });
    expect(settings.sources.engine).toEqual({ kind: 'config', file: path.join(cwd, 'imgalias.config.yaml') });
    expect(settings.sources.onConflict).toEqual({ kind: 'default' });
  });

  test('the environment and .env are settings levels too, below the options', async () => {
    const cwd = await projectDir({ '.env': 'IMGALIAS_HARBOR=harbor.corp.local/proj\n' });
    const result = await planProject({ cwd, env: { IMGALIAS_MODE: 'internal' }, images: ['redis:7-alpine'], store: createMemoryStore({ snapshot }) });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.resolution.source).toEqual({ kind: 'env', name: 'IMGALIAS_MODE' });
    expect(result.right.settings.harbor?.source).toEqual({ kind: 'dotenv', name: 'IMGALIAS_HARBOR', file: path.join(cwd, '.env') });
    expect(result.right.plan.actions).toHaveLength(2);
  });

  test('a missing image is a finding, not an error: the plan is not ok', async () => {
    const result = await planProject({ cwd: await projectDir(), env: {}, ...internal, images: ['postgres:16'], store: createMemoryStore({ snapshot }) });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.plan.findings.map((finding) => finding._tag)).toEqual(['Missing']);
    expect(result.right.ok).toBe(false);
  });

  test.each([
    ['an invalid image', { images: ['Redis:7'] }, 'InvalidImages', /invalid image "Redis:7"/],
    ['an invalid option, named as an option', { mode: 'sideways' as never }, 'Config', /^invalid mode "sideways": expected "external", "internal" or "auto"/],
    ['a from path that does not exist', { from: ['nope'] }, 'PathNotFound', /no such file or directory to scan: .*nope\. Check the `from` paths/],
  ])('%s is an error value, and the store is never read', async (_name, options, tag, message) => {
    let reads = 0;
    const store = createMemoryStore({ snapshot });
    const counted = { ...store, snapshot: () => ((reads += 1), store.snapshot()) };
    const result = await planProject({ cwd: await projectDir(), env: {}, ...options, store: counted });
    expect(result._tag).toBe('Left');
    if (result._tag === 'Right') return;
    expect(result.left._tag).toBe(tag);
    expect(describeProjectError(result.left)).toMatch(message);
    expect(reads).toBe(0);
  });

  test('a store that cannot be read is a Store error whose hint is about the read, not about actions applied', async () => {
    const store = createMemoryStore({ snapshot });
    const broken = {
      ...store,
      snapshot: async () => left<StoreError>({ _tag: 'CommandFailed', engine: 'docker', args: ['image', 'ls'], exitCode: 1, message: 'Error response from daemon: something broke' }),
    };
    const result = await planProject({ cwd: await projectDir(), env: {}, images: ['redis:7'], store: broken });
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Store' } });
    if (result._tag === 'Right') return;
    const message = describeProjectError(result.left);
    expect(message).toBe(
      'docker image ls failed with exit status 1: Error response from daemon: something broke. The store could not be read, so nothing more was done; check the message above, then run again.',
    );
    expect(message).not.toMatch(/still applied/);
  });

  test('reads the project files under from, and tells findings and exclusions as they happen', async () => {
    const cwd = await projectDir({
      Dockerfile: 'FROM redis:7-alpine\nFROM nginx:1.27\n',
      'compose.yaml': 'services:\n  app:\n    build: .\n    image: team/app:1\n  db:\n    image: postgres:${PG_TAG}\n',
    });
    const events: ProjectEvent[] = [];
    const result = await planProject({
      cwd,
      env: {},
      ...internal,
      from: ['.'],
      exclude: ['docker.io/library/nginx:*'],
      store: createMemoryStore({ snapshot }),
      onProgress: (event) => events.push(event),
    });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.discovery?.images.map((image) => image.reference)).toEqual(['docker.io/library/nginx:1.27', 'docker.io/library/redis:7-alpine']);
    expect(result.right.images).toEqual(['docker.io/library/redis:7-alpine']);
    expect(result.right.excluded).toEqual([{ image: 'docker.io/library/nginx:1.27', family: 'docker.io/library/nginx:1.27', glob: 'docker.io/library/nginx:*' }]);
    expect(result.right.discoveryProblems.map((finding) => finding._tag)).toEqual(['UnresolvedVariable']);
    expect(result.right.ok).toBe(false);
    expect(events.map((event) => event._tag)).toEqual(['DiscoveryFinding', 'DiscoveryFinding', 'Excluded']);
  });
});

describe('checkProject', () => {
  test("each family's status, and ok only when all are complete", async () => {
    const result = await checkProject({ cwd: await projectDir(), env: {}, ...internal, store: createMemoryStore({ snapshot }) });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.check.families.map((family) => [family.origin, family.status])).toEqual([
      ['docker.io/library/nginx:1.27', 'complete'],
      ['docker.io/library/redis:7-alpine', 'incomplete'],
    ]);
    expect(result.right.ok).toBe(false);
  });
});

describe('fixProject', () => {
  test('applies to the store, reports every action, and a second run has nothing to do', async () => {
    const store = createMemoryStore({ snapshot });
    const events: ProjectEvent['_tag'][] = [];
    const options = { cwd: await projectDir(), env: {}, ...internal, store, onProgress: (event: ProjectEvent) => events.push(event._tag) };
    const first = await fixProject(options);
    if (first._tag === 'Left') throw new Error(describeProjectError(first.left));
    expect(first.right.ok).toBe(true);
    expect(first.right.report?.results.map((result) => [result._tag, result.action.target])).toEqual([
      ['Applied', 'docker.io/library/redis:7-alpine'],
      ['Applied', 'localhost/redis:7-alpine'],
    ]);
    expect(first.right.report?.verified).toBe(true);
    expect(events).toEqual(['Planned', 'Applying', 'ActionDone', 'ActionDone']);

    const check = await checkProject({ ...options, onProgress: () => undefined });
    if (check._tag === 'Left') throw new Error(describeProjectError(check.left));
    expect(check.right.check.families.map((family) => family.status)).toEqual(['complete', 'complete']);
    expect(check.right.ok).toBe(true);
    const second = await fixProject(options);
    if (second._tag === 'Left') throw new Error(describeProjectError(second.left));
    expect(second.right.plan.actions).toEqual([]);
    expect(second.right.report?.results).toEqual([]);
  });

  test('a dry run plans and tags nothing', async () => {
    const store = createMemoryStore({ snapshot });
    const result = await fixProject({ cwd: await projectDir(), env: {}, ...internal, store, dryRun: true });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.plan.actions).toHaveLength(2);
    expect(result.right.report).toBeUndefined();
    const after = await store.snapshot();
    expect(after).toEqual({ _tag: 'Right', right: snapshot });
  });

  test("reads the project in cwd by default: its images are planned with the store's", async () => {
    const cwd = await projectDir({ 'compose.yaml': 'services:\n  cache:\n    image: memcached:1.6\n' });
    const result = await fixProject({ cwd, env: {}, mode: 'external', store: createMemoryStore({ snapshot }), dryRun: true });
    if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
    expect(result.right.images).toContain('docker.io/library/memcached:1.6');
    expect(result.right.plan.findings.map((finding) => finding._tag)).toEqual(['Missing']);
  });
});

describe('the store option takes the ports each job uses', () => {
  test('a store with only the ImageStore port (what createRegistryStore gives: a Harbor, no engine) runs every job', async () => {
    const memory = createMemoryStore({ snapshot });
    // engine, snapshot and apply, nothing else: no pull, push, untag or containers to fall back on.
    const registryLike: ImageStore = { engine: memory.engine, snapshot: () => memory.snapshot(), apply: (plan, options) => memory.apply(plan, options) };
    const options = { cwd: await projectDir(), env: {}, ...internal, images: ['redis:7-alpine'], store: registryLike };

    const planned = await planProject(options);
    if (planned._tag === 'Left') throw new Error(describeProjectError(planned.left));
    expect(planned.right.plan.actions).toHaveLength(2);
    // The result hands back the store given, typed as given.
    const given: ImageStore = planned.right.store;
    expect(Object.keys(given).sort()).toEqual(['apply', 'engine', 'snapshot']);

    const applied = await applyProject(options);
    if (applied._tag === 'Left') throw new Error(describeProjectError(applied.left));
    expect(applied.right.report?.results.map((result) => result._tag)).toEqual(['Applied', 'Applied']);

    const checked = await checkProject(options);
    if (checked._tag === 'Left') throw new Error(describeProjectError(checked.left));
    expect(checked.right.ok).toBe(true);
    const fixed = await fixProject(options);
    if (fixed._tag === 'Left') throw new Error(describeProjectError(fixed.left));
    expect(fixed.right.plan.actions).toEqual([]);
  });
});

