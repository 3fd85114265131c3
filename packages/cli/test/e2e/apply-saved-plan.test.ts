// A reviewed plan applied later, on a private docker and a private podman: `plan --json` is saved, the store
// changes after the review (a planned target name is given to another image), and `apply --plan` applies the
// rest exactly as planned, refuses that one with its reason, leaves the name where it now is and exits 1. The
// plan is passed on standard input (`--plan -`), as a CI job piping it from an artifact would.
import { beforeAll, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { importImage } from '../../../../test-support/engines.js';
import { binPath, ensureBuilt, imgalias, tempDir } from './support/cli.js';
import { describeEachEngine, dockerAndPodman, idOf } from './support/engines.js';

const engines = await dockerAndPodman();

beforeAll(ensureBuilt, 600_000);

describeEachEngine(engines, 'apply --plan on a private %s', (kind, engine) => {
  test('a planned target now held by another image is refused, the rest applied exactly as reviewed, exit 1', async () => {
    const first = (await importImage(engine, ['localhost/saved-a:1'])).replace(/^sha256:/, '');
    const second = (await importImage(engine, ['localhost/saved-b:1'])).replace(/^sha256:/, '');
    // The Docker Hub names as each engine spells them (docker shortens them, podman writes them in full).
    const spelled = (name: string): string => (kind === 'docker' ? name : `docker.io/library/${name}`);
    const dir = await tempDir();
    const env = { ...engine.env, PATH: engine.env['PATH'] ?? process.env['PATH'] ?? '' };
    const flags = ['--engine', kind, '--transport', 'cli'];

    const planned = await imgalias(['plan', ...flags, '--json', 'saved-a:1', 'saved-b:1'], { cwd: dir, env });
    expect(planned.exitCode).toBe(0);
    await writeFile(path.join(dir, 'plan.json'), planned.stdout);

    // After the review, another image takes one of the planned names.
    const other = (await importImage(engine, [spelled('saved-b:1')])).replace(/^sha256:/, '');
    const applied = await execa(process.execPath, [binPath, 'apply', ...flags, '--plan', '-'], {
      cwd: dir,
      env: { HOME: dir, NO_COLOR: '1', ...env },
      extendEnv: false,
      reject: false,
      input: await readFile(path.join(dir, 'plan.json'), 'utf8'),
      timeout: 120_000,
    });

    expect(applied.stdout).toMatch(new RegExp(`^tagged\\s+localhost/saved-a:1 -> saved-a:1\\s+\\(sha256:${first.slice(0, 12)}\\)$`, 'm'));
    expect(applied.stdout).toMatch(
      new RegExp(`^refused\\s+localhost/saved-b:1 -> saved-b:1\\s+\\(sha256:${second.slice(0, 12)}: not run: docker\\.io/library/saved-b:1 now points at sha256:${other}`, 'm'),
    );
    expect(applied.stdout).toMatch(/^1 tagged, 0 conflicts, 0 failed, 1 refused$/m);
    expect(applied.exitCode).toBe(1);
    expect(await idOf(engine, spelled('saved-a:1'))).toBe(first);
    expect(await idOf(engine, spelled('saved-b:1'))).toBe(other);
  }, 120_000);
});
