import ts from 'typescript';

/** One name an entry point exports, and whether its declaration carries a doc comment. */
export interface ExportedName {
  readonly name: string;
  readonly documented: boolean;
}

/**
 * Each name `entry` exports, resolved through re-exports to its declaration. `options` adds compiler options to the
 * NodeNext defaults, e.g. `paths` for a package whose entry imports its workspace siblings.
 */
export const exportsOf = (entry: string, options: ts.CompilerOptions = {}): ExportedName[] => {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    ...options,
  });
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
