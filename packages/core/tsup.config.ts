import { defineConfig } from 'tsup';

export default defineConfig({
  // `internal`: what the imgalias packages share beyond the public API (`@imgalias/core/internal`).
  entry: ['src/index.ts', 'src/internal.ts'],
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
