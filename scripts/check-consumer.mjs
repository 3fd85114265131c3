// The README's library example, run the way a consumer of the published packages runs it. Each package is packed
// (`pnpm pack`, so its `prepack` build runs as it would before publishing), the tarballs are installed with npm
// into a throwaway project outside the workspace (third-party dependencies come from the npm registry), and the
// first ```ts block of README.md, extracted here rather than copied, is
//   - run as ESM (example.mjs) and as CommonJS (example.cjs: its imports become require calls), and
//   - type-checked by `tsc --strict --noEmit` with module nodenext as ESM (example.mts) and CommonJS (example.cts).
// The example uses the in-memory store, so no engine is needed; it must end with its `verified:` line. The
// installed `imgalias` bin (one bundled file) must print the CLI package's version.
//
//   node scripts/check-consumer.mjs [--keep]   exit 0 when every run passes; --keep leaves the temp project
//
// CI (.ci/run) runs it after `pnpm test`. Removes only the temp directory it made.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
// The consumer's own tools, pinned like the workspace's.
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const typescript = `typescript@${rootManifest.devDependencies.typescript}`;
const typesNode = `@types/node@${rootManifest.devDependencies['@types/node']}`;
// The peer dependencies, as a consumer installs them beside imgalias.
const coreManifest = JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8'));
const peers = Object.entries(coreManifest.devDependencies).map(([name, version]) => `${name}@${version}`);

// Thrown, not exit()ed, so the temp directory is still removed.
const fail = (message) => {
  throw new Error(message);
};

/** The first ```ts block of README.md: the library example. */
const readmeExample = () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(readme);
  if (match === null) fail('README.md has no ```ts block');
  const code = match[1];
  // What issue 9 asks of the example: the in-memory store, apply given `current`, and its result checked.
  for (const [needle, why] of [
    ["from '@imgalias/adapter-memory'", 'run against the in-memory store'],
    ['current: ', "pass `current` to apply"],
    ["._tag === 'Left'", "check apply's result"],
  ]) {
    if (!code.includes(needle)) fail(`the README example must ${why} (it has no ${JSON.stringify(needle)})`);
  }
  return code;
};

const importLine = /^import \{([^}]*)\} from '([^']+)';$/gm;

/** The example as a CommonJS script: each named import becomes a require, the rest runs in an async function. */
const asCommonJs = (code) => {
  const requires = [...code.matchAll(importLine)].map(([, names, from]) => `const {${names}} = require('${from}');`);
  const body = code.replace(importLine, '').trim();
  if (/^import\b/m.test(body)) fail('the README example may use only named imports (`import { a } from ...;`), one per line');
  const indented = body.split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
  return `${requires.join('\n')}\n\n(async () => {\n${indented}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
};

/** The example as a CommonJS TypeScript module: imports stay (tsc resolves them with `require`), the body is async. */
const asCommonJsTypeScript = (code) => {
  const imports = [...code.matchAll(importLine)].map(([line]) => line);
  const body = code.replace(importLine, '').trim();
  const indented = body.split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
  return `${imports.join('\n')}\n\nexport const main = async (): Promise<void> => {\n${indented}\n};\n`;
};

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) fail(`${[command, ...args].join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
};

const started = Date.now();
const temp = mkdtempSync(join(tmpdir(), 'imgalias-consumer-'));
try {
  const example = readmeExample();
  const tarballs = join(temp, 'tarballs');
  mkdirSync(tarballs);
  const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const dir of dirs) {
    execFileSync('pnpm', ['pack', '--out', join(tarballs, `${dir}.tgz`)], { cwd: join(root, 'packages', dir), stdio: ['ignore', 'ignore', 'inherit'] });
  }
  console.log(`check-consumer: packed ${dirs.length} packages (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const project = join(temp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'imgalias-consumer', version: '0.0.0', private: true }, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--save-exact', ...dirs.map((dir) => join(tarballs, `${dir}.tgz`)), ...peers, typescript, typesNode], project);
  console.log(`check-consumer: installed the tarballs with npm (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  writeFileSync(join(project, 'example.mjs'), example);
  writeFileSync(join(project, 'example.cjs'), asCommonJs(example));
  writeFileSync(join(project, 'example.mts'), example);
  writeFileSync(join(project, 'example.cts'), asCommonJsTypeScript(example));
  writeFileSync(
    join(project, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'] }, files: ['example.mts', 'example.cts'] }, null, 2)}\n`,
  );

  for (const file of ['example.mjs', 'example.cjs']) {
    const stdout = run(process.execPath, [file], project);
    if (!/^verified: /m.test(stdout)) fail(`${file} ran but printed no 'verified:' line:\n${stdout}`);
    console.log(`check-consumer: ${file} ran: ${stdout.trim().split('\n').at(-1)}`);
  }
  run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], project);
  console.log('check-consumer: example.mts and example.cts pass tsc --strict (module nodenext)');

  const cliVersion = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')).version;
  const printed = run(join(project, 'node_modules', '.bin', 'imgalias'), ['--version'], project).trim();
  if (printed !== cliVersion) fail(`the installed imgalias --version printed '${printed}', expected '${cliVersion}'`);
  console.log(`check-consumer: the installed imgalias bin runs (${printed})`);
  console.log(`check-consumer: the README example works from the packed packages (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`check-consumer: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`check-consumer: kept ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
}
