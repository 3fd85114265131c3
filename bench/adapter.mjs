#!/usr/bin/env node
// Adapter vs per-image shell: the same converge and nothing-to-do runs, timed in one process on one private
// dockerd, against the baseline this project replaces (../shared/baseline/per-image-shell.sh).
//
//   pnpm build && node bench/adapter.mjs [--images 200] [--rounds 1] [--transport api|cli] [--smoke]
//
// With the API transport (the default, as `imgalias` uses it) each round also times the daemon's own cost:
// the same N tags as N sequential Engine API requests on one kept-alive connection, with nothing else around
// them. `--smoke` (CI) uses a few images and one round and judges nothing.
//
// Not a test: it prints timings and ratios (absolute times drift on shared machines; ratios from the same run
// do not, much). It starts its own dockerd via scripts/engines/dockerd.sh and stops it by pid at the end.
import http from 'node:http';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberOption, run, timed } from './support.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// CI keeps shared/ beside the clone; so does this workspace.
const baselineDir = resolve(repo, '../shared/baseline');
const dockerdScript = resolve(repo, 'scripts/engines/dockerd.sh');

const smoke = process.argv.includes('--smoke');
const n = numberOption('images', smoke ? 5 : 200);
const rounds = numberOption('rounds', 1);
const transportAt = process.argv.indexOf('--transport');
const transport = transportAt > 0 ? process.argv[transportAt + 1] : 'api';
const harborPrefix = 'harbor.corp.local/proj';

for (const needed of [`${baselineDir}/fill-store.sh`, `${baselineDir}/per-image-shell.sh`]) {
  if (!existsSync(needed)) {
    console.error(`missing ${needed}: the baseline scripts are expected in ../shared/baseline beside the repository`);
    process.exit(2);
  }
}
const dist = (pkg, file) => resolve(repo, `packages/${pkg}/dist/${file}`);
if (!existsSync(dist('core', 'index.js')) || !existsSync(dist('adapter-docker', 'index.js'))) {
  console.error('build first: pnpm build (the benchmark measures the built packages)');
  process.exit(2);
}
/** The ESM builds; the CommonJS builds (same code) when an ESM build cannot load on this Node. */
const loadBuilt = async () => {
  try {
    return { format: 'esm', core: await import(dist('core', 'index.js')), adapter: await import(dist('adapter-docker', 'index.js')) };
  } catch (error) {
    console.warn(`ESM build did not load (${error.code ?? error.message}); using the CommonJS build`);
    const require = createRequire(import.meta.url);
    return { format: 'cjs', core: require(dist('core', 'index.cjs')), adapter: require(dist('adapter-docker', 'index.cjs')) };
  }
};
const built = await loadBuilt();
const { planAliases, defaultPolicy } = built.core;
const { createEngineStore } = built.adapter;

const dir = await mkdtemp('/tmp/imga.');
let started = false;
try {
  await run(dockerdScript, ['start', dir], process.env);
  started = true;
  await mkdir(`${dir}/config`, { recursive: true });
  const env = { ...process.env, DOCKER_HOST: `unix://${dir}/docker.sock`, DOCKER_CONTEXT: '', DOCKER_CONFIG: `${dir}/config` };
  const images = Array.from({ length: n }, (_, i) => `bench-${i + 1}:1.0`);
  const policy = { ...defaultPolicy, mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' } };
  const fill = () => run(`${baselineDir}/fill-store.sh`, [String(n)], env);
  const baseline = () => run(`${baselineDir}/per-image-shell.sh`, ['internal', harborPrefix, ...images], env);

  let processes = 0;
  let tags = 0;
  const store = createEngineStore({
    engine: 'docker',
    env,
    transport,
    onExec: (event) => {
      processes += 1;
      if (event.args[0] === 'tag') tags += 1;
    },
    onRequest: (event) => {
      processes += 1;
      if (event.path.includes('/tag?')) tags += 1;
    },
  });

  /** The daemon's own cost for the converge: N sequential tag requests, nothing read, nothing planned. */
  const socketPath = `${dir}/docker.sock`;
  const sequentialTags = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 1; i <= n; i += 1) {
      const path = `/images/localhost/bench-${i}:1.0/tag?repo=docker.io%2Flibrary%2Fbench-${i}&tag=1.0`;
      const status = await new Promise((done, fail) => {
        const req = http.request({ socketPath, agent, method: 'POST', path, headers: { Host: 'docker' } }, (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode));
        });
        req.on('error', fail);
        req.end();
      });
      if (status !== 201) throw new Error(`tag request ${i} answered ${status}`);
    }
    agent.destroy();
  };
  /**
   * What `imgalias apply` does: read the store, plan, and, when the plan has actions, apply against that same
   * snapshot (no second read before tagging) and read once more to verify. A converged store costs one read.
   */
  const adapterRun = async () => {
    processes = 0;
    tags = 0;
    const snapshot = await store.snapshot();
    if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
    const plan = planAliases({ snapshot: snapshot.right, images, policy });
    if (plan.actions.length === 0) return { actions: 0, processes, tags };
    const report = await store.apply(plan, { current: snapshot.right });
    if (report._tag === 'Left') throw new Error(JSON.stringify(report.left));
    const failed = report.right.results.filter((r) => r._tag === 'Failed' || r._tag === 'Refused').length;
    if (failed > 0 || !report.right.verified) throw new Error(`adapter run failed: ${failed} failed, verified=${report.right.verified}`);
    return { actions: plan.actions.length, processes, tags };
  };

  const rows = [];
  for (let round = 1; round <= rounds; round += 1) {
    await fill();
    const baseConverge = await timed(baseline);
    const baseNothing = await timed(baseline);
    await fill();
    const adapterConverge = await timed(adapterRun);
    const adapterNothing = await timed(adapterRun);
    if (adapterConverge.value.actions !== n || adapterNothing.value.actions !== 0) {
      throw new Error(`unexpected plan sizes: ${adapterConverge.value.actions} then ${adapterNothing.value.actions}`);
    }
    await fill();
    const daemon = await timed(sequentialTags);
    rows.push({ round, baseConverge, baseNothing, adapterConverge, adapterNothing, daemon });
    console.log(
      `round ${round}: converge baseline ${baseConverge.seconds.toFixed(2)} s vs adapter ${adapterConverge.seconds.toFixed(2)} s ` +
        `(${adapterConverge.value.processes} engine calls, ${adapterConverge.value.tags} tags); ` +
        `nothing-to-do baseline ${baseNothing.seconds.toFixed(2)} s vs adapter ${adapterNothing.seconds.toFixed(3)} s ` +
        `(${adapterNothing.value.processes} engine calls, ${adapterNothing.value.tags} tags); ` +
        `${n} sequential Engine API tags ${daemon.seconds.toFixed(2)} s`,
    );
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const converge = median(rows.map((r) => r.baseConverge.seconds / r.adapterConverge.seconds));
  const nothing = median(rows.map((r) => r.baseNothing.seconds / r.adapterNothing.seconds));
  const overDaemon = median(rows.map((r) => r.adapterConverge.seconds / r.daemon.seconds));
  console.log(`N=${n}, rounds=${rounds}, docker engine (private dockerd, vfs), ${transport} transport, internal mode, concurrency 4, ${built.format} build${smoke ? ', smoke run' : ''}`);
  console.log(`converge:      adapter is ${converge.toFixed(1)}x faster than the per-image shell (goal >= 10x)`);
  console.log(`nothing-to-do: adapter is ${nothing.toFixed(1)}x faster than the per-image shell (goal >= 50x)`);
  console.log(`converge:      adapter takes ${overDaemon.toFixed(2)}x the time of ${n} sequential Engine API tags (goal <= 1.5x)`);
} finally {
  if (started) await run(dockerdScript, ['stop', dir], process.env).catch((error) => console.error(String(error)));
  await rm(dir, { recursive: true, force: true });
}
