import type { Options } from 'tsup';
import { defineConfig } from 'tsup';

const shared = {
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  splitting: false, // one file per format: the settings loader's lazy import stays inside it
  sourcemap: true,
  target: 'node20',
} satisfies Options;

// Two builds, so each entry point is one self-contained file per format (declarations included):
// `@imgalias/project`, the jobs a build tool runs, and `@imgalias/project/internal`, their parts as the CLI wires
// them. The modules both carry hold no state that two copies could disagree on (the apply lock is the engine's,
// in @imgalias/adapter-docker).
export default defineConfig([
  { ...shared, entry: ['src/index.ts'], clean: ['index.*'] },
  { ...shared, entry: ['src/internal.ts'], clean: ['internal.*'] },
]);
