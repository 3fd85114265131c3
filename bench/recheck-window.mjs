#!/usr/bin/env node
// The window apply cannot close: between re-reading a target (`image inspect`) and tagging it, another writer
// can still name it, because no engine offers compare-and-swap on a tag. This measures that window on a private
// dockerd and a private podman store, for N tags of one imported image, concurrency 4.
//
//   pnpm build && node bench/recheck-window.mjs [--images 40]
//
// Not a test: it prints, per engine, the window (from the end of a target's inspect to the end of its tag: the
// span in which a concurrent `docker tag` of that name would be overwritten unseen until the verifying read)
// against the yardstick of one `tag` process measured alone in the same run, and what the re-read costs
// (apply with re-reads vs the processes a tag-only apply would run). It starts its own engines via
// scripts/engines/*.sh and stops them by their directories at the end.
//
// On podman it also runs the built `imgalias apply` (packages/cli/dist/bin.js) for N names of one image through a
// `podman` wrapper that logs when each process starts and ends, and prints the gap between the end of the
// CLI's snapshot read and the start of its re-read: what the window would grow by if the CLI tagged straight from
// its snapshot without the re-read (settings, mode, planning, the apply lock), beside what the re-read costs.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--images');
const n = at > 0 ? Number(process.argv[at + 1]) : 40;
const dist = (pkg) => resolve(repo, `packages/${pkg}/dist/index.js`);
if (!existsSync(dist('adapter-docker'))) {
  console.error('build first: pnpm build');
  process.exit(2);
}
const { createEngineStore } = await import(dist('adapter-docker'));

const run = (command, args, env) =>
  new Promise((ok, fail) =>
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${command} ${args.slice(0, 3).join(' ')}: ${stderr || error.message}`)) : ok(stdout),
    ),
  );
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];
const ms = (value) => `${value.toFixed(1)} ms`;

async function measure(engine, env, dir) {
  const bin = engine;
  // One image, imported under one name; the plan gives it N more names.
  await writeFile(`${dir}/f`, `recheck-window ${Date.now()}\n`);
  await run('tar', ['-C', dir, '-cf', `${dir}/r.tar`, 'f'], env);
  await run(bin, ['import', `${dir}/r.tar`, 'localhost/window:0'], env);
  const id = (await run(bin, ['image', 'inspect', '--format', '{{.Id}}', 'localhost/window:0'], env)).trim();
  const imageId = id.startsWith('sha256:') ? id : `sha256:${id}`;

  // Yardstick: one tag process at a time.
  const alone = [];
  for (let i = 0; i < 10; i += 1) {
    const started = performance.now();
    await run(bin, ['tag', 'localhost/window:0', `localhost/yardstick:${i}`], env);
    alone.push(performance.now() - started);
  }

  const events = [];
  const store = createEngineStore({ engine, env, onExec: (event) => events.push({ ...event, end: performance.now() }) });
  const actions = Array.from({ length: n }, (_, i) => ({
    _tag: 'Tag',
    source: 'localhost/window:0',
    target: `localhost/window:${i + 1}`,
    imageId,
    family: 'localhost/window:0',
    role: 'origin',
    reason: 'missing-name',
  }));
  const started = performance.now();
  const report = await store.apply({ version: 1, mode: 'external', actions, findings: [] }, { concurrency: 4 });
  const total = performance.now() - started;
  if (report._tag === 'Left' || !report.right.verified) throw new Error(`${engine}: apply did not verify`);

  const windows = [];
  for (const tag of events.filter((e) => e.args[0] === 'tag')) {
    // The re-read before a tag: that target's one-name read (docker), or the one listing a group of targets
    // shares (podman tags an image's names in one process): the last read that ended before the tag started.
    const started = tag.end - tag.durationMs;
    const read = events.filter((e) => e.args[0] !== 'tag' && e.end <= started).at(-1);
    for (let k = 0; k < tag.args.length - 2; k += 1) windows.push(tag.end - read.end);
  }
  // Besides the re-reads: the read apply makes first (no `current` given here) and the verifying read.
  const inspects = events.filter((e) => e.args[0] !== 'tag').length - 2;
  const tags = events.filter((e) => e.args[0] === 'tag').length;
  console.log(
    `${engine}: window inspect->tag median ${ms(quantile(windows, 0.5))}, p95 ${ms(quantile(windows, 0.95))}, max ${ms(Math.max(...windows))}; ` +
      `one tag process alone median ${ms(quantile(alone, 0.5))} (window/tag ${(quantile(windows, 0.5) / quantile(alone, 0.5)).toFixed(2)}x); ` +
      `apply of ${n} names: ${(total / 1000).toFixed(2)} s, ${inspects} re-reads + ${tags} tag calls + 2 store reads ` +
      `(${inspects + tags + 2} engine calls; without re-reads ${tags + 2})`,
  );
}

/**
 * `imgalias apply` on podman, each engine process logged with its start and end: the CLI's own gap between the
 * end of its snapshot read and the start of the re-read before the tag (the span a tag straight from the snapshot
 * would add to the window), and how long the re-read itself takes.
 */
async function measureCli(env, dir) {
  const bin = resolve(repo, 'packages/cli/dist/bin.js');
  if (!existsSync(bin)) throw new Error(`missing ${bin}: build first (pnpm build)`);
  const real = (await run('sh', ['-c', 'command -v podman'], env)).trim();
  const log = `${dir}/cli-exec.log`;
  await mkdir(`${dir}/logbin`, { recursive: true });
  // `date +%s%N` forks once per line: the same small cost at both ends of every process.
  await writeFile(
    `${dir}/logbin/podman`,
    `#!/bin/sh\necho "start $(date +%s%N) $1" >>'${log}'\n'${real}' "$@"\ncode=$?\necho "end $(date +%s%N) $1" >>'${log}'\nexit $code\n`,
  );
  await chmod(`${dir}/logbin/podman`, 0o755);
  const cliEnv = { ...env, PATH: `${dir}/logbin:${env.PATH}` };
  const gaps = [];
  const rereads = [];
  const windows = [];
  for (let round = 0; round < 5; round += 1) {
    // Fresh names each round, present only as `localhost/`: the apply gives each its familiar name.
    const names = Array.from({ length: n }, (_, i) => `cli${round}-${i + 1}:1.0`);
    await run(real, ['tag', 'localhost/window:0', ...names.map((name) => `localhost/${name}`)], env);
    await writeFile(log, '');
    const args = [bin, 'apply', '--engine', 'podman', '--mode', 'internal', '--harbor', 'harbor.corp.local/proj', '--quiet', ...names];
    await run(process.execPath, args, cliEnv).catch((error) => {
      throw new Error(`imgalias apply failed: ${error.message}`);
    });
    // Pair each start with the next end (the CLI runs these one after another): [verb, start ms, end ms].
    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((line) => line.split(' '));
    const calls = [];
    for (const [kind, ns, verb] of lines) {
      if (kind === 'start') calls.push([verb, Number(ns) / 1e6, undefined]);
      else calls.findLast((call) => call[0] === verb && call[2] === undefined)[2] = Number(ns) / 1e6;
    }
    const verbs = calls.map((call) => call[0]).join(' ');
    if (verbs !== 'images images tag images') throw new Error(`imgalias apply ran ${verbs}, not a snapshot, a re-read, one tag and a verifying read`);
    const [snapshot, reread, tag] = calls;
    gaps.push(reread[1] - snapshot[2]);
    rereads.push(reread[2] - reread[1]);
    windows.push(tag[2] - reread[2]);
  }
  console.log(
    `podman, imgalias apply of ${n} names (5 runs): CLI snapshot end -> re-read start median ${ms(quantile(gaps, 0.5))} (max ${ms(Math.max(...gaps))}); ` +
      `the re-read itself median ${ms(quantile(rereads, 0.5))}; window re-read -> end of tag median ${ms(quantile(windows, 0.5))}. ` +
      `Tagging straight from the snapshot would widen the window by the first figure and shorten the run by the second.`,
  );
}

const dockerDir = await mkdtemp('/tmp/imga.');
try {
  await run(resolve(repo, 'scripts/engines/dockerd.sh'), ['start', dockerDir], process.env);
  await measure('docker', { ...process.env, DOCKER_HOST: `unix://${dockerDir}/docker.sock`, DOCKER_CONTEXT: '' }, dockerDir);
} catch (error) {
  console.error(`docker: ${error.message}`);
  process.exitCode = 1;
} finally {
  await run(resolve(repo, 'scripts/engines/dockerd.sh'), ['stop', dockerDir], process.env).catch(() => undefined);
  await rm(dockerDir, { recursive: true, force: true });
}

const podmanDir = await mkdtemp('/tmp/imga.');
try {
  const lines = await run(resolve(repo, 'scripts/engines/podman-store.sh'), ['create', podmanDir], process.env);
  // A CONTAINER_HOST or CONTAINER_CONNECTION in the shell would send podman to a remote service: the store is local.
  const env = { ...process.env, CONTAINER_HOST: undefined, CONTAINER_CONNECTION: undefined };
  for (const line of lines.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  await measure('podman', env, podmanDir);
  await measureCli(env, podmanDir);
} catch (error) {
  console.error(`podman: ${error.message}`);
  process.exitCode = 1;
} finally {
  await run(resolve(repo, 'scripts/engines/podman-store.sh'), ['remove', podmanDir], process.env).catch(() => undefined);
  await rm(podmanDir, { recursive: true, force: true });
}
