#!/usr/bin/env node
// Podman converge: the adapter against the per-image shell baseline run with podman as the engine, in one run
// on one private Podman store (scripts/engines/podman-store.sh), rounds interleaved. The adapter runs twice per
// round: through the podman CLI (`--transport cli`, and `auto` without a service), and through the API transport
// against Podman's Docker-compatible service (`podman system service`) on a private socket over the same store
// (what `auto` picks when CONTAINER_HOST names that socket). Each round also replays the CLI transport's own
// `podman tag` commands alone on a refilled store, twice: as the adapter ran them (its floor, with the GOGC it
// sets) and as a user would type them (podman's defaults); see docs/performance.md. Odd rounds run in the order
// shell, adapter, floor, floor at defaults, API; even rounds in the reverse order, so no run always goes first.
//
//   pnpm build && node bench/podman.mjs [--images 200] [--rounds 3] [--smoke]
//
// The baseline scripts call `docker`; here a `docker` first on PATH runs the private store's `podman` with the
// same arguments (`image inspect`, `tag`, `import`, `rmi`, `image ls` mean the same to both). Not a test: it
// prints wall and CPU times (CPU: every process a run started, and the service's for the API), process counts
// and the median ratios; on a loaded shared machine the CPU ratios are the ones to read. `--smoke` (CI) uses a few images and one round.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuTimed, numberOption, run } from './support.mjs';

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
  // A CONTAINER_HOST or CONTAINER_CONNECTION in the shell would send podman to a remote service: the store is local.
  const env = { ...process.env, ...storeEnv, CONTAINER_HOST: undefined, CONTAINER_CONNECTION: undefined };
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
  // The CPU of each engine process the adapter ran, from this process's reaped-children CPU (/proc/self/stat
  // cutime+cstime, in 10 ms ticks) read as each one ends: the podman converge runs them one after another, so the
  // difference since the previous one is that process's (and its children's). Split into the `podman tag`
  // processes (podman's own floor, measured inside the adapter's run, with no round-to-round drift) and the rest.
  let childrenBefore = 0;
  let tagCpu = 0;
  let otherCpu = 0;
  const childrenCpu = () => {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return (fields[13] + fields[14]) / 100;
  };
  // The adapter's own `podman tag sha256:ID T1 ... Tn` commands (arguments and the variables it set), replayed
  // alone as the floor (below).
  let tagCommands = [];
  const store = createEngineStore({
    engine: 'podman',
    env,
    onExec: (event) => {
      processes += 1;
      const children = childrenCpu();
      const cpu = children - childrenBefore;
      childrenBefore = children;
      if (event.args[0] === 'tag') {
        tagProcesses += 1;
        tagCommands.push({ args: event.args, extraEnv: event.extraEnv });
        tagCpu += cpu;
      } else otherCpu += cpu;
    },
  });
  // Podman's own floor for this converge: the very `podman tag` commands the adapter ran, alone (no listing, no
  // re-read, no verifying read, no Node), on a freshly filled store. Podman 4.3 adds one name at a time: each
  // re-indexes every name of the image in memory and rewrites the image store's images.json (a temp file,
  // fdatasync'ed, renamed) under the store lock, plus an event; no podman command or API call sets several names
  // in one write. No adapter can converge faster than this, so `adapter / floor` is how close it gets to the
  // engine's own limit. The floor runs them with the variables the adapter set (GOGC); the floor at defaults
  // without, as a user would type them.
  // The adapter tags from the planned image's id, and every fill imports the image afresh (a new id): the replay
  // names the refilled store's image that holds the same source name, so it runs the same commands on it.
  let recorded;
  const onRefilled = async ({ commands, snapshot }) => {
    const fresh = await store.snapshot();
    if (fresh._tag === 'Left') throw new Error(JSON.stringify(fresh.left));
    const idByName = new Map(fresh.right.images.flatMap((image) => image.names.map((name) => [name, image.id])));
    return commands.map(({ args: [verb, source, ...targets], extraEnv }) => {
      const image = snapshot.images.find((candidate) => candidate.id === source);
      const id = image?.names.map((name) => idByName.get(name)).find((found) => found !== undefined);
      if (id === undefined) throw new Error(`the refilled store has no image named as ${source} was`);
      return { args: [verb, id, ...targets], extraEnv };
    });
  };
  const floorRun = async (commands, { defaults }) => {
    for (const { args, extraEnv } of commands) await run('podman', args, defaults ? env : { ...env, ...extraEnv });
    return { processes: commands.length };
  };
  // What `imgalias apply` does: read, plan, apply against that snapshot, read once more to verify.
  const adapterRun = async () => {
    processes = 0;
    tagProcesses = 0;
    tagCommands = [];
    tagCpu = 0;
    otherCpu = 0;
    childrenBefore = childrenCpu();
    const snapshot = await store.snapshot();
    if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
    const plan = planAliases({ snapshot: snapshot.right, images, policy });
    if (plan.actions.length === 0) return { actions: 0, processes, tagProcesses, tagCpu, otherCpu };
    const report = await store.apply(plan, { current: snapshot.right });
    if (report._tag === 'Left') throw new Error(JSON.stringify(report.left));
    const failed = report.right.results.filter((r) => r._tag === 'Failed' || r._tag === 'Refused').length;
    if (failed > 0 || !report.right.verified) throw new Error(`adapter run failed: ${failed} failed, verified=${report.right.verified}: ${JSON.stringify(plan.actions.slice(0, 3))} ${JSON.stringify(report.right.after.images.slice(0, 3))}`);
    recorded = { commands: tagCommands, snapshot: snapshot.right };
    return { actions: plan.actions.length, processes, tagProcesses, tagCpu, otherCpu };
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
    env,
    host: `unix://${socketPath}`,
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
    const failed = report.right.results.filter((r) => r._tag === 'Failed' || r._tag === 'Refused').length;
    if (failed > 0 || !report.right.verified) throw new Error(`API run failed: ${failed} failed, verified=${report.right.verified}`);
    return { actions: plan.actions.length, requests };
  };

  const rows = [];
  const ratio = (a, b) => `${(a / b).toFixed(1)}x`;
  // A floor replays commands an adapter run recorded: the first adapter run comes before any floor.
  const floorOf = (defaults) => async () => {
    if (recorded === undefined) {
      await fill();
      await adapterRun();
    }
    await fill();
    const replayed = await onRefilled(recorded);
    const floor = await cpuTimed(() => floorRun(replayed, { defaults }));
    // The replay converged the store as the adapter did, or it is no floor.
    const afterFloor = await store.snapshot();
    if (afterFloor._tag === 'Left') throw new Error(JSON.stringify(afterFloor.left));
    const left = planAliases({ snapshot: afterFloor.right, images, policy }).actions.length;
    if (left !== 0) throw new Error(`the replayed podman tag commands left ${left} names to tag`);
    return floor;
  };
  const measures = {
    base: async () => {
      await fill();
      return cpuTimed(baseline);
    },
    adapter: async () => {
      await fill();
      const adapter = await cpuTimed(adapterRun);
      if (adapter.value.actions === 0) throw new Error('the adapter found nothing to do on a freshly filled store');
      return adapter;
    },
    floor: floorOf(false),
    floorDefaults: floorOf(true),
    viaApi: async () => {
      await fill();
      // The service's own CPU counts too: the tags happen in it.
      const viaApi = await cpuTimed(apiRun, [service.pid]);
      if (viaApi.value.actions === 0) throw new Error('the API run found nothing to do on a freshly filled store');
      return viaApi;
    },
  };
  const order = Object.keys(measures);
  for (let round = 1; round <= rounds; round += 1) {
    const row = {};
    for (const key of round % 2 === 1 ? order : [...order].reverse()) row[key] = await measures[key]();
    const { base, adapter, floor, floorDefaults, viaApi } = row;
    rows.push(row);
    console.log(
      `round ${round} (wall s / CPU s): per-image shell ${base.seconds.toFixed(2)} / ${base.cpu.toFixed(2)}; ` +
        `adapter CLI ${adapter.seconds.toFixed(2)} / ${adapter.cpu.toFixed(2)} (${adapter.value.actions} names, ${adapter.value.processes} processes of which ${adapter.value.tagProcesses} tag: ` +
        `CPU ${adapter.value.tagCpu.toFixed(2)} in tag, ${adapter.value.otherCpu.toFixed(2)} in the other podman processes, ${(adapter.cpu - adapter.value.tagCpu - adapter.value.otherCpu).toFixed(2)} in Node); ` +
        `the adapter's podman tag alone (floor) ${floor.seconds.toFixed(2)} / ${floor.cpu.toFixed(2)} (${floor.value.processes} processes), ` +
        `at podman's defaults ${floorDefaults.seconds.toFixed(2)} / ${floorDefaults.cpu.toFixed(2)}; ` +
        `API via podman service ${viaApi.seconds.toFixed(2)} / ${viaApi.cpu.toFixed(2)} (${viaApi.value.requests} requests)`,
    );
    console.log(
      `  vs shell, wall: CLI ${ratio(base.seconds, adapter.seconds)}, API ${ratio(base.seconds, viaApi.seconds)}, floor ${ratio(base.seconds, floor.seconds)}, floor at defaults ${ratio(base.seconds, floorDefaults.seconds)}; ` +
        `CPU: CLI ${ratio(base.cpu, adapter.cpu)}, API ${ratio(base.cpu, viaApi.cpu)}, floor ${ratio(base.cpu, floor.cpu)}, floor at defaults ${ratio(base.cpu, floorDefaults.cpu)} (${round % 2 === 1 ? 'shell first' : 'API first'})`,
    );
  }
  const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const median = (pick) => medianOf(rows.map(pick)).toFixed(2);
  const uptime = loadavg().map((load) => load.toFixed(1)).join(' ');
  console.log(`N=${n}, rounds=${rounds}, podman (private store, vfs), internal mode, concurrency 4 (the API sends one tag request at a time), load average at the end ${uptime}${smoke ? ', smoke run' : ''}`);
  console.log('medians of the per-round ratios, wall time then CPU time (the CPU of every process each run started, and of the podman service for the API):');
  console.log(`converge: adapter (CLI transport) is ${median((r) => r.base.seconds / r.adapter.seconds)}x / ${median((r) => r.base.cpu / r.adapter.cpu)}x faster than the per-image shell on podman (goal >= 8x)`);
  console.log(`converge: adapter (API transport, podman service) is ${median((r) => r.base.seconds / r.viaApi.seconds)}x / ${median((r) => r.base.cpu / r.viaApi.cpu)}x faster than the per-image shell on podman (goal >= 8x)`);
  console.log(`podman's floor (the CLI transport's own podman tag commands, alone, as it ran them) is ${median((r) => r.base.seconds / r.floor.seconds)}x / ${median((r) => r.base.cpu / r.floor.cpu)}x faster than the per-image shell: the most the CLI transport can reach`);
  console.log(`the same commands at podman's defaults (no GOGC) are ${median((r) => r.base.seconds / r.floorDefaults.seconds)}x / ${median((r) => r.base.cpu / r.floorDefaults.cpu)}x faster; with the adapter's GOGC they take ${median((r) => r.floor.seconds / r.floorDefaults.seconds)}x / ${median((r) => r.floor.cpu / r.floorDefaults.cpu)}x the time`);
  console.log(`adapter (CLI) takes ${median((r) => r.adapter.seconds / r.floor.seconds)}x / ${median((r) => r.adapter.cpu / r.floor.cpu)}x the floor; adapter (API) ${median((r) => r.viaApi.seconds / r.floor.seconds)}x / ${median((r) => r.viaApi.cpu / r.floor.cpu)}x`);
  console.log(
    `adapter (CLI) CPU over its own podman tag process's CPU (the floor inside the same run: no drift between runs): ${median((r) => r.adapter.cpu / r.adapter.value.tagCpu)}x ` +
      `(the other podman processes ${median((r) => r.adapter.value.otherCpu)} s, Node ${median((r) => r.adapter.cpu - r.adapter.value.tagCpu - r.adapter.value.otherCpu)} s; medians)`,
  );
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
