#!/usr/bin/env node
// Planning speed: plans synthetic snapshots of 10k, 100k and 1M names with a fifth of the names requested, and
// prints the time and heap each plan takes. Not a test (timings drift on shared machines).
//
//   pnpm --filter @imgalias/core build && node --expose-gc bench/plan.mjs [--sizes 10000,100000,1000000] [--rounds 3]
//
// It imports the built package (packages/core/dist), so it measures what users run.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { planAliases, applyToSnapshot, parseReference } = await import(
  pathToFileURL(resolve(repo, 'packages/core/dist/index.js')).href
);

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
};
const sizes = option('sizes', '10000,100000,1000000').split(',').map(Number);
const rounds = Number(option('rounds', '3'));

const policy = {
  mode: 'internal',
  harbor: { registry: 'harbor.corp.local', project: 'proj' },
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  harborTags: false,
};

/**
 * A store shaped like a busy build host: every image is one repository:tag, named in one of five ways
 * (origin only, `localhost/` twin only, both, the Harbor copy only, all three), with a few conflicts
 * (the twin on another image). Names are spelled as `docker images` prints them.
 */
const buildSnapshot = (names) => {
  const images = [];
  const all = [];
  let count = 0;
  for (let i = 0; count < names; i++) {
    const repo = i % 3 === 0 ? `app${i}` : `team${i % 997}/app${i}`;
    const tag = `1.${i % 13}`;
    const origin = `${repo}:${tag}`;
    const twin = `localhost/${repo}:${tag}`;
    const harbor = `harbor.corp.local/proj/${repo}:${tag}`;
    const shape = i % 5;
    const own = shape === 0 ? [origin] : shape === 1 ? [twin] : shape === 2 ? [origin, twin] : shape === 3 ? [harbor] : [harbor, origin, twin];
    const id = `sha256:${i.toString(16).padStart(64, '0')}`;
    if (i % 50 === 7 && own.length > 1) {
      // a stale twin left on an older image: a conflict the plan must report
      images.push({ id, names: own.slice(0, 1) });
      images.push({ id: `sha256:${(i + 0x10000000).toString(16).padStart(64, '0')}`, names: own.slice(1) });
    } else {
      images.push({ id, names: own });
    }
    all.push(...own);
    count += own.length;
  }
  return { snapshot: { version: 1, images }, names: all };
};

const heapMiB = () => process.memoryUsage().heapUsed / 2 ** 20;
const gc = () => globalThis.gc?.();
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// Warm the JIT so the first size is not charged for compiling.
{
  const { snapshot, names } = buildSnapshot(5000);
  for (let i = 0; i < 5; i++) planAliases({ snapshot, images: names.filter((_, j) => j % 5 === 0), policy });
}

console.log(`node ${process.version}, ${rounds} rounds per size, best time shown${globalThis.gc ? '' : ' (run with --expose-gc for heap figures)'}`);
console.log('| names | images | requested | actions | findings | plan, wall (ms) | plan, CPU (ms) | parse only (ms) | apply (ms) | heap after planning (MiB) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const size of sizes) {
  const { snapshot, names } = buildSnapshot(size);
  const requested = names.filter((_, j) => j % 5 === 0);
  let best = Infinity;
  let bestCpu = Infinity;
  let bestParse = Infinity;
  let bestApply = Infinity;
  let heap = 0;
  let plan;
  for (let round = 0; round < rounds; round++) {
    gc();
    const before = heapMiB();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    plan = planAliases({ snapshot, images: requested, policy });
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    // user + system CPU of this process: on a busy machine wall time also counts waiting for a core.
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    // Heap still held right after planning: the index, the families and the plan (before they are collected).
    heap = Math.max(heap, heapMiB() - before);
    best = Math.min(best, elapsed);

    const parseStart = performance.now();
    for (const image of snapshot.images) for (const name of image.names) parseReference(name);
    bestParse = Math.min(bestParse, performance.now() - parseStart);

    const applyStart = performance.now();
    applyToSnapshot(snapshot, plan);
    bestApply = Math.min(bestApply, performance.now() - applyStart);
  }
  console.log(
    `| ${fmt(names.length)} | ${fmt(snapshot.images.length)} | ${fmt(requested.length)} | ${fmt(plan.actions.length)} | ${fmt(plan.findings.length)} | ${fmt(best)} | ${fmt(bestCpu)} | ${fmt(bestParse)} | ${fmt(bestApply)} | ${globalThis.gc ? fmt(heap, 1) : 'n/a'} |`,
  );
}
