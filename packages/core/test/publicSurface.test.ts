import { describe, expect, test } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Each name an entry point exports, and whether its declaration carries a doc comment. */
const exportsOf = (entry: string): { readonly name: string; readonly documented: boolean }[] => {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`cannot read ${entry}`);
  const module = checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(module).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return { name: exported.getName(), documented: symbol.getDocumentationComment(checker).length > 0 };
  });
};

describe('the public surface of @imgalias/core', () => {
  const publicNames = exportsOf(resolve(SRC, 'index.ts'));
  const internalNames = exportsOf(resolve(SRC, 'internal.ts'));

  test('every public export has a doc comment', () => {
    expect(publicNames.filter((entry) => !entry.documented).map((entry) => entry.name)).toEqual([]);
  });

  test('keeps internals out: they are exported from @imgalias/core/internal only', () => {
    const names = new Set(publicNames.map((entry) => entry.name));
    for (const internal of ['SOURCE_RANKING', 'indexSnapshot', 'isTagTarget', 'preflightPlan', 'quoteExcerpt', 'familyOf']) {
      expect(names.has(internal)).toBe(false);
      expect(internalNames.some((entry) => entry.name === internal)).toBe(true);
    }
    // The internal entry point carries the public API too, so sibling packages' declarations can name every type.
    expect([...names].filter((name) => !internalNames.some((entry) => entry.name === name))).toEqual([]);
  });
});
