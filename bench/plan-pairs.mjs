#!/usr/bin/env node
// Old and new planner side by side: one process loads two builds of @imgalias/core and plans the same store size
// with each in turn (the order alternating), so the machine's load at each moment is in both; prints each pair's
// CPU time, heap grown and plan digest, and the median new/old ratio. Every plan gets a snapshot built for it
// (see bench/plan.mjs: strings remember work done on them). Not a test.
//
//   cp -r packages/core/dist packages/core/dist-old   # before the change; rebuild after it
//   node --expose-gc bench/plan-pairs.mjs --old packages/core/dist-old [--new packages/core/dist] [--names 1000000] [--pairs 6]
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSnapshot, policy } from './plan-store.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
};
if (option('old', undefined) === undefined || !globalThis.gc) {
  console.error('usage: node --expose-gc bench/plan-pairs.mjs --old DIST [--new DIST] [--names N] [--pairs N]');
  process.exit(2);
}
const names = Number(option('names', '1000000'));
const pairs = Number(option('pairs', '6'));
const load = async (dir) => (await import(pathToFileURL(resolve(repo, dir, 'index.js')).href)).planAliases;
const builds = { old: await load(option('old')), new: await load(option('new', 'packages/core/dist')) };

const fresh = (size) => {
  const { snapshot, names: all } = buildSnapshot(size);
  return { snapshot, images: all.filter((_, j) => j % 5 === 0), policy };
};
// Warm both builds' JIT on a small store first.
for (let i = 0; i < 5; i++) for (const plan of Object.values(builds)) plan(fresh(5000));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const rows = { old: [], new: [] };
console.log(`${names.toLocaleString('en-US')} names, ${pairs} pairs, node ${process.version}`);
console.log('| pair | load average | old: CPU / heap grown | new: CPU / heap grown | new/old | plans equal |');
console.log('|---:|---:|---|---|---:|---|');
for (let p = 0; p < pairs; p++) {
  for (const which of p % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
    const input = fresh(names);
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const cpuStart = process.cpuUsage();
    const plan = builds[which](input);
    const used = process.cpuUsage(cpuStart);
    const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    const sha = createHash('sha256').update(JSON.stringify(plan)).digest('hex');
    rows[which].push({ cpu: (used.user + used.system) / 1000, grown, sha });
  }
  const [o, n] = [rows.old[p], rows.new[p]];
  console.log(
    `| ${p + 1} | ${loadavg()[0].toFixed(1)} | ${o.cpu.toFixed(0)} ms / ${o.grown.toFixed(0)} MiB | ${n.cpu.toFixed(0)} ms / ${n.grown.toFixed(0)} MiB | ${(n.cpu / o.cpu).toFixed(2)} | ${o.sha === n.sha ? 'yes' : 'NO'} |`,
  );
}
console.log(
  `| median | | ${median(rows.old.map((r) => r.cpu)).toFixed(0)} ms | ${median(rows.new.map((r) => r.cpu)).toFixed(0)} ms | ${median(rows.new.map((r, i) => r.cpu / rows.old[i].cpu)).toFixed(2)} | |`,
);
console.log(`plan SHA-256: ${rows.new[0].sha}`);
