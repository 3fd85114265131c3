// Builds the workspace only when a build input changed since this script's last build, so `pnpm demo` run twice
// does not spend its time in tsup. Inputs are hashed by content (not mtime, which a checkout or copy resets):
// every package's src/, package.json, tsup and tsconfig files, the root tsconfig and the lockfile. The stamp
// lives under node_modules/.cache, which a fresh install starts without.
//
//   node scripts/build-if-stale.mjs          build when stale, then record the inputs' hash
//   node scripts/build-if-stale.mjs --check  exit 0 when up to date, 1 when a build is due; builds nothing
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'node_modules', '.cache', 'imgalias', 'build-stamp');
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(packagesDir, entry.name))
  .sort();

/** Every regular file below dir, sorted, so the hash does not depend on directory order. */
const filesBelow = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
        .sort()
    : [];

const inputs = () => [
  join(root, 'tsconfig.base.json'),
  join(root, 'pnpm-lock.yaml'),
  ...packages.flatMap((pkg) => [
    ...filesBelow(join(pkg, 'src')),
    ...['package.json', 'tsup.config.ts', 'tsconfig.json', 'tsconfig.build.json'].map((name) => join(pkg, name)),
  ]),
];

const hashInputs = () => {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
};

// A stamp alone is not enough: `dist/` may have been removed since (git clean, a failed build).
const outputsExist = () => packages.every((pkg) => existsSync(join(pkg, 'dist', 'index.js')));
const stamped = () => (existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : undefined);

const current = hashInputs();
const upToDate = outputsExist() && stamped() === current;

if (process.argv.includes('--check')) {
  process.stdout.write(upToDate ? 'build: up to date\n' : 'build: stale\n');
  process.exit(upToDate ? 0 : 1);
}
if (upToDate) {
  process.stdout.write('build: up to date (no build input changed since the last build)\n');
  process.exit(0);
}
const built = spawnSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' });
if (built.error || built.status !== 0) {
  process.stderr.write(`build: 'pnpm build' failed (${built.error?.message ?? `exit ${built.status}`})\n`);
  process.exit(built.status || 1);
}
mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, `${current}\n`);
