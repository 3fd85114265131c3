import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Module (path relative to the root, `lifecycle/PullPlan.ts`) -> the modules it imports, types included. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

// `import ... from './x.js'`, `import type ... from`, `export ... from` and bare `import './x.js'`.
const RELATIVE_SPECIFIER = /(?:\bfrom|\bimport)\s*'(\.{1,2}\/[^']+)\.js'/g;

/** Reads every `.ts` file under `root` and the relative modules it imports. */
export const importGraphOf = (root: string): ImportGraph => {
  const graph = new Map<string, string[]>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        const source = readFileSync(path, 'utf8');
        const imports = [...source.matchAll(RELATIVE_SPECIFIER)].map((match) => relative(root, resolve(dirname(path), `${match[1]}.ts`)));
        graph.set(relative(root, path), [...new Set(imports)].sort());
      }
    }
  };
  visit(root);
  return graph;
};

/** Every import cycle, each once, as the modules on it (`['A.ts', 'B.ts', 'A.ts']`), starting from its smallest. */
export const importCycles = (graph: ImportGraph): string[][] => {
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const walk = (module: string, path: readonly string[]): void => {
    const at = path.indexOf(module);
    if (at >= 0) {
      const loop = path.slice(at);
      const start = loop.indexOf([...loop].sort()[0] as string);
      const rotated = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.set(rotated.join(' -> '), [...rotated, rotated[0] as string]);
      return;
    }
    if (done.has(module)) return;
    for (const next of graph.get(module) ?? []) walk(next, [...path, module]);
    done.add(module);
  };
  for (const module of [...graph.keys()].sort()) walk(module, []);
  return [...cycles.values()];
};
