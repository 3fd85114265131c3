import type { Options } from 'tsup';
import { defineConfig } from 'tsup';

const shared = {
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  target: 'node20',
} satisfies Options;

// Two builds, so each entry point is one self-contained file per format (and its declarations one file, whose
// TSDoc examples scripts/check-examples.mjs compiles): `@imgalias/core`, the public API, and
// `@imgalias/core/internal`, what the imgalias packages share beyond it. Core is pure, so the modules both
// carry hold no state that two copies could disagree on.
export default defineConfig([
  { ...shared, entry: ['src/index.ts'], clean: ['index.*'] },
  { ...shared, entry: ['src/internal.ts'], clean: ['internal.*'] },
]);
