#!/usr/bin/env node
// Planning speed: plans synthetic snapshots of 10k, 100k and 1M names with a fifth of the names requested, and
// prints the time and heap each plan takes, as medians of paired rounds, with each size's per-name cost as a ratio
// against the first size (10k) measured in the same round: the linearity yardstick. Not a test (timings drift on
// shared machines).
//
//   pnpm --filter @imgalias/core build && node --expose-gc bench/plan.mjs [--sizes 10000,100000,1000000] [--rounds 3] [--core DIR]
//
// It imports the built package (packages/core/dist), so it measures what users run.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { buildSnapshot, policy } from './plan-store.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
};
// --core DIR plans with another build of @imgalias/core (a copy of an older dist kept inside packages/core, so it
// resolves the same dependencies): the old and new builds measured one after the other at the same load.
const core = resolve(repo, option('core', 'packages/core/dist'));
const { planAliases, applyToSnapshot, parseReference } = await import(pathToFileURL(resolve(core, 'index.js')).href);

const sizes = option('sizes', '10000,100000,1000000').split(',').map(Number);
const rounds = Number(option('rounds', '3'));

const heapMiB = () => process.memoryUsage().heapUsed / 2 ** 20;
const gc = () => globalThis.gc?.();
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm the JIT so the first size is not charged for compiling.
{
  const { snapshot, names } = buildSnapshot(5000);
  for (let i = 0; i < 5; i++) planAliases({ snapshot, images: names.filter((_, j) => j % 5 === 0), policy });
}

// Small sizes are planned several times per round (their time is the mean), so each figure is at least a few
// hundred thousand names of work and a scheduler hiccup does not decide the per-name cost.
const repeatsFor = (size) => Math.max(1, Math.floor(200_000 / size));

/**
 * A fresh snapshot and request list for every plan, as a caller has: strings remember work done on them (V8
 * caches a string's hash in it, and flattens a rope in place), so planning one snapshot again measures less than
 * the first plan of a store costs. Built before the timer starts.
 */
const freshInput = (size) => {
  const { snapshot, names } = buildSnapshot(size);
  return { snapshot, names: names.length, requested: names.filter((_, j) => j % 5 === 0) };
};
const inputs = sizes.map((size) => ({ size, images: 0, names: 0, requested: 0 }));
/** Per size, one entry per round. */
const results = inputs.map(() => ({ wall: [], cpu: [], parse: [], apply: [], heap: [], retained: [], actions: 0, findings: 0, sha: '' }));

// Paired runs: every round plans every size back to back, so a round's per-name cost at each size is compared
// with the smallest size measured in the same round (the machine's load at that moment is in both).
for (let round = 0; round < rounds; round++) {
  inputs.forEach((input, at) => {
    const { size } = input;
    const result = results[at];
    const repeats = repeatsFor(size);
    let plan;
    let snapshot;
    let heap = 0;
    let retained = 0;
    let wall = 0;
    let cpu = 0;
    for (let r = 0; r < repeats; r++) {
      let requested;
      ({ snapshot, requested, names: input.names } = freshInput(size));
      input.images = snapshot.images.length;
      input.requested = requested.length;
      // Only the call is timed: building the input and the forced collection before it are not.
      gc();
      const before = heapMiB();
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      plan = planAliases({ snapshot, images: requested, policy });
      const used = process.cpuUsage(cpuStart);
      wall += performance.now() - start;
      // user + system CPU of this process: on a busy machine wall time also counts waiting for a core.
      cpu += (used.user + used.system) / 1000;
      // Heap grown during the call (what it kept plus garbage not yet collected), and what the plan alone keeps.
      heap = Math.max(heap, heapMiB() - before);
      if (r === repeats - 1 && globalThis.gc) {
        gc();
        retained = heapMiB() - before;
      }
    }
    result.wall.push(wall / repeats);
    result.cpu.push(cpu / repeats);
    result.heap.push(heap);
    result.retained.push(retained);
    // Counts and a digest only: a plan kept until the next round would be live heap the next plan's collections walk.
    result.actions = plan.actions.length;
    result.findings = plan.findings.length;
    result.sha = createHash('sha256').update(JSON.stringify(plan)).digest('hex');

    const parseStart = performance.now();
    for (const image of snapshot.images) for (const name of image.names) parseReference(name);
    result.parse.push(performance.now() - parseStart);

    const applyStart = performance.now();
    applyToSnapshot(snapshot, plan);
    result.apply.push(performance.now() - applyStart);
  });
}

const perName = (ms, size) => (ms * 1000) / size; // microseconds
const yardstick = inputs[0];
const ratios = (key, at) =>
  results[at][key].map((value, round) => perName(value, inputs[at].size) / perName(results[0][key][round], yardstick.size));

console.log(
  `${relative(repo, core)}, node ${process.version}, ${rounds} paired rounds (every size in each round), medians shown; ratios are per-name cost against ${fmt(yardstick.size)} names in the same round${globalThis.gc ? '' : ' (run with --expose-gc for heap figures)'}`,
);
console.log(
  `| names | images | requested | actions | findings | plan, wall (ms) | plan, CPU (ms) | CPU per name (us) | CPU per name vs ${fmt(yardstick.size)} | wall per name vs ${fmt(yardstick.size)} | parse only (ms) | apply (ms) | heap after planning (MiB) | heap kept by the plan (MiB) |`,
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
inputs.forEach(({ size, images, names, requested }, at) => {
  const result = results[at];
  const heap = globalThis.gc ? fmt(median(result.heap), 1) : 'n/a';
  const retained = globalThis.gc ? fmt(median(result.retained), 1) : 'n/a';
  console.log(
    `| ${fmt(names)} | ${fmt(images)} | ${fmt(requested)} | ${fmt(result.actions)} | ${fmt(result.findings)} | ${fmt(median(result.wall))} | ${fmt(median(result.cpu))} | ${fmt(perName(median(result.cpu), size), 2)} | ${fmt(median(ratios('cpu', at)), 2)}x | ${fmt(median(ratios('wall', at)), 2)}x | ${fmt(median(result.parse))} | ${fmt(median(result.apply))} | ${heap} | ${retained} |`,
  );
});
// Plans must not change with speed work: compare these before and after a change.
inputs.forEach(({ size }, at) => console.log(`plan SHA-256 at ${fmt(size)} names: ${results[at].sha}`));
