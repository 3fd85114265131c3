// The API reference under docs/api: typedoc (with typedoc-plugin-markdown) over every package's src/index.ts and
// its TSDoc, as configured in typedoc.json. Output is deterministic (no dates, no source paths or line numbers,
// members sorted), so the committed copy can be compared with a fresh one. A typedoc warning (a type referenced
// but not exported, a broken link) fails the run, so the reference never silently loses a page.
//
//   node scripts/docs-api.mjs           regenerate docs/api (`pnpm docs:api`)
//   node scripts/docs-api.mjs --check   generate into a temp directory and fail when docs/api differs
//                                       (`pnpm docs:api:check`, part of `pnpm test`)
//
// Removes only docs/api (when regenerating, after a clean run) and the temp directory it made.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const committed = join(root, 'docs', 'api');
const check = process.argv.includes('--check');

/** Every file below dir, relative to it, sorted. */
const filesBelow = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
        .sort()
    : [];

const generate = (out) => {
  const typedoc = spawnSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', 'typedoc.json', '--out', out, '--logLevel', 'Warn', '--treatWarningsAsErrors'], {
    cwd: root,
    encoding: 'utf8',
  });
  process.stdout.write(typedoc.stdout);
  process.stderr.write(typedoc.stderr);
  if (typedoc.status !== 0) throw new Error(`typedoc exited ${typedoc.status}: every warning above is an error here; fix it (export the type, documented, or stop exposing it)`);
  // A machine's path in the output would make it differ between checkouts.
  const leaking = filesBelow(out).filter((file) => readFileSync(join(out, file), 'utf8').includes(root.replace(/\/$/, '')));
  if (leaking.length > 0) throw new Error(`the generated reference names the checkout's path in ${leaking.join(', ')}`);
};

let exitCode = 0;
const temp = mkdtempSync(join(tmpdir(), 'imgalias-docs-api-'));
if (!check) {
  // Generated aside first, so a failing run leaves the committed reference as it was.
  try {
    generate(temp);
    rmSync(committed, { recursive: true, force: true });
    cpSync(temp, committed, { recursive: true });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  console.log(`docs-api: wrote ${filesBelow(committed).length} files under docs/api`);
} else {
  try {
    generate(temp);
    const fresh = filesBelow(temp);
    const old = filesBelow(committed);
    const changed = [
      ...fresh.filter((file) => !old.includes(file)).map((file) => `added ${file}`),
      ...old.filter((file) => !fresh.includes(file)).map((file) => `removed ${file}`),
      ...fresh.filter((file) => old.includes(file) && readFileSync(join(temp, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')).map((file) => `changed ${file}`),
    ];
    if (changed.length > 0) {
      exitCode = 1;
      console.error(`docs-api: docs/api is stale (${changed.length} files differ from the TSDoc: ${changed.slice(0, 10).join(', ')}${changed.length > 10 ? ', ...' : ''}).`);
      console.error('docs-api: run `pnpm docs:api` and commit docs/api.');
    } else {
      console.log(`docs-api: docs/api is current (${fresh.length} files)`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
process.exit(exitCode);
