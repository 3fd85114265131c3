import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// Baked in so `imgalias --version` answers without reading package.json at run time.
const define = { __IMGALIAS_VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
    entry: ['src/index.ts'],
    tsconfig: 'tsconfig.build.json',
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: ['index.*'], // the two builds run at once: each cleans only its own files
    sourcemap: true,
    target: 'node20',
    define,
  },
  {
    entry: ['src/bin.ts'],
    tsconfig: 'tsconfig.build.json',
    format: ['esm'],
    clean: ['bin.*'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define,
  },
]);
