#!/usr/bin/env node
// Podman converge: the adapter against the per-image shell baseline run with podman as the engine, in one run
// on one private Podman store (scripts/engines/podman-store.sh), rounds interleaved. The adapter runs twice per
// round: through the podman CLI (`--transport cli`, and `auto` without a service), and through the API transport
// against Podman's Docker-compatible service (`podman system service`) on a private socket over the same store
// (what `auto` picks when CONTAINER_HOST names that socket).
//
//   pnpm build && node bench/podman.mjs [--images 200] [--rounds 3] [--smoke]
//
// The baseline scripts call `docker`; here a `docker` first on PATH runs the private store's `podman` with the
// same arguments (`image inspect`, `tag`, `import`, `rmi`, `image ls` mean the same to both). Not a test: it
// prints timings, process counts and the median ratio. `--smoke` (CI) uses a few images and one round.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberOption, run, timed } from './support.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const baselineDir = resolve(repo, '../shared/baseline');
const podmanScript = resolve(repo, 'scripts/engines/podman-store.sh');

const smoke = process.argv.includes('--smoke');
const n = numberOption('images', smoke ? 5 : 200);
const rounds = numberOption('rounds', smoke ? 1 : 3);

const adapterBuild = resolve(repo, 'packages/adapter-docker/dist/index.js');
for (const needed of [adapterBuild, `${baselineDir}/fill-store.sh`, `${baselineDir}/per-image-shell.sh`]) {
  if (!existsSync(needed)) {
    console.error(`missing ${needed}: build first (pnpm build); the baseline scripts belong in ../shared/baseline`);
    process.exit(2);
  }
}
const { planAliases, defaultPolicy } = await import(resolve(repo, 'packages/core/dist/index.js'));
const { createEngineStore } = await import(adapterBuild);

/** True once a service answers `GET /_ping` on the socket. */
const answers = (socketPath) =>
  new Promise((resolvePromise) => {
    const req = http.get({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode === 200));
    });
    req.on('error', () => resolvePromise(false));
  });

const dir = await mkdtemp('/tmp/imgp.');
let created = false;
let service;
try {
  const printed = await run(podmanScript, ['create', `${dir}/store`], process.env);
  created = true;
  const storeEnv = Object.fromEntries(
    printed.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const env = { ...process.env, ...storeEnv };
  // `docker` for the baseline scripts: the private store's podman, same arguments.
  const shims = `${dir}/shims`;
  await mkdir(shims);
  const podman = (await run('sh', ['-c', 'command -v podman'], env)).stdout.trim();
  await writeFile(`${shims}/docker`, `#!/bin/sh\nexec '${podman}' "$@"\n`);
  await chmod(`${shims}/docker`, 0o755);
  const shellEnv = { ...env, PATH: `${shims}:${env.PATH ?? ''}` };

  const images = Array.from({ length: n }, (_, i) => `bench-${i + 1}:1.0`);
  const policy = { ...defaultPolicy, mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' } };
  const fill = () => run(`${baselineDir}/fill-store.sh`, [String(n)], shellEnv);
  const baseline = () => run(`${baselineDir}/per-image-shell.sh`, ['internal', 'harbor.corp.local/proj', ...images], shellEnv);

  let processes = 0;
  let tagProcesses = 0;
  const store = createEngineStore({
    engine: 'podman',
    env,
    onExec: (event) => {
      processes += 1;
      if (event.args[0] === 'tag') tagProcesses += 1;
    },
  });
  // What `imgalias apply` does: read, plan, apply against that snapshot, read once more to verify.
  const adapterRun = async () => {
    processes = 0;
    tagProcesses = 0;
    const snapshot = await store.snapshot();
    if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
    const plan = planAliases({ snapshot: snapshot.right, images, policy });
    if (plan.actions.length === 0) return { actions: 0, processes, tagProcesses };
    const report = await store.apply(plan, { current: snapshot.right });
    if (report._tag === 'Left') throw new Error(JSON.stringify(report.left));
    const failed = report.right.results.filter((r) => r._tag === 'Failed').length;
    if (failed > 0 || !report.right.verified) throw new Error(`adapter run failed: ${failed} failed, verified=${report.right.verified}: ${JSON.stringify(plan.actions.slice(0, 3))} ${JSON.stringify(report.right.after.images.slice(0, 3))}`);
    return { actions: plan.actions.length, processes, tagProcesses };
  };

  // Podman's Docker-compatible service on a private socket, over the same store (its environment).
  const socketPath = `${dir}/store/podman.sock`;
  service = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], { env, stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!(await answers(socketPath))) {
    if (service.exitCode !== null || Date.now() > deadline) throw new Error(`podman system service did not answer on ${socketPath}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  let requests = 0;
  // The same store through the API transport: what `imgalias apply --transport auto` picks when CONTAINER_HOST
  // names the service's socket.
  const apiStore = createEngineStore({
    engine: 'podman',
    env: { ...env, CONTAINER_HOST: `unix://${socketPath}` },
    transport: 'api',
    onRequest: () => {
      requests += 1;
    },
    onExec: (event) => {
      throw new Error(`the API transport ran a process: ${event.args.join(' ')}`);
    },
  });
  // What `imgalias apply` does, through the service: read, plan, apply against that snapshot, read to verify.
  const apiRun = async () => {
    requests = 0;
    const snapshot = await apiStore.snapshot();
    if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
    const plan = planAliases({ snapshot: snapshot.right, images, policy });
    if (plan.actions.length === 0) return { actions: 0, requests };
    const report = await apiStore.apply(plan, { current: snapshot.right });
    if (report._tag === 'Left') throw new Error(JSON.stringify(report.left));
    const failed = report.right.results.filter((r) => r._tag === 'Failed').length;
    if (failed > 0 || !report.right.verified) throw new Error(`API run failed: ${failed} failed, verified=${report.right.verified}`);
    return { actions: plan.actions.length, requests };
  };

  const ratios = [];
  const apiRatios = [];
  for (let round = 1; round <= rounds; round += 1) {
    await fill();
    const base = await timed(baseline);
    await fill();
    const adapter = await timed(adapterRun);
    if (adapter.value.actions === 0) throw new Error('the adapter found nothing to do on a freshly filled store');
    await fill();
    const viaApi = await timed(apiRun);
    if (viaApi.value.actions === 0) throw new Error('the API run found nothing to do on a freshly filled store');
    ratios.push(base.seconds / adapter.seconds);
    apiRatios.push(base.seconds / viaApi.seconds);
    console.log(
      `round ${round}: converge baseline ${base.seconds.toFixed(2)} s vs adapter (CLI) ${adapter.seconds.toFixed(2)} s ` +
        `(${adapter.value.actions} names, ${adapter.value.processes} processes of which ${adapter.value.tagProcesses} tag): ${(base.seconds / adapter.seconds).toFixed(1)}x; ` +
        `API via podman service ${viaApi.seconds.toFixed(2)} s (${viaApi.value.requests} requests): ${(base.seconds / viaApi.seconds).toFixed(1)}x`,
    );
  }
  const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`N=${n}, rounds=${rounds}, podman (private store, vfs), internal mode, concurrency 4 (the API sends one tag request at a time)${smoke ? ', smoke run' : ''}`);
  console.log(`converge: adapter (CLI transport) is ${medianOf(ratios).toFixed(1)}x faster than the per-image shell on podman (goal >= 8x)`);
  console.log(`converge: adapter (API transport, podman service) is ${medianOf(apiRatios).toFixed(1)}x faster than the per-image shell on podman (goal >= 8x)`);
  apiStore.close();
} finally {
  if (service?.pid !== undefined && service.exitCode === null) {
    const exited = new Promise((resolvePromise) => service.once('exit', resolvePromise));
    service.kill('SIGTERM');
    await exited;
  }
  if (created) await run(podmanScript, ['remove', `${dir}/store`], process.env).catch((error) => console.error(String(error)));
  await rm(dir, { recursive: true, force: true });
}
