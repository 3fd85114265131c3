// Publishing hygiene, checked on what npm would receive: each package is packed (`pnpm pack`, without its
// `prepack` build: `pnpm test` has just built dist/) and the tarball goes through publint and
// @arethetypeswrong/cli, which must report nothing. Then the manifest inside the tarball must carry what a
// registry page and a consumer need: engines.node, repository (with its directory), homepage, bugs, keywords,
// license, a README, public access, a `prepack` build, and fp-ts/io-ts as ranges, as peer dependencies wherever
// the package's published types import them. The README, as the registry page shows it, must say how to install
// the package (an `## Install` section with `npm install <name>`) and link only by absolute address: a relative
// link resolves against npm's page, not the repository.
//
//   node scripts/check-packages.mjs   exit 0 when every package passes, 1 otherwise
//
// Removes only the temp directory it made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const repositoryUrl = 'git+https://github.com/imgalias/imgalias.git';
// The libraries whose types appear in our public types: a consumer must share one copy with us.
const sharedLibraries = ['fp-ts', 'io-ts'];

const problems = [];
const report = (pkg, message) => problems.push(`${pkg}: ${message}`);

/** The manifest fields a published package needs; `dir` is its folder under packages/. */
const checkManifest = (manifest, dir, typesText) => {
  const name = manifest.name;
  if (typeof manifest.engines?.node !== 'string') report(name, 'no engines.node');
  if (manifest.repository?.url !== repositoryUrl) report(name, `repository.url is not ${repositoryUrl}`);
  if (manifest.repository?.directory !== `packages/${dir}`) report(name, `repository.directory is not packages/${dir}`);
  if (typeof manifest.homepage !== 'string' || !manifest.homepage.includes(`/packages/${dir}`)) report(name, 'homepage does not name its folder');
  if (typeof manifest.bugs?.url !== 'string') report(name, 'no bugs.url');
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) report(name, 'no keywords');
  if (manifest.license !== 'MIT') report(name, 'license is not MIT');
  if (manifest.publishConfig?.access !== 'public') report(name, 'publishConfig.access is not public');
  if (!manifest.files?.includes('README.md')) report(name, '`files` does not include README.md');
  for (const library of sharedLibraries) {
    for (const field of ['dependencies', 'peerDependencies']) {
      const range = manifest[field]?.[library];
      if (range !== undefined && !/^[\^~]/.test(range)) report(name, `${field}.${library} is ${range}, not a semver range`);
    }
    // `import ... from 'fp-ts/lib/Either.js'` or `from 'io-ts'` in the published declarations.
    const inTypes = new RegExp(`from '${library}(/[^']*)?'`).test(typesText);
    if (inTypes && manifest.peerDependencies?.[library] === undefined) {
      report(name, `its types import ${library}, which is not a peer dependency`);
    }
  }
};

const checkSource = (source) => {
  // pnpm strips publish-lifecycle scripts from the packed manifest, so `prepack` is checked at the source.
  if (!/\bbuild\b/.test(source.scripts?.prepack ?? '')) report(source.name, 'no `prepack` script that builds');
  for (const library of sharedLibraries) {
    if (source.peerDependencies?.[library] !== undefined && source.devDependencies?.[library] === undefined) {
      report(source.name, `${library} is a peer dependency but not a devDependency, so the workspace would not install it`);
    }
  }
};

/** The README as the registry page shows it: an install section, and no link that only works in the repository. */
const checkReadme = (name, text) => {
  const installs = text.includes(`npm install ${name}`) || text.includes(`npm install --global ${name}`);
  if (!/^## Install$/m.test(text) || !installs) {
    report(name, `README.md has no "## Install" section with \`npm install ${name}\``);
  }
  // [text](target) and [text]: target, outside code blocks; a target must be absolute (https://...) or an anchor.
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  for (const match of prose.matchAll(/\]\(([^)\s]+)[^)]*\)|^\[[^\]]+\]:\s*(\S+)/gm)) {
    const target = match[1] ?? match[2];
    if (!/^(https?:|mailto:|#)/.test(target)) report(name, `README.md links to ${target}, which is broken on the registry page: link to https://github.com/imgalias/imgalias/blob/main/...`);
  }
};

/** Text of one file inside a gzipped tarball, read with tar (no extraction on disk). */
const fileInTarball = (tarball, path) => execFileSync('tar', ['-xzOf', tarball, path], { encoding: 'utf8' });

const changesetConfig = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
if (changesetConfig.access !== 'public') problems.push(".changeset/config.json: access is not 'public'");

const started = Date.now();
const temp = mkdtempSync(join(tmpdir(), 'imgalias-packages-'));
try {
  const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const dir of dirs) {
    const pkgDir = join(root, 'packages', dir);
    const source = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    checkSource(source);
    const out = join(temp, `${dir}.tgz`);
    execFileSync('pnpm', ['--ignore-scripts', 'pack', '--out', out], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const listing = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' }).split('\n');
    if (!listing.includes('package/README.md')) report(source.name, 'the tarball has no README.md');
    else checkReadme(source.name, fileInTarball(out, 'package/README.md'));
    const manifest = JSON.parse(fileInTarball(out, 'package/package.json'));
    const typesText = listing.includes('package/dist/index.d.ts') ? fileInTarball(out, 'package/dist/index.d.ts') : '';
    checkManifest(manifest, dir, typesText);

    const { messages, pkg } = await publint({ pack: { tarball: new Uint8Array(readFileSync(out)).buffer }, level: 'suggestion', strict: true });
    for (const message of messages) report(source.name, `publint ${message.type}: ${formatMessage(message, pkg, { color: false })}`);

    // What `attw --pack --profile strict` checks (every resolution: node10, node16 CJS and ESM, bundler), in this
    // process so TypeScript loads once, and offline: the packages have no @types counterparts to fetch.
    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(out))));
    if (analysis.types === false) report(source.name, 'attw: the package has no types');
    for (const problem of analysis.problems ?? []) {
      const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(', ');
      report(source.name, `attw ${problem.kind}${where ? ` (${where})` : ''}: ${problemKindInfo[problem.kind].description}`);
    }
    console.log(`check-packages: ${source.name}: packed, publint and attw run`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-packages: ${problem}`);
  process.exit(1);
}
console.log(`check-packages: every package passes (${((Date.now() - started) / 1000).toFixed(1)} s)`);
