// A source name another process moves after imgalias read the store: the built CLI on a private docker and a
// private podman, through each engine's CLI, with a stand-in engine first on PATH that moves the name at the
// adapter's re-read of the target (after the snapshot and the plan, right before the tag). imgalias tags from the
// planned image's id, so the target still gets the image the plan chose, and the run is clean.
import { beforeAll, expect, test } from '@jest/globals';
import { importImage } from '../../../../test-support/engines.js';
import { concurrentWriter } from '../lifecycle/support.js';
import { ensureBuilt, imgalias, tempDir } from './support/cli.js';
import { describeEachEngine, dockerAndPodman, idOf } from './support/engines.js';

const engines = await dockerAndPodman();

beforeAll(ensureBuilt, 600_000);

describeEachEngine(engines, 'a source name moved during apply on a private %s', (kind, engine) => {
  test('the target gets the planned image, the line says tagged, the run verifies and exits 0; the moved name is left as moved', async () => {
    const planned = (await importImage(engine, ['localhost/src-moved:1'])).replace(/^sha256:/, '');
    const other = (await importImage(engine, ['localhost/src-moved-other:1'])).replace(/^sha256:/, '');
    // The target as each engine spells it (docker shortens Docker Hub names, podman writes them in full).
    const target = kind === 'docker' ? 'src-moved:1' : 'docker.io/library/src-moved:1';
    const dir = await tempDir();
    // The snapshot lists the store without naming the target; the re-read right before the tag names it.
    const writer = await concurrentWriter(dir, kind, engine.env['PATH'] ?? process.env['PATH'] ?? '', {
      on: target,
      commands: [['tag', 'localhost/src-moved-other:1', 'localhost/src-moved:1']],
    });
    const run = await imgalias(['apply', '--engine', kind, '--transport', 'cli', '--mode', 'internal', 'src-moved:1'], {
      cwd: dir,
      env: { ...engine.env, PATH: `${writer.bin}:${engine.env['PATH'] ?? process.env['PATH'] ?? ''}` },
    });

    expect(await writer.wrote()).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`^tagged\\s+localhost/src-moved:1 -> src-moved:1\\s+\\(sha256:${planned.slice(0, 12)}\\)$`, 'm'));
    expect(run.stdout).toContain('verified: every planned name now points at its planned image');
    expect(run.stdout).not.toMatch(/another process/);
    expect(run.exitCode).toBe(0);
    expect(await idOf(engine, target)).toBe(planned);
    expect(await idOf(engine, 'localhost/src-moved:1')).toBe(other);
  }, 120_000);
});
