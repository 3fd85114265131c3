#!/usr/bin/env node
// Registry adapter vs skopeo, side by side in one run on the same private loopback registries:
//   1. sync of N three-layer images from registry A to registry B: one copyMany vs one `skopeo copy` per image
//      and vs one `skopeo sync` of them all (goals: >= 5x and >= 2x);
//   2. R retags inside one repository: copyMany vs one `skopeo copy` per tag (goal >= 10x);
//   3. one image with a LARGE-MiB layer copied A -> B in a child process: its peak resident memory (goal < 150 MiB).
//
//   pnpm build && node bench/registry.mjs [--images 100] [--retags 500] [--large-mib 1024]
//   node bench/registry.mjs --smoke          (CI: 5 images, 10 retags, 16 MiB; checks copies, prints ratios)
//   --registry-log error|info|quiet          how the registries log, the same for every tool in the run:
//     error (default): only errors and the access log (one line per request: the request counts come from it);
//     info: distribution's default, every request also logged as a structured "response completed" line;
//     quiet: errors only, no access log (no request counts).
//
// Not a test: it prints timings and ratios (absolute times drift on shared machines; ratios from the same run do
// not, much). Each copy is checked afterwards: the target's manifest digest equals the source's. It starts two
// docker-registry instances through scripts/engines/registry.sh in a temp directory and stops them by pid.
/* global fetch, Buffer */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const registryScript = resolve(repo, 'scripts/engines/registry.sh');
const adapterPath = resolve(repo, 'packages/adapter-registry/dist/index.js');

const smoke = process.argv.includes('--smoke');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
};
const images = option('images', smoke ? 5 : 100);
const retags = option('retags', smoke ? 10 : 500);
const largeMiB = option('large-mib', smoke ? 16 : 1024);
const layerSize = option('layer-kib', 200) * 1024;
const concurrency = option('concurrency', 16);
const connections = option('connections', 32);
// --parts sync,retag,large (default all): run only some of the comparisons.
const partsAt = process.argv.indexOf('--parts');
const registryLog = process.argv.includes('--registry-log') ? process.argv[process.argv.indexOf('--registry-log') + 1] : 'error';
if (!['error', 'info', 'quiet'].includes(registryLog)) {
  console.error(`--registry-log takes error, info or quiet, not ${registryLog}`);
  process.exit(2);
}
// distribution reads REGISTRY_<SECTION>_<KEY> over its config file: the same for every registry of the run.
const registryEnv = {
  REGISTRY_LOG_LEVEL: registryLog === 'quiet' ? 'error' : registryLog,
  ...(registryLog === 'quiet' ? { REGISTRY_LOG_ACCESSLOG_DISABLED: 'true' } : {}),
};
const parts = new Set(partsAt > 0 ? process.argv[partsAt + 1].split(',') : ['sync', 'retag', 'large']);

const run = (command, args, env) =>
  new Promise((ok, fail) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...(env ? { env: { ...process.env, ...env } } : {}) }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else ok({ stdout, stderr });
    });
  });
const timed = async (work) => {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
};
const freePort = () =>
  new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
const sha256 = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const { createRegistryClient, createRegistryImages } = await import(adapterPath).catch(() => {
  console.error(`cannot load ${adapterPath}: run pnpm build first`);
  process.exit(2);
});
await run('skopeo', ['--version']).catch(() => {
  console.error('skopeo is not installed (apt-get install -y skopeo): it is the yardstick of this benchmark');
  process.exit(2);
});

const work = await mkdtemp(join(tmpdir(), 'imgalias-bench-registry-'));
const started = [];
const startRegistry = async (name) => {
  const dir = join(work, name);
  const port = await freePort();
  await run('bash', [registryScript, 'start', dir, String(port)], registryEnv);
  started.push(dir);
  return `127.0.0.1:${port}`;
};

// Requests as the registries saw them: each phase counts the access-log lines both registries wrote meanwhile,
// by kind, so imgalias and skopeo are counted the same way (the registry cannot tell who is cheaper otherwise).
const logOffsets = async () => Promise.all(started.map(async (dir) => (await stat(join(dir, 'registry.log'))).size));
const requestKind = (method, uri) => {
  const path = uri.split('?')[0];
  if (path === '/v2/' || path === '/v2') return `${method} /v2/`;
  if (path.startsWith('/auth') || path.startsWith('/token')) return `${method} token`;
  if (/\/blobs\/uploads\//.test(path)) return `${method} upload${method === 'POST' && uri.includes('mount=') ? ' (mount)' : ''}`;
  if (/\/blobs\//.test(path)) return `${method} blob`;
  if (/\/manifests\//.test(path)) return `${method} manifest`;
  return `${method} other`;
};
const requestsSince = async (offsets) => {
  const counts = new Map();
  await Promise.all(started.map(async (dir, i) => {
    const text = (await readFile(join(dir, 'registry.log'))).subarray(offsets[i]).toString('utf8');
    for (const m of text.matchAll(/^\S+ - \S+ \[[^\]]+\] "([A-Z]+) (\S+) HTTP\/[\d.]+" (\d+)/gm)) {
      const kind = requestKind(m[1], m[2]);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }));
  return counts;
};
// CPU seconds from /proc (Linux): this process, its waited-for children (the skopeo processes) and the
// registries, so a phase shows whose CPU it spent on a 2-core machine where the registries compete with us.
const ticks = 100;
const procTimes = async (pid) => {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  // fields[11..14]: utime, stime, cutime, cstime (in clock ticks)
  return { own: (Number(fields[11]) + Number(fields[12])) / ticks, children: (Number(fields[13]) + Number(fields[14])) / ticks };
};
const cpuNow = async () => {
  const self = await procTimes(process.pid);
  const registries = await Promise.all(started.map(async (dir) => (await procTimes((await readFile(join(dir, 'pid'), 'utf8')).trim())).own));
  return { self: self.own, children: self.children, registries: registries.reduce((sum, t) => sum + t, 0) };
};
const counted = async (work) => {
  const offsets = await logOffsets();
  const before = await cpuNow();
  const result = await timed(work);
  const after = await cpuNow();
  const cpu = { self: after.self - before.self, children: after.children - before.children, registries: after.registries - before.registries };
  return { ...result, requests: await requestsSince(offsets), cpu };
};
const cpuLine = ({ cpu }) => `CPU ${cpu.self.toFixed(2)} s this process, ${cpu.children.toFixed(2)} s skopeo, ${cpu.registries.toFixed(2)} s registries`;
const perImage = (counts, n) => {
  const total = [...counts.values()].reduce((s, c) => s + c, 0);
  const kinds = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => `${k} ${(c / n).toFixed(2)}`);
  return `${(total / n).toFixed(2)} requests per image (${kinds.join(', ')})`;
};
const cleanup = async () => {
  for (const dir of started) await run('bash', [registryScript, 'stop', dir]).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

// Seeding is plain HTTP with fetch, independent of the adapter under test.
const pushBlob = async (host, repository, bytes) => {
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location'), `http://${host}`);
  location.searchParams.set('digest', sha256(bytes));
  const put = await fetch(location, { method: 'PUT', body: bytes });
  if (put.status !== 201) throw new Error(`seed blob: ${put.status}`);
};
const pushImage = async (host, repository, tag, seed, layers) => {
  const layerBlobs = layers ?? [0, 1, 2].map((i) => {
    const out = Buffer.alloc(layerSize);
    let block = createHash('sha256').update(`${seed}/${i}`).digest();
    for (let off = 0; off < out.length; off += 32) {
      block.copy(out, off);
      block = createHash('sha256').update(block).digest();
    }
    // Real gzip, as registries hold layers: skopeo would otherwise compress them on the way (new digests).
    const gz = gzipSync(out, { level: 1 });
    return { digest: sha256(gz), size: gz.length, bytes: gz };
  });
  const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: layerBlobs.map((l) => l.digest) } }));
  for (const b of [config, ...layerBlobs.filter((l) => l.bytes).map((l) => l.bytes)]) await pushBlob(host, repository, b);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: layerBlobs.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  }));
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (res.status !== 201) throw new Error(`seed manifest: ${res.status}`);
  return sha256(manifest);
};
const digestAt = async (host, repository, tag) => {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
};
const pool = async (items, n, fn) => {
  const queue = [...items.entries()];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await fn(next[1], next[0]);
  }));
};
const ratio = (yardstick, ours) => `${(yardstick / ours).toFixed(1)}x`;
const check = async (label, pairs) => {
  const wrong = [];
  await pool(pairs, 16, async ([host, repository, tag, digest]) => {
    if ((await digestAt(host, repository, tag)) !== digest) wrong.push(`${host}/${repository}:${tag}`);
  });
  if (wrong.length > 0) throw new Error(`${label}: ${wrong.length} copies do not match the source digest, e.g. ${wrong[0]}`);
};

let failed = false;
try {
  const a = await startRegistry('a');
  const b = await startRegistry('b');
  const skopeoTls = ['--src-tls-verify=false', '--dest-tls-verify=false'];
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the start; registries log at ${registryLog === 'quiet' ? 'error, no access log' : `${registryLog} with the access log`}`);
  console.log(`registries ${a} and ${b}; ${images} images of 3 x ${layerSize / 1024} KiB layers, ${retags} retags, a ${largeMiB} MiB layer\n`);

  const names = Array.from({ length: images }, (_, i) => `bench/img${i}`);
  const digests = new Map();
  await pool(names, 8, async (name) => digests.set(name, await pushImage(a, name, 'v1', name)));

  const client = createRegistryClient({ connections });
  const ours = createRegistryImages({ client, concurrency });
  if (parts.has('sync')) {
  // 1. sync A -> B, three ways, into separate repository prefixes of B (skopeo sync: of a third registry, C) so
  //    each tool copies every blob.
  const sync = await counted(async () => ours.copyMany(names.map((n) => ({ source: `${a}/${n}:v1`, target: `${b}/ia/${n}:v1` }))));
  const syncErrors = sync.value.filter((r) => r._tag === 'Left');
  if (syncErrors.length > 0) throw new Error(`imgalias sync: ${JSON.stringify(syncErrors[0].left)}`);
  await check('imgalias sync', names.map((n) => [b, `ia/${n}`, 'v1', digests.get(n)]));

  const copyPerImage = await counted(async () => {
    for (const n of names) await run('skopeo', ['copy', '-q', ...skopeoTls, `docker://${a}/${n}:v1`, `docker://${b}/sc/${n}:v1`]);
  });
  await check('skopeo copy', names.map((n) => [b, `sc/${n}`, 'v1', digests.get(n)]));

  const yaml = [`${a}:`, '  tls-verify: false', '  images:', ...names.map((n) => `    ${n}: [v1]`)].join('\n');
  await writeFile(join(work, 'sync.yaml'), `${yaml}\n`);
  // skopeo sync gets a registry of its own: skopeo's blob info cache remembers where the per-image copies just
  // put the same blobs in B, and into B it would mount them from there instead of copying them.
  const c = await startRegistry('c');
  const skopeoSync = await counted(() => run('skopeo', ['sync', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', join(work, 'sync.yaml'), `${c}/ss`]));
  // skopeo sync names each copy after the last path component of its source repository.
  await check('skopeo sync', names.map((n) => [c, `ss/${n.split('/').pop()}`, 'v1', digests.get(n)]));

  console.log(`\nsync of ${images} three-layer images, registry to registry`);
  console.log(`  imgalias copyMany         ${sync.value.length} images  ${sync.seconds.toFixed(2)} s   (concurrency ${concurrency}, ${connections} connections per registry)`);
  console.log(`  skopeo copy per image     ${images} processes  ${copyPerImage.seconds.toFixed(2)} s   imgalias ${ratio(copyPerImage.seconds, sync.seconds)} faster (goal >= 5x)`);
  console.log(`  skopeo sync (one run)     1 process  ${skopeoSync.seconds.toFixed(2)} s   imgalias ${ratio(skopeoSync.seconds, sync.seconds)} faster (goal >= 2x)`);
  console.log(`  requests, as both registries logged them:`);
  console.log(`    imgalias              ${perImage(sync.requests, images)}`);
  console.log(`    skopeo copy per image ${perImage(copyPerImage.requests, images)}`);
  console.log(`    skopeo sync           ${perImage(skopeoSync.requests, images)}`);
  console.log(`  CPU spent (the machine has ${availableParallelism()} cores):`);
  console.log(`    imgalias              ${cpuLine(sync)}`);
  console.log(`    skopeo copy per image ${cpuLine(copyPerImage)}`);
  console.log(`    skopeo sync           ${cpuLine(skopeoSync)}`);
  // What bounds the ratio on this machine: imgalias's copy cannot finish before the CPU it and the registries
  // spent has run on the cores there are, however the work is spread.
  const needed = sync.cpu.self + sync.cpu.registries;
  const floor = needed / availableParallelism();
  const requests = [...sync.requests.values()].reduce((n, c) => n + c, 0);
  console.log(`  bound: imgalias's copy needed ${needed.toFixed(2)} s of CPU (${(sync.cpu.registries * 1000 / Math.max(requests, 1)).toFixed(2)} ms of registry CPU per request), so on ${availableParallelism()} cores it takes at least ${floor.toFixed(2)} s:`);
  console.log(`         at most ${ratio(copyPerImage.seconds, floor)} faster than this run's skopeo copy per image, ${ratio(skopeoSync.seconds, floor)} than its skopeo sync`);
  }
  if (parts.has('retag')) {

  // 2. retags inside one repository of A.
  const tagSource = names[0];
  const ourTags = await counted(async () =>
    ours.copyMany(Array.from({ length: retags }, (_, i) => ({ source: `${a}/${tagSource}:v1`, target: `${a}/${tagSource}:ia${i}` }))),
  );
  if (ourTags.value.some((r) => r._tag === 'Left')) throw new Error('imgalias retag failed');
  await check('imgalias retag', Array.from({ length: retags }, (_, i) => [a, tagSource, `ia${i}`, digests.get(tagSource)]));
  const skopeoTags = await counted(async () => {
    for (let i = 0; i < retags; i += 1) await run('skopeo', ['copy', '-q', ...skopeoTls, `docker://${a}/${tagSource}:v1`, `docker://${a}/${tagSource}:sc${i}`]);
  });
  await check('skopeo retag', Array.from({ length: retags }, (_, i) => [a, tagSource, `sc${i}`, digests.get(tagSource)]));
  console.log(`\n${retags} retags inside one repository`);
  console.log(`  imgalias copyMany         ${ourTags.seconds.toFixed(2)} s`);
  console.log(`  skopeo copy per tag       ${skopeoTags.seconds.toFixed(2)} s   imgalias ${ratio(skopeoTags.seconds, ourTags.seconds)} faster (goal >= 10x)`);
  console.log(`  requests: imgalias ${perImage(ourTags.requests, retags).replace('image', 'tag')}`);
  console.log(`            skopeo   ${perImage(skopeoTags.requests, retags).replace('image', 'tag')}`);
  }
  await client.close();
  if (parts.has('large')) {

  // 3. a large layer, streamed: pushed from a generator (never whole in memory here either), copied in a child.
  const large = largeMiB * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024);
  const hash = createHash('sha256');
  for (let i = 0; i < largeMiB; i += 1) {
    chunk.fill(i % 251);
    chunk.writeUInt32BE(i, 0);
    hash.update(chunk);
  }
  const largeDigest = `sha256:${hash.digest('hex')}`;
  const largeStream = () => Readable.from((function* () {
    for (let i = 0; i < largeMiB; i += 1) {
      chunk.fill(i % 251);
      chunk.writeUInt32BE(i, 0);
      yield Buffer.from(chunk);
    }
  })());
  const { request } = await import(resolve(repo, 'packages/adapter-registry/node_modules/undici/index.js'));
  const start = await fetch(`http://${a}/v2/bench/large/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location'), `http://${a}`);
  location.searchParams.set('digest', largeDigest);
  const put = await request(location, { method: 'PUT', body: largeStream(), headers: { 'content-length': String(large) } });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`seed large layer: ${put.statusCode}`);
  const largeManifestDigest = await pushImage(a, 'bench/large', 'v1', 'large', [{ digest: largeDigest, size: large }]);
  const child = `
    const { createRegistryClient, createRegistryImages } = await import(${JSON.stringify(adapterPath)});
    const client = createRegistryClient();
    const r = await createRegistryImages({ client }).copy({ source: ${JSON.stringify(`${a}/bench/large:v1`)}, target: ${JSON.stringify(`${b}/ia/bench/large:v1`)} });
    await client.close();
    if (r._tag === 'Left') { console.error(JSON.stringify(r.left)); process.exit(1); }
    console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, bytes: r.right.bytesUploaded }));`;
  const copied = await timed(() => new Promise((ok, fail) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? ok(JSON.parse(out)) : fail(new Error(`large copy exited ${code}`))));
  }));
  await check('large layer', [[b, 'ia/bench/large', 'v1', largeManifestDigest]]);
  const rssMiB = copied.value.maxRssKiB / 1024;
  console.log(`\na ${largeMiB} MiB layer copied registry to registry in a child process`);
  console.log(`  ${(copied.value.bytes / 1024 / 1024).toFixed(0)} MiB streamed in ${copied.seconds.toFixed(2)} s, peak RSS ${rssMiB.toFixed(0)} MiB (goal < 150 MiB)`);
  if (rssMiB >= 150) failed = true;
  }
  console.log(`\nload average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the end`);
} catch (error) {
  console.error(error.message);
  failed = true;
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
