import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Options } from 'tsup';
import { defineConfig } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// Baked in so `imgalias --version` answers without reading package.json at run time.
const define = { __IMGALIAS_VERSION__: JSON.stringify(version) };

// The bin bundles the workspace packages from their sources, not their single-file dist builds, so esbuild can
// leave out (or defer to a lazily loaded chunk) each module a command does not reach, e.g. discover's Dockerfile
// parser for `--version`. The packages' public entry points are unchanged.
const workspaceSources: Plugin = {
  name: 'imgalias-workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@imgalias\/[a-z-]+$/ }, (args) => ({
      path: fileURLToPath(new URL(`../${args.path.slice('@imgalias/'.length)}/src/index.ts`, import.meta.url)),
    }));
    // The subpath exports: what the packages share beyond core's and project's public APIs.
    build.onResolve({ filter: /^@imgalias\/(core|project)\/internal$/ }, (args) => ({
      path: fileURLToPath(new URL(`../${args.path.slice('@imgalias/'.length, -'/internal'.length)}/src/internal.ts`, import.meta.url)),
    }));
    // fp-ts's ES module build instead of its CommonJS one (`fp-ts/lib/...`, what the packages import so their own
    // CommonJS builds work): esbuild can tree-shake it, and the bin then carries only the functions it calls.
    build.onResolve({ filter: /^fp-ts\/lib\// }, (args) =>
      build.resolve(args.path.replace('fp-ts/lib/', 'fp-ts/es6/'), { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

// The bin loads a command's heavy code (discovery's yaml and dockerfile-ast, the settings loader, the stores, each
// command's own module) with dynamic imports where it runs it. esbuild splits by file: a file any static import
// reaches is loaded with its importer, and a static import of a package's index reaches every module the index
// re-exports, used or not (core's index reaches the io-ts codecs, render's the JSON and Markdown renderers). So in
// the workspace sources, a static `import { a, b } from '@imgalias/core'` (or any other workspace package, or a
// `/internal` subpath) is rewritten for the bin to import each name from the module that defines it, as listed in
// the package's index (what bundlers call optimising package imports); a name the index does not list plainly
// leaves the import as written. The packages' public entry points and the sources are unchanged.

/** name -> absolute path of its module, from an index's `export { ... } from './X.js'` and `export * from` lines. */
const reExportsOf = (index: string): ReadonlyMap<string, string> => {
  const modules = new Map<string, string>();
  const source = readFileSync(index, 'utf8');
  for (const match of source.matchAll(/^export\s*\*\s*from\s*'(\.[^']+)\.js';/gm)) {
    for (const [name, file] of reExportsOf(fileURLToPath(new URL(`${match[1] as string}.ts`, pathToFileURL(index))))) modules.set(name, file);
  }
  for (const match of source.matchAll(/^export\s*\{([^}]*)\}\s*from\s*'(\.[^']+)\.js';/gm)) {
    const file = fileURLToPath(new URL(`${match[2] as string}.ts`, pathToFileURL(index)));
    for (const item of (match[1] as string).split(',')) {
      const exported = item.trim().split(/\s+as\s+/).pop();
      if (exported !== undefined && exported !== '') modules.set(exported, file);
    }
  }
  return modules;
};

// Dynamic imports the bin makes static: what every command but `--help` loads anyway (the settings loader, the
// project's jobs, the engine store). To esbuild each dynamic import is an entry point, and each set of entry points
// sharing a module makes a chunk of its own: a nothing-to-do `check` loaded 17 files that way, and Node spends
// about 0.3 ms on each ES module file before any of its code runs. Listed as file -> specifiers; the build fails
// when a listed import is no longer in its file. `--version` is answered before any of this loads (bin.ts).
const eagerImports: Readonly<Record<string, readonly string[]>> = {
  'cli/src/commands/Command.ts': ['@imgalias/project/internal'],
  'project/src/config/SettingsLoader.ts': ['./loadSettings.js'],
  'project/src/ProjectStore.ts': ['@imgalias/adapter-docker', './SnapshotFile.js', '@imgalias/adapter-memory'],
  'project/src/fixProject.ts': ['@imgalias/adapter-docker'],
};

/**
 * `source` with each `import('X')` of its file's eager specifiers made static. `const { a, b } = await
 * import('@imgalias/x')` imports each name from the module that defines it (as `directImports` does for static
 * imports), so the program does not take in the whole package; any other form imports the namespace. The static
 * imports go on the file's first line, so the source map is off by that one line only.
 */
const withEagerImports = (file: string, source: string, exportsOf: (specifier: string) => ReadonlyMap<string, string>): string => {
  const key = Object.keys(eagerImports).find((name) => file.replaceAll('\\', '/').endsWith(`/packages/${name}`));
  if (key === undefined) return source;
  let contents = source;
  const statics: string[] = [];
  const fresh = (): string => `__eager${statics.length}`;
  for (const specifier of eagerImports[key] ?? []) {
    const dynamic = `import('${specifier}')`;
    if (!contents.includes(dynamic)) throw new Error(`tsup.config.ts eagerImports: ${key} no longer has ${dynamic}`);
    if (specifier.startsWith('@imgalias/')) {
      const modules = exportsOf(specifier);
      const destructured = new RegExp(`const\\s*\\{([^}]*)\\}\\s*=\\s*await\\s+import\\('${specifier.replace(/[/.]/g, '\\$&')}'\\)`, 'g');
      contents = contents.replace(destructured, (statement, names: string) => {
        const bindings: string[] = [];
        const imports: string[] = [];
        for (const item of names.split(',').map((each) => each.trim()).filter((each) => each !== '')) {
          const [name, alias] = item.split(/\s*:\s*/) as [string, string | undefined];
          const module = modules.get(name);
          if (module === undefined) return statement;
          const id = `${fresh()}_${imports.length}`;
          imports.push(`import { ${name} as ${id} } from ${JSON.stringify(module)};`);
          bindings.push(`${alias ?? name} = ${id}`);
        }
        statics.push(...imports);
        return `const ${bindings.join(', ')}`;
      });
    }
    if (contents.includes(dynamic)) {
      const id = fresh();
      statics.push(`import * as ${id} from '${specifier}';`);
      contents = contents.replaceAll(dynamic, `Promise.resolve(${id})`);
    }
  }
  return `${statics.join(' ')}\n${contents}`;
};

const directImports: Plugin = {
  name: 'imgalias-direct-imports',
  setup(build) {
    const byPackage = new Map<string, ReadonlyMap<string, string>>();
    const exportsOf = (specifier: string): ReadonlyMap<string, string> => {
      const known = byPackage.get(specifier);
      if (known !== undefined) return known;
      const [, name, internal] = /^@imgalias\/([a-z-]+)(\/internal)?$/.exec(specifier) as RegExpExecArray;
      const found = reExportsOf(fileURLToPath(new URL(`../${name as string}/src/${internal === undefined ? 'index' : 'internal'}.ts`, import.meta.url)));
      byPackage.set(specifier, found);
      return found;
    };
    build.onLoad({ filter: /[\\/]packages[\\/][a-z-]+[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = withEagerImports(args.path, readFileSync(args.path, 'utf8'), exportsOf);
      const contents = source.replace(/^import\s*\{([^}]*)\}\s*from\s*'(@imgalias\/[a-z-]+(?:\/internal)?)';$/gm, (statement, names: string, specifier: string) => {
        const modules = exportsOf(specifier);
        const items = names.split(',').map((item) => item.trim()).filter((item) => item !== '');
        const byFile = new Map<string, string[]>();
        for (const item of items) {
          const file = modules.get(item.split(/\s+as\s+/)[0] as string);
          if (file === undefined) return statement;
          byFile.set(file, [...(byFile.get(file) ?? []), item]);
        }
        return [...byFile].map(([file, imported]) => `import { ${imported.join(', ')} } from ${JSON.stringify(file)};`).join(' ');
      });
      return { contents, loader: 'ts' };
    });
  },
};

export default defineConfig([
  {
    entry: ['src/index.ts'],
    tsconfig: 'tsconfig.build.json',
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: ['index.*'], // the two builds run at once: each cleans only its own files
    splitting: false, // one file per format, as before the bin's lazy imports
    sourcemap: true,
    target: 'node20',
    define,
  },
  {
    // The installed program: every dependency bundled in (resolving and loading hundreds of files from
    // node_modules was most of a start-up), with the lazily imported modules (listr2, execa, the YAML, TOML and
    // Dockerfile parsers, the registry client) in chunks of their own under dist/chunks that only the commands
    // needing them load; what every command loads (the settings loader, the stores) comes with the program
    // (`eagerImports`). The library entry above stays unbundled.
    entry: ['src/bin.ts'],
    tsconfig: 'tsconfig.build.json',
    format: ['esm'],
    clean: ['bin.*', 'chunks'],
    splitting: true,
    esbuildPlugins: [workspaceSources, directImports],
    esbuildOptions(options) {
      options.chunkNames = 'chunks/[name]-[hash]';
      // ES module builds first (io-ts, fp-ts): tree-shakeable, unlike their CommonJS `main`.
      options.mainFields = ['module', 'main'];
    },
    noExternal: [/.*/],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Bundled CommonJS dependencies (commander, yaml) call require() for Node's own modules.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __imgaliasCreateRequire } from 'node:module';\nconst require = __imgaliasCreateRequire(import.meta.url);" },
    define,
  },
]);
