#!/usr/bin/env node
// Start-up of the built `imgalias` bin against its yardsticks, measured in one run as paired, interleaved samples:
//
//   - `imgalias --version`                         vs `node -e 0`
//   - a nothing-to-do `imgalias apply`/`check` of N images on a private dockerd
//                                                  vs `node -e 0` plus one `docker image ls`
//
//   pnpm build && node bench/startup.mjs [--images 150] [--samples 21] [--node PATH] [--bin PATH] [--smoke]
//
// Not a test: it prints medians and the median of the per-pair ratios (absolute times drift on a shared
// machine; a yardstick run right beside its subject drifts with it), and the ratio of the CPU time each side's
// processes used over all samples (what to read when the machine is loaded). `--node` runs the bin and the yardstick
// under another Node (e.g. 22+, where the bin turns on the compile cache). `--smoke` is the CI run: few images
// and samples, checks that everything runs, prints the figures without judging them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const baselineDir = resolve(repo, '../shared/baseline');
const dockerdScript = resolve(repo, 'scripts/engines/dockerd.sh');
const argvOption = (name) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
// `--bin PATH` times another build of the program (a copy of packages/cli/dist), to compare two builds.
const bin = resolve(argvOption('bin') ?? resolve(repo, 'packages/cli/dist/bin.js'));

const flag = (name) => process.argv.includes(`--${name}`);
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
};
const smoke = flag('smoke');
const n = Number(option('images', smoke ? '5' : '150'));
const samples = Number(option('samples', smoke ? '3' : '21'));
const node = option('node', process.execPath);

for (const needed of [bin, `${baselineDir}/fill-store.sh`]) {
  if (!existsSync(needed)) {
    console.error(`missing ${needed}: build first (pnpm build); the baseline scripts belong in ../shared/baseline`);
    process.exit(2);
  }
}

const run = (command, args, env) =>
  new Promise((resolvePromise, reject) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // `check` exits 1 when it has findings; the benchmark only needs it to have run.
      if (error && typeof error.code !== 'number') reject(new Error(`${command} ${args.slice(0, 3).join(' ')}... failed: ${stderr || error.message}`));
      else resolvePromise({ code: error?.code ?? 0, stdout, stderr });
    });
  });

const timed = async (work) => {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/**
 * CPU seconds of the child processes this process has waited for so far (Linux: cutime + cstime of
 * /proc/self/stat). The kernel sums them in nanoseconds and rounds only the total to 10 ms ticks, so the
 * difference over many runs is exact to within 10 ms, however short each run is.
 */
const childrenCpu = async () => {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return ((fields[13] ?? 0) + (fields[14] ?? 0)) / 100;
};

/**
 * Runs yardstick and subject alternately, `samples` times each (after one unmeasured warm-up of each). Besides
 * wall times it sums each side's CPU time over all its samples: on a loaded shared machine wall time also
 * measures the run queue, CPU time only the work.
 */
const paired = async (name, yardstick, subject) => {
  await yardstick();
  await subject();
  const pairs = [];
  let yardstickCpu = 0;
  let subjectCpu = 0;
  for (let i = 0; i < samples; i += 1) {
    const beforeY = await childrenCpu();
    const y = await timed(yardstick);
    const beforeS = await childrenCpu();
    const s = await timed(subject);
    const after = await childrenCpu();
    yardstickCpu += beforeS - beforeY;
    subjectCpu += after - beforeS;
    pairs.push({ y: y.ms, s: s.ms });
  }
  const result = {
    name,
    yardstick: median(pairs.map((p) => p.y)),
    subject: median(pairs.map((p) => p.s)),
    ratio: median(pairs.map((p) => p.s / p.y)),
    cpuRatio: subjectCpu / yardstickCpu,
  };
  console.log(
    `${name}: subject ${result.subject.toFixed(1)} ms, yardstick ${result.yardstick.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)}x (median of ${samples} pairs); ` +
      `CPU ${((subjectCpu * 1000) / samples).toFixed(1)} ms vs ${((yardstickCpu * 1000) / samples).toFixed(1)} ms a run, ratio ${result.cpuRatio.toFixed(2)}x`,
  );
  return result;
};

const nodeVersion = (await run(node, ['--version'], process.env)).stdout.trim();
const dir = await mkdtemp('/tmp/imgs.');
let started = false;
const results = [];
try {
  const nodeOnly = () => run(node, ['-e', '0'], process.env);
  results.push(await paired('imgalias --version vs node -e 0', nodeOnly, () => run(node, [bin, '--version'], process.env)));

  await run(dockerdScript, ['start', dir], process.env);
  started = true;
  await mkdir(`${dir}/config`, { recursive: true });
  await mkdir(`${dir}/home`, { recursive: true });
  const env = { ...process.env, HOME: `${dir}/home`, DOCKER_HOST: `unix://${dir}/docker.sock`, DOCKER_CONTEXT: '', DOCKER_CONFIG: `${dir}/config` };
  await run(`${baselineDir}/fill-store.sh`, [String(n)], env);
  const images = Array.from({ length: n }, (_, i) => `bench-${i + 1}:1.0`);
  const settings = ['--mode', 'internal', '--harbor', 'harbor.corp.local/proj'];
  const converge = await run(node, [bin, 'apply', ...settings, ...images], env);
  if (converge.code !== 0) throw new Error(`the converging apply exited ${converge.code}: ${converge.stderr}`);
  const nothing = await run(node, [bin, 'apply', ...settings, ...images], env);
  if (!/^nothing to do$/m.test(nothing.stdout)) throw new Error(`the second apply was not a nothing-to-do run:\n${nothing.stdout}`);

  const nodeAndList = async () => {
    await run(node, ['-e', '0'], env);
    await run('docker', ['image', 'ls'], env);
  };
  results.push(await paired(`nothing-to-do apply, ${n} images vs node -e 0 + docker image ls`, nodeAndList, () => run(node, [bin, 'apply', ...settings, ...images], env)));
  results.push(await paired(`nothing-to-do check, ${n} images vs node -e 0 + docker image ls`, nodeAndList, () => run(node, [bin, 'check', ...settings, ...images], env)));
} finally {
  if (started) await run(dockerdScript, ['stop', dir], process.env).catch((error) => console.error(String(error)));
  await rm(dir, { recursive: true, force: true });
}

console.log(`node ${nodeVersion}, ${samples} pairs each, private dockerd (vfs), internal mode, load average at the end ${loadavg().map((load) => load.toFixed(1)).join(' ')}${smoke ? ', smoke run' : ''}`);
if (!smoke) {
  const ok = results.every((r) => r.ratio <= 1.5);
  console.log(`goal: every ratio at most 1.5x: ${ok ? 'met' : 'not met'} (wall); ${results.every((r) => r.cpuRatio <= 1.5) ? 'met' : 'not met'} (CPU)`);
}
