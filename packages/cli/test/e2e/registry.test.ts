// `imgalias check --registry` and `imgalias sync` run as users run them (dist/bin.js), against a real
// docker-registry on 127.0.0.1 playing Harbor. No engine is installed or reachable in these runs.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { requireRegistry } from '../../../../test-support/registry.js';
import { getBlob, getManifest, pushImage, pushIndex } from '../../../../test-support/registryImages.js';
import { deadDockerHost, ensureBuilt, imgalias, tempDir } from './support/cli.js';

// Real registries on a shared machine: a loaded host can stretch a copy past jest's 5 s default.
jest.setTimeout(60_000);

beforeAll(ensureBuilt, 600_000);

const harbor = await requireRegistry({ project: 'proj' });

(harbor ? describe : describe.skip)('check --registry against a loopback Harbor', () => {
  let multiDigest = '';
  beforeAll(async () => {
    const base = `http://${harbor!.host}`;
    // As if synced before: redis:7 as a two-platform index, alpine:3 for amd64 only; nginx is absent.
    multiDigest = (await pushIndex({ base, repo: 'proj/redis', tag: '7', seed: 'redis', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] })).digest;
    await pushImage({ base, repo: 'proj/alpine', tag: '3', seed: 'alpine' });
  });
  const env = (dir: string) => ({ DOCKER_HOST: deadDockerHost(dir) });

  test('every image present: exit 0, each listed with its digest', async () => {
    const dir = await tempDir();
    const r = await imgalias(['check', '--registry', '--harbor', harbor!.harbor, 'redis:7', 'alpine:3'], { cwd: dir, env: env(dir) });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`present     ${harbor!.harbor}/redis:7  ${multiDigest}`);
    expect(r.stdout).toMatch(/^2 present, 0 missing, 0 incomplete, 0 unreadable$/m);
  });

  test('a missing image and a missing platform: exit 1 listing both, in text, JSON and Markdown', async () => {
    const dir = await tempDir();
    const args = ['check', '--registry', '--harbor', harbor!.harbor, '--platform', 'linux/amd64,linux/arm64', 'redis:7', 'alpine:3', 'nginx:1.27'];
    const text = await imgalias(args, { cwd: dir, env: env(dir) });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`missing     ${harbor!.harbor}/nginx:1.27  not in the registry`);
    expect(text.stdout).toMatch(new RegExp(`incomplete  ${harbor!.harbor}/alpine:3  sha256:[a-f0-9]{64}  lacks linux/arm64`));
    expect(text.stdout).toContain(`present     ${harbor!.harbor}/redis:7  ${multiDigest}  linux/amd64, linux/arm64`);
    const json = await imgalias([...args, '--json'], { cwd: dir, env: env(dir) });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as { images: { status: string; target: string; missingPlatforms?: string[] }[] };
    expect(report.images.map((i) => [i.status, i.target])).toEqual([
      ['incomplete', `${harbor!.harbor}/alpine:3`],
      ['missing', `${harbor!.harbor}/nginx:1.27`],
      ['present', `${harbor!.harbor}/redis:7`],
    ]);
    const md = await imgalias([...args, '--format', 'markdown'], { cwd: dir, env: env(dir) });
    expect(md.exitCode).toBe(1);
    expect(md.stdout).toContain(`| missing | \`nginx:1.27\` | \`${harbor!.harbor}/nginx:1.27\` | not in the registry |`);
  });

  test('the project in the current directory is what is checked when nothing is named', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM redis:7\nRUN true\n');
    const r = await imgalias(['check', '--registry', '--harbor', harbor!.harbor], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^1 present, 0 missing/m);
  });

  test('bad input exits 2 before any registry is asked', async () => {
    const dir = await tempDir();
    const before = (await harbor!.requests()).length;
    const platform = await imgalias(['check', '--registry', '--harbor', harbor!.harbor, '--platform', 'linux', 'redis:7'], { cwd: dir, env: env(dir) });
    expect(platform.exitCode).toBe(2);
    expect(platform.stderr).toMatch(/invalid --platform "linux"/);
    const ca = await imgalias(['sync', '--harbor', harbor!.harbor, '--ca-file', path.join(dir, 'absent.pem'), 'redis:7'], { cwd: dir, env: env(dir) });
    expect(ca.exitCode).toBe(2);
    expect(ca.stderr).toMatch(/cannot read --ca-file/);
    const image = await imgalias(['sync', '--harbor', harbor!.harbor, 'Bad Name'], { cwd: dir, env: env(dir) });
    expect(image.exitCode).toBe(2);
    expect((await harbor!.requests()).length).toBe(before);
  });
});

const origin = await requireRegistry();

(harbor && origin ? describe : describe.skip)('sync from a loopback origin registry to a loopback Harbor', () => {
  const env = (dir: string) => ({ DOCKER_HOST: deadDockerHost(dir) });
  let index: Awaited<ReturnType<typeof pushIndex>>;
  let single: Awaited<ReturnType<typeof pushImage>>;
  beforeAll(async () => {
    const base = `http://${origin!.host}`;
    index = await pushIndex({ base, repo: 'team/app', tag: '1', seed: 'sync-app', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] });
    single = await pushImage({ base, repo: 'team/lib', tag: '2', seed: 'sync-lib' });
  });

  test('copies every image byte for byte, prints the plan first, then skips what is already there', async () => {
    const dir = await tempDir();
    const images = [`${origin!.host}/team/app:1`, `${origin!.host}/team/lib:2`];
    const first = await imgalias(['sync', '--harbor', harbor!.harbor, ...images], { cwd: dir, env: env(dir) });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const planAt = first.stdout.indexOf(`copy ${origin!.host}/team/app:1 -> ${harbor!.harbor}/team/app:1`);
    const copiedAt = first.stdout.indexOf(`copied ${harbor!.harbor}/team/app:1 (${index.digest};`);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(copiedAt).toBeGreaterThan(planAt);
    expect(first.stdout).toMatch(/^sync: 2 copied, 0 unchanged, 0 failed$/m);
    const hb = `http://${harbor!.host}`;
    expect((await getManifest(hb, 'proj/team/app', '1')).bytes.equals(index.bytes)).toBe(true);
    for (const child of index.children) {
      expect((await getManifest(hb, 'proj/team/app', child.digest)).bytes.equals(child.bytes)).toBe(true);
      for (const blob of child.blobs) expect((await getBlob(hb, 'proj/team/app', blob.digest)).equals(blob.bytes)).toBe(true);
    }
    expect((await getManifest(hb, 'proj/team/lib', '2')).bytes.equals(single.bytes)).toBe(true);

    const before = (await harbor!.requests()).length;
    const again = await imgalias(['sync', '--harbor', harbor!.harbor, '--json', ...images], { cwd: dir, env: env(dir) });
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: unknown }).summary).toEqual({ copied: 0, unchanged: 2, failed: 0 });
    expect((await harbor!.requests()).slice(before).filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);

    const check = await imgalias(['check', '--registry', '--harbor', harbor!.harbor, '--platform', 'linux/amd64,linux/arm64', `${origin!.host}/team/app:1`], { cwd: dir, env: env(dir) });
    expect(check.exitCode).toBe(0);
  });

  test('--dry-run copies nothing', async () => {
    const dir = await tempDir();
    const before = (await harbor!.requests()).length;
    const r = await imgalias(['sync', '--dry-run', '--harbor', harbor!.harbor, `${origin!.host}/team/lib:2`], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`copy ${origin!.host}/team/lib:2 -> ${harbor!.harbor}/team/lib:2`);
    expect((await harbor!.requests()).length).toBe(before);
  });

  test('an origin that lacks a --platform is not copied: exit 1', async () => {
    const dir = await tempDir();
    const r = await imgalias(['sync', '--harbor', `${harbor!.host}/other`, '--platform', 'linux/arm64', `${origin!.host}/team/lib:2`], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`failed ${harbor!.host}/other/team/lib:2: the origin ${origin!.host}/team/lib:2 does not serve linux/arm64`);
    expect((await getManifest(`http://${harbor!.host}`, 'other/team/lib', '2')).status).toBe(404);
  });

  test('--platform narrows a multi-arch image: several platforms give a re-encoded index, one platform its image manifest', async () => {
    const dir = await tempDir();
    const base = `http://${origin!.host}`;
    const wide = await pushIndex({ base, repo: 'team/wide', tag: '3', seed: 'sync-wide', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 's390x' }] });
    const hb = `http://${harbor!.host}`;
    const two = await imgalias(['sync', '--harbor', `${harbor!.host}/two`, '--platform', 'linux/amd64,linux/arm64', `${origin!.host}/team/wide:3`], { cwd: dir, env: env(dir) });
    expect(two.stderr).toBe('');
    expect(two.exitCode).toBe(0);
    expect(two.stdout).toContain('platforms linux/amd64, linux/arm64 only: a multi-arch image is written as an index of just these platforms (re-encoded, so its digest differs from the origin\'s');
    const narrowed = await getManifest(hb, 'two/team/wide', '3');
    const originIndex = JSON.parse(wide.bytes.toString('utf8')) as { manifests: unknown[] };
    expect(JSON.parse(narrowed.bytes.toString('utf8'))).toEqual({ ...originIndex, manifests: originIndex.manifests.slice(0, 2) });
    expect(narrowed.digest).not.toBe(wide.digest);
    expect(two.stdout).toContain(`copied ${harbor!.host}/two/team/wide:3 (${narrowed.digest}, an index of linux/amd64, linux/arm64 narrowed from ${wide.digest};`);
    for (const child of wide.children.slice(0, 2)) expect((await getManifest(hb, 'two/team/wide', child.digest)).bytes.equals(child.bytes)).toBe(true);
    expect((await getManifest(hb, 'two/team/wide', wide.children[2]!.digest)).status).toBe(404);

    // Run again: the narrowed index is already there, so nothing is written; check --registry agrees.
    const before = (await harbor!.requests()).length;
    const again = await imgalias(['sync', '--harbor', `${harbor!.host}/two`, '--platform', 'linux/amd64,linux/arm64', '--json', `${origin!.host}/team/wide:3`], { cwd: dir, env: env(dir) });
    const report = JSON.parse(again.stdout) as { plan: { platforms: string[] }; summary: unknown };
    expect(report.plan.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(report.summary).toEqual({ copied: 0, unchanged: 1, failed: 0 });
    expect((await harbor!.requests()).slice(before).filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    const check = await imgalias(['check', '--registry', '--harbor', `${harbor!.host}/two`, '--platform', 'linux/amd64,linux/arm64', `${origin!.host}/team/wide:3`], { cwd: dir, env: env(dir) });
    expect(check.exitCode).toBe(0);

    const one = await imgalias(['sync', '--harbor', `${harbor!.host}/one`, '--platform', 'linux/arm64', `${origin!.host}/team/wide:3`], { cwd: dir, env: env(dir) });
    expect(one.exitCode).toBe(0);
    const arm = wide.children[1]!;
    expect(one.stdout).toContain(`copied ${harbor!.host}/one/team/wide:3 (${arm.digest}, the linux/arm64 image of ${wide.digest};`);
    const image = await getManifest(hb, 'one/team/wide', '3');
    expect(image.bytes.equals(arm.bytes)).toBe(true);
    for (const blob of arm.blobs) expect((await getBlob(hb, 'one/team/wide', blob.digest)).equals(blob.bytes)).toBe(true);
  });

  test('a mirror rule with +from= copies from its staging registry; the origin is never asked', async () => {
    const dir = await tempDir();
    // The origin registry is a loopback port nothing listens on: only the staging registry can serve the image.
    const unreachable = '127.0.0.1:1';
    const staged = await pushImage({ base: `http://${origin!.host}`, repo: 'stage/team/app', tag: '5', seed: 'staged-app' });
    const rule = `${unreachable}=${harbor!.host}/staged@proxy-cache+from=${origin!.host}/stage`;
    const r = await imgalias(['sync', '--mirror', rule, `${unreachable}/team/app:5`], { cwd: dir, env: env(dir) });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`copy ${origin!.host}/stage/team/app:5 -> ${harbor!.host}/staged/team/app:5 (staging copy of ${unreachable}/team/app:5)`);
    expect(r.stdout).toContain(`copied ${harbor!.host}/staged/team/app:5 (${staged.digest};`);
    const hb = `http://${harbor!.host}`;
    expect((await getManifest(hb, 'staged/team/app', '5')).bytes.equals(staged.bytes)).toBe(true);
    for (const blob of staged.blobs) expect((await getBlob(hb, 'staged/team/app', blob.digest)).equals(blob.bytes)).toBe(true);
  });

  test('a layout migration inside one Harbor: +from= the old layout mounts each blob into the new name', async () => {
    const dir = await tempDir();
    const hb = `http://${harbor!.host}`;
    // Harbor holds redis:7 under the proxy-cache layout (library/redis); the rule now wants the path layout.
    const old = await pushImage({ base: hb, repo: 'mig/library/redis', tag: '7', seed: 'migrate-redis' });
    const before = (await harbor!.requests()).length;
    const r = await imgalias(['sync', '--mirror', `*=${harbor!.host}/mig@path+from=${harbor!.host}/mig@proxy-cache`, 'redis:7'], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`copy ${harbor!.host}/mig/library/redis:7 -> ${harbor!.host}/mig/redis:7 (staging copy of redis:7)`);
    expect(r.stdout).toContain(`copied ${harbor!.host}/mig/redis:7 (${old.digest}; 0 blobs uploaded, 4 mounted, 0 already there)`);
    expect((await getManifest(hb, 'mig/redis', '7')).bytes.equals(old.bytes)).toBe(true);
    const log = (await harbor!.requests()).slice(before);
    expect(log.filter((q) => q.method === 'POST' && q.path.startsWith('/v2/mig/redis/blobs/uploads/?mount=') && q.status === 201)).toHaveLength(4);
  });

  test('an origin image that does not exist fails with the registry\'s code: exit 1', async () => {
    const dir = await tempDir();
    const r = await imgalias(['sync', '--harbor', harbor!.harbor, `${origin!.host}/team/none:1`], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/failed .*team\/none:1: .* answered 404 .*MANIFEST_UNKNOWN/);
  });
});

(harbor ? describe : describe.skip)('fix --registry: the alias plan applied to a loopback Harbor as the store', () => {
  const env = (dir: string) => ({ DOCKER_HOST: deadDockerHost(dir) });
  const hb = () => `http://${harbor!.host}`;
  // A layout migration: Harbor holds the project's images under the proxy-cache layout; the rule now wants path.
  const rule = () => `*=${harbor!.host}/fix@path+from=${harbor!.host}/fix@proxy-cache`;

  test('each missing Harbor name is tagged from its staging name by mounting; a second run has nothing to do', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM redis:7 AS base\nFROM alpine:3\n');
    const redis = await pushImage({ base: hb(), repo: 'fix/library/redis', tag: '7', seed: 'fix-redis' });
    const alpine = await pushImage({ base: hb(), repo: 'fix/library/alpine', tag: '3', seed: 'fix-alpine' });
    // alpine is already there under the new layout: only redis needs a tag.
    await pushImage({ base: hb(), repo: 'fix/alpine', tag: '3', seed: 'fix-alpine' });

    const dry = await imgalias(['fix', '--registry', '--dry-run', '--mirror', rule()], { cwd: dir, env: env(dir) });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`${harbor!.host}/fix/redis:7`);
    expect((await getManifest(hb(), 'fix/redis', '7')).status).toBe(404);

    const before = (await harbor!.requests()).length;
    const r = await imgalias(['fix', '--registry', '--mirror', rule()], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`docker.io/library/redis:7 is read at ${harbor!.host}/fix/library/redis:7 (the staging source of its mirror rule)`);
    expect(r.stdout).toMatch(new RegExp(`tagged .*${harbor!.host}/fix/redis:7`));
    expect((await getManifest(hb(), 'fix/redis', '7')).bytes.equals(redis.bytes)).toBe(true);
    const log = (await harbor!.requests()).slice(before);
    expect(log.filter((q) => q.method === 'POST' && q.path.startsWith('/v2/fix/redis/blobs/uploads/?mount=') && q.status === 201)).toHaveLength(4);
    expect(log.filter((q) => q.method === 'PUT' && q.path.startsWith('/v2/fix/alpine/'))).toEqual([]);
    expect(alpine.digest).toMatch(/^sha256:/);

    const beforeAgain = (await harbor!.requests()).length;
    const again = await imgalias(['fix', '--registry', '--mirror', rule(), '--json'], { cwd: dir, env: env(dir) });
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as { actions: unknown[] }).actions).toEqual([]);
    expect((await harbor!.requests()).slice(beforeAgain).filter((q) => q.method !== 'GET' && q.method !== 'HEAD')).toEqual([]);
  });

  test('an image in neither layout is a Missing finding: exit 1, nothing written; the shell format is refused', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM nginx:1.27\n');
    const before = (await harbor!.requests()).length;
    const r = await imgalias(['fix', '--registry', '--mirror', rule()], { cwd: dir, env: env(dir) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/nginx:1\.27/);
    expect((await harbor!.requests()).slice(before).filter((q) => q.method !== 'GET' && q.method !== 'HEAD')).toEqual([]);
    // A script is a plan's form: an apply has no shell report.
    const shell = await imgalias(['fix', '--registry', '--mirror', rule(), '--format', 'shell'], { cwd: dir, env: env(dir) });
    expect(shell.exitCode).toBe(2);
    expect(shell.stderr).toContain('fix --registry cannot print --format shell');
  });

  test('plan --registry prints what fix --registry would tag, in every format, and writes nothing', async () => {
    const dir = await tempDir();
    const redis = await pushImage({ base: hb(), repo: 'fix/library/valkey', tag: '8', seed: 'plan-valkey' });
    await pushImage({ base: hb(), repo: 'fix/library/busybox', tag: '1', seed: 'plan-busybox' });
    await pushImage({ base: hb(), repo: 'fix/busybox', tag: '1', seed: 'plan-busybox' });
    const args = ['plan', '--registry', '--mirror', rule(), 'valkey:8', 'busybox:1', 'nginx:1.27'];
    const before = (await harbor!.requests()).length;

    const text = await imgalias(args, { cwd: dir, env: env(dir) });
    // nginx:1.27 is in neither layout: a finding, so exit 1, as plan exits with findings.
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`tag       valkey:8 -> ${harbor!.host}/fix/valkey:8  (${redis.digest.slice(0, 19)}, missing name)`);
    expect(text.stdout).toMatch(/nginx:1\.27 is not in the image store/);
    expect(text.stdout).toMatch(/^1 to tag, 0 conflicts, 1 missing$/m);
    expect(text.stderr).toContain(`docker.io/library/valkey:8 is read at ${harbor!.host}/fix/library/valkey:8 (the staging source of its mirror rule)`);
    expect(text.stderr).not.toContain('dry run');

    const json = await imgalias([...args, '--json'], { cwd: dir, env: env(dir) });
    expect(json.exitCode).toBe(1);
    const planned = JSON.parse(json.stdout) as { actions: { source: string; target: string; imageId: string }[]; findings: { _tag: string }[] };
    expect(planned.actions.map((a) => [a.source, a.target, a.imageId])).toEqual([['docker.io/library/valkey:8', `${harbor!.host}/fix/valkey:8`, redis.digest]]);
    expect(planned.findings.map((f) => f._tag)).toEqual(['Missing']);

    const md = await imgalias([...args, '--format', 'markdown'], { cwd: dir, env: env(dir) });
    expect(md.exitCode).toBe(1);
    expect(md.stdout).toContain(`\`${harbor!.host}/fix/valkey:8\``);

    const shell = await imgalias([...args, '--format', 'shell'], { cwd: dir, env: env(dir) });
    expect(shell.exitCode).toBe(1);
    const commands = shell.stdout.split('\n').filter((line) => line.startsWith('skopeo '));
    expect(commands).toEqual([
      `skopeo copy --all --preserve-digests 'docker://${harbor!.host}/fix/library/valkey:8' 'docker://${harbor!.host}/fix/valkey:8'  # ${redis.digest.slice(0, 19)}, missing name`,
    ]);
    expect(shell.stdout).toMatch(/^# missing: nginx:1\.27 is not in the image store/m);

    // Nothing was written by any of the four runs.
    expect((await harbor!.requests()).slice(before).filter((q) => q.method !== 'GET' && q.method !== 'HEAD')).toEqual([]);
    expect((await getManifest(hb(), 'fix/valkey', '8')).status).toBe(404);

    // fix --registry --dry-run prints the same copies for a project that uses valkey:8.
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM valkey:8\n');
    const dry = await imgalias(['fix', '--registry', '--dry-run', '--mirror', rule(), '--format', 'shell'], { cwd: dir, env: env(dir) });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout.split('\n').filter((line) => line.startsWith('skopeo '))).toEqual(commands);
  });

  test('plan --registry: --prefetch with it, a bad --ca-file or an unparsable image is bad input (exit 2), no registry asked', async () => {
    const dir = await tempDir();
    const before = (await harbor!.requests()).length;
    const both = await imgalias(['plan', '--registry', '--prefetch', '--mirror', rule(), 'valkey:8'], { cwd: dir, env: env(dir) });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('give one of them');
    const ca = await imgalias(['plan', '--registry', '--mirror', rule(), '--ca-file', path.join(dir, 'absent.pem'), 'valkey:8'], { cwd: dir, env: env(dir) });
    expect(ca.exitCode).toBe(2);
    const bad = await imgalias(['plan', '--registry', '--mirror', rule(), 'Not A Name'], { cwd: dir, env: env(dir) });
    expect(bad.exitCode).toBe(2);
    expect((await harbor!.requests()).slice(before)).toEqual([]);
  });
});

describe('sync --dry-run prints the plan in every format and copies nothing', () => {
  test('text, JSON, Markdown and skopeo lines', async () => {
    const dir = await tempDir();
    const env = { DOCKER_HOST: deadDockerHost(dir) };
    const args = ['sync', '--dry-run', '--harbor', 'harbor.corp.local/proj', 'redis:7', 'quay.io/keycloak/keycloak:26.0'];
    const text = await imgalias(args, { cwd: dir, env });
    expect(text.stdout).toContain('copy docker.io/library/redis:7 -> harbor.corp.local/proj/redis:7');
    const json = JSON.parse((await imgalias([...args, '--json'], { cwd: dir, env })).stdout) as { entries: unknown[] };
    expect(json.entries).toEqual([
      { _tag: 'Copy', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', target: 'harbor.corp.local/proj/redis:7' },
      { _tag: 'Copy', family: 'quay.io/keycloak/keycloak:26.0', source: 'quay.io/keycloak/keycloak:26.0', target: 'harbor.corp.local/proj/keycloak/keycloak:26.0' },
    ]);
    const md = await imgalias([...args, '--format', 'markdown'], { cwd: dir, env });
    expect(md.stdout).toContain('| `redis:7` | `docker.io/library/redis:7` | `harbor.corp.local/proj/redis:7` |');
    const shell = await imgalias([...args, '--format', 'shell'], { cwd: dir, env });
    expect(shell.stdout).toContain("skopeo copy --all --preserve-digests 'docker://docker.io/library/redis:7' 'docker://harbor.corp.local/proj/redis:7'");
    // --harbor is the `*` mirror rule: quay.io images get a Harbor name under it too.
    expect(text.stdout).toContain('copy quay.io/keycloak/keycloak:26.0 -> harbor.corp.local/proj/keycloak/keycloak:26.0');
    expect(text.exitCode).toBe(0);
  });

  test('--platform is said in the plan; the shell format gives skopeo one platform, or every platform with a warning', async () => {
    const dir = await tempDir();
    const env = { DOCKER_HOST: deadDockerHost(dir) };
    const base = ['sync', '--dry-run', '--harbor', 'harbor.corp.local/proj', 'redis:7'];
    const one = await imgalias([...base, '--platform', 'linux/arm64/v8', '--format', 'shell'], { cwd: dir, env });
    expect(one.stdout).toContain("skopeo copy --override-os 'linux' --override-arch 'arm64' --override-variant 'v8' --preserve-digests 'docker://docker.io/library/redis:7' 'docker://harbor.corp.local/proj/redis:7'");
    const several = await imgalias([...base, '--platform', 'linux/amd64,linux/arm64', '--format', 'shell'], { cwd: dir, env });
    expect(several.stdout).toContain('skopeo cannot copy a subset of an index, so these lines copy every platform');
    expect(several.stdout).toContain("skopeo copy --all --preserve-digests 'docker://docker.io/library/redis:7'");
    const text = await imgalias([...base, '--platform', 'linux/amd64'], { cwd: dir, env });
    expect(text.stdout).toContain("platform linux/amd64 only: a multi-arch image is written as that platform's own image manifest");
    const md = await imgalias([...base, '--platform', 'linux/amd64,linux/arm64', '--format', 'markdown'], { cwd: dir, env });
    expect(md.stdout).toContain('Copies platforms linux/amd64, linux/arm64 only: a multi-arch image is written as an index of just these platforms');
  });

  test('--exclude leaves an image out of the plan', async () => {
    const dir = await tempDir();
    const r = await imgalias(['sync', '--dry-run', '--harbor', 'harbor.corp.local/proj', '--exclude', 'quay.io/**', 'redis:7', 'quay.io/keycloak/keycloak:26.0'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir) } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('copy docker.io/library/redis:7 -> harbor.corp.local/proj/redis:7');
    expect(r.stdout).not.toContain('keycloak');
    expect(r.stderr).toMatch(/quay.io\/keycloak\/keycloak:26.0 left out: it matches exclude quay.io\/\*\*/);
  });

  test('a --mirror rule for one origin registry decides its Harbor name; an image no rule covers is a finding', async () => {
    const dir = await tempDir();
    const r = await imgalias(['sync', '--dry-run', '--mirror', 'quay.io=harbor.corp.local/quay@proxy-cache', 'quay.io/keycloak/keycloak:26.0', 'redis:7'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir) } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('sync plan to Harbor (per mirror rule): 1 to copy unless already there, 1 finding');
    expect(r.stdout).toContain('copy quay.io/keycloak/keycloak:26.0 -> harbor.corp.local/quay/keycloak/keycloak:26.0');
    expect(r.stdout).toContain('redis:7 has no Harbor name under the current layout or mirror rules');
  });

  test('no Harbor configured is a finding', async () => {
    const dir = await tempDir();
    const r = await imgalias(['sync', '--dry-run', 'redis:7'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir) } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/no Harbor location is configured/);
  });
});
