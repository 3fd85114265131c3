// Proves every package's build loads the way a user loads it: `import` from ESM and `require` from
// CommonJS, through the package's own `exports` map, each exposing the same names.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const expected = {
  '@imgalias/core': ['parseReference', 'formatReference', 'planAliases', 'applyToSnapshot'],
};
let failures = 0;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const { name, exports: exportsMap } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  try {
    // ESM: the file the exports map gives to `import`; CJS: `require` by the package's own name, which
    // Node resolves through the same exports map (package self-reference).
    const esm = await import(join(pkgDir, exportsMap['.'].import.default));
    const cjs = createRequire(join(pkgDir, 'package.json'))(name);
    const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
    const cjsNames = Object.keys(cjs).sort();
    const missing = (expected[name] ?? []).filter((n) => typeof esm[n] !== 'function' || typeof cjs[n] !== 'function');
    if (esmNames.join() !== cjsNames.join() || missing.length > 0 || esmNames.length === 0) {
      failures += 1;
      console.error(`${name}: ESM and CJS builds differ or lack ${missing.join(', ') || 'exports'}`);
    } else {
      console.log(`${name}: ESM and CJS load, ${esmNames.length} exports`);
    }
  } catch (error) {
    failures += 1;
    console.error(`${name}: build does not load: ${error.message}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
