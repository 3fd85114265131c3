// Type-checks the code examples a reader copies: every ```ts block in README.md and packages/*/README.md, and
// every @example of every package's public API (read from its built declarations, dist/index.d.ts, so exactly
// the names a consumer sees and what docs/api shows). typedoc renders examples but never compiles them.
//
// A README block is a whole program: it is compiled as it stands, as an ES module. A TSDoc @example is a
// fragment: it is compiled inside a block, after imports of every public name of its own package and of
// @imgalias/core, with these names given as context (an example may use them without declaring them):
//   snapshot, before, after: Snapshot   plan: Plan   policy: AliasPolicy   images: readonly string[]
//   store: ImageStore & ImageLifecycle (both ports, as both stores implement)   results: readonly ActionResult[]   path, home: string   flag: boolean | undefined
// Result comments (`// 'redis:7-alpine'`) are comments; anything else must compile with `tsc --strict`.
//
//   node scripts/check-examples.mjs   after `pnpm build`; exit 0 when every example compiles, 1 otherwise
//
// Removes only the temp directory it made.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageDirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const context = `
declare const snapshot: Snapshot;
declare const before: Snapshot;
declare const after: Snapshot;
declare const plan: Plan;
declare const policy: AliasPolicy;
declare const images: readonly string[];
declare const store: ImageStore & ImageLifecycle;
declare const results: readonly ActionResult[];
declare const path: string;
declare const home: string;
declare const flag: boolean | undefined;
`;

/** Every ```ts block of a Markdown file, with the line it starts on. */
const markdownBlocks = (text) =>
  [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => ({
    code: match[1],
    line: text.slice(0, match.index).split('\n').length + 1,
  }));

/** The public names of a built package: the closing `export { a, type B, ... };` of its tsup declarations. */
const exportedNames = (declarations) => {
  const match = /^export \{([^}]*)\};?\s*$/m.exec(declarations);
  if (match === null) return [];
  return match[1]
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => ({ name: name.replace(/^type /, '').split(/\s+as\s+/).at(-1), type: name.startsWith('type ') }));
};

/** Every @example of a declarations file: its fenced ```ts block when it has one, else its whole text. */
const tsdocExamples = (declarations) =>
  [...declarations.matchAll(/\/\*\*([\s\S]*?)\*\//g)].flatMap((comment) => {
    const lines = comment[1].split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    const examples = [];
    let current;
    for (const line of lines) {
      if (/^@example\b/.test(line)) {
        current = [];
        examples.push(current);
      } else if (/^@\w+/.test(line)) current = undefined;
      else current?.push(line);
    }
    const line = declarations.slice(0, comment.index).split('\n').length;
    return examples.map((text) => {
      const body = text.join('\n').trim();
      const fenced = /^```(?:ts|typescript)\n([\s\S]*?)^```$/m.exec(body);
      return { code: fenced === null ? body : fenced[1], line };
    });
  });

const importLine = /^import (type )?\{([^}]*)\} from '([^']+)';$/gm;

/** A fragment as a module: imports first (its own, then the package's and core's other names), then a block. */
const fragmentModule = (code, own, core) => {
  const ownImports = [...code.matchAll(importLine)];
  const taken = new Set(ownImports.flatMap(([, , names]) => names.split(',').map((n) => n.trim().replace(/^type /, ''))));
  const specifier = ({ name, type }) => (type ? `type ${name}` : name);
  const importsOf = (pkg, names) => {
    const wanted = names.filter(({ name }) => !taken.has(name));
    wanted.forEach(({ name }) => taken.add(name));
    return wanted.length === 0 ? '' : `import { ${wanted.map(specifier).join(', ')} } from '${pkg}';\n`;
  };
  const body = code.replace(importLine, '').trim();
  return `${ownImports.map(([line]) => line).join('\n')}\n${importsOf(own.name, own.exports)}${own.name === core.name ? '' : importsOf(core.name, core.exports)}${context}\n{\n${body}\n}\nexport {};\n`;
};

const temp = mkdtempSync(join(tmpdir(), 'imgalias-examples-'));
let exitCode = 0;
try {
  // A project that imports the workspace packages by name, as a consumer would (through their exports maps),
  // plus the third-party modules examples may name.
  const modules = join(temp, 'node_modules');
  mkdirSync(join(modules, '@imgalias'), { recursive: true });
  mkdirSync(join(modules, '@types'), { recursive: true });
  const packages = packageDirs.map((dir) => {
    const pkgDir = join(root, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    symlinkSync(pkgDir, join(modules, manifest.name), 'dir');
    const declarationsFile = join(pkgDir, 'dist', 'index.d.ts');
    if (!existsSync(declarationsFile)) throw new Error(`${relative(root, declarationsFile)} is missing: run pnpm build first`);
    const declarations = readFileSync(declarationsFile, 'utf8');
    return { dir, name: manifest.name, declarations, exports: exportedNames(declarations) };
  });
  const linkFrom = (fromDir, name) => {
    const resolved = realpathSync(dirname(createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`)));
    symlinkSync(resolved, join(modules, name), 'dir');
  };
  linkFrom(join(root, 'packages', 'core'), 'fp-ts');
  linkFrom(join(root, 'packages', 'core'), 'io-ts');
  linkFrom(join(root, 'packages', 'discover'), 'yaml');
  linkFrom(root, '@types/node');

  const core = packages.find((pkg) => pkg.name === '@imgalias/core');
  const files = [];
  const origins = new Map();
  const add = (origin, source) => {
    const file = `example-${files.length + 1}.mts`;
    writeFileSync(join(temp, file), source);
    files.push(file);
    origins.set(file, origin);
  };
  for (const readme of ['README.md', ...packageDirs.map((dir) => join('packages', dir, 'README.md'))]) {
    if (!existsSync(join(root, readme))) continue;
    for (const { code, line } of markdownBlocks(readFileSync(join(root, readme), 'utf8'))) add(`${readme}:${line}`, `${code}\nexport {};\n`);
  }
  for (const pkg of packages) {
    for (const { code, line } of tsdocExamples(pkg.declarations)) {
      add(`${pkg.name} @example (packages/${pkg.dir}/dist/index.d.ts:${line})`, fragmentModule(code, pkg, core));
    }
  }
  writeFileSync(
    join(temp, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: ['node'], skipLibCheck: true }, files }, null, 2)}\n`,
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: temp, encoding: 'utf8' });
  if (tsc.status !== 0) {
    exitCode = 1;
    // Each error under the example it is in, with the generated line so the fragment can be found.
    for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n').filter(Boolean)) {
      const match = /^(example-\d+\.mts)\((\d+),\d+\): (.*)$/.exec(line);
      if (match === null) console.error(`check-examples: ${line}`);
      else {
        const source = readFileSync(join(temp, match[1]), 'utf8').split('\n')[Number(match[2]) - 1]?.trim();
        console.error(`check-examples: ${origins.get(match[1])}: ${match[3]}\n    ${source}`);
      }
    }
    console.error('check-examples: fix the examples above (they are in the TSDoc of src/, or in the README)');
  } else {
    console.log(`check-examples: ${files.length} examples compile with tsc --strict`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(exitCode);
