// Proves every package's build loads the way a user loads it: `import` from ESM and `require` from
// CommonJS, through the package's own `exports` map, each entry point (`.` and subpaths such as
// `@imgalias/core/internal`) exposing the same names both ways.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const expected = {
  '@imgalias/core': ['parseReference', 'formatReference', 'planAliases', 'applyToSnapshot', 'resolvePolicy'],
  '@imgalias/core/internal': ['indexSnapshot', 'preflightPlan', 'quoteExcerpt'],
  '@imgalias/project': ['checkProject', 'planProject', 'fixProject', 'applyProject', 'describeProjectError'],
  '@imgalias/project/internal': ['checkProject', 'loadSettings', 'resolveMode', 'prepareProject', 'discoverProjectImages'],
};
let failures = 0;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const { name, exports: exportsMap } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const require = createRequire(join(pkgDir, 'package.json'));
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === './package.json') continue;
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    try {
      // ESM: the file the exports map gives to `import`; CJS: `require` by the package's own name, which
      // Node resolves through the same exports map (package self-reference).
      const esm = await import(join(pkgDir, target.import.default));
      const cjs = require(specifier);
      const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
      const cjsNames = Object.keys(cjs).sort();
      const missing = (expected[specifier] ?? []).filter((n) => typeof esm[n] !== 'function' || typeof cjs[n] !== 'function');
      if (esmNames.join() !== cjsNames.join() || missing.length > 0 || esmNames.length === 0) {
        failures += 1;
        console.error(`${specifier}: ESM and CJS builds differ or lack ${missing.join(', ') || 'exports'}`);
      } else {
        console.log(`${specifier}: ESM and CJS load, ${esmNames.length} exports`);
      }
    } catch (error) {
      failures += 1;
      console.error(`${specifier}: build does not load: ${error.message}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
