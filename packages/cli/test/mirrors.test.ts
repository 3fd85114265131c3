import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ExitCode } from '../src/ExitCode.js';
import { imgalias } from './lifecycle/support.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

// Mirror rules through the whole program; how each level decides is tested with the settings loader in @imgalias/project.
const tempDir = tempDirs('imgalias-mirrors-');

async function createProject(files: Readonly<Record<string, string>>): Promise<{ readonly dir: string }> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return { dir };
}

describe('the CLI end to end (a saved snapshot, no engine)', () => {
  const snapshot = JSON.stringify({
    version: 1,
    images: [
      { id: 'sha256:k', names: ['harbor.corp.local/quay/keycloak/keycloak:26.0'] },
      { id: 'sha256:r', names: ['harbor.corp.local/aihpc/redis:7-alpine'] },
    ],
  });
  const env = { DOCKER_HOST: 'unix:///nonexistent/imgalias-test.sock' };

  test('plan with --mirror tags each image from its own rule\'s Harbor name and says which rule gave it', async () => {
    const project = await createProject({ 'snapshot.json': snapshot });
    const args = ['plan', '--snapshot', 'snapshot.json', '--mode', 'internal', '--harbor', 'harbor.corp.local/aihpc', '--mirror', 'quay.io=harbor.corp.local/quay@proxy-cache'];
    const run = await imgalias([...args, 'quay.io/keycloak/keycloak:26.0', 'redis:7-alpine'], { cwd: project.dir, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toContain('harbor.corp.local/quay/keycloak/keycloak:26.0 -> quay.io/keycloak/keycloak:26.0');
    expect(run.stdout).toMatch(/harbor {4}harbor.corp.local\/quay\/keycloak\/keycloak:26.0 +for quay.io\/keycloak\/keycloak:26.0, rule quay.io=harbor.corp.local\/quay@proxy-cache/);
    expect(run.stdout).toMatch(/harbor {4}harbor.corp.local\/aihpc\/redis:7-alpine +for redis:7-alpine, rule \*=harbor.corp.local\/aihpc@path/);
  });

  test('a bad --mirror exits 2 and changes nothing; --mirrors-from notes go to stderr and into imgalias mode', async () => {
    const project = await createProject({
      'snapshot.json': snapshot,
      'registries.conf': '[[registry]]\nlocation = "blocked.example.com"\nblocked = true\n[[registry]]\nprefix = "quay.io"\n[[registry.mirror]]\nlocation = "harbor.corp.local/quay"\n',
    });
    const bad = await imgalias(['plan', '--snapshot', 'snapshot.json', '--mirror', 'quay.io=harbor.corp.local/quay@deep', 'redis'], { cwd: project.dir, env });
    expect(bad.exitCode).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/invalid --mirror "quay.io=harbor.corp.local\/quay@deep": unknown layout "deep"/);
    expect(bad.stdout).toBe('');

    const mode = await imgalias(['mode', '--mirrors-from', 'registries.conf'], { cwd: project.dir, env });
    expect(mode.exitCode).toBe(ExitCode.ok);
    expect(mode.stdout).toContain('  quay.io=harbor.corp.local/quay@proxy-cache  (from --mirrors-from)');
    expect(mode.stdout).toMatch(/note: .*registries.conf: \[\[registry\]\] #1 \(prefix "blocked.example.com"\): blocked = true/);
    expect(mode.stderr).toMatch(/^imgalias: note: .*blocked = true/);
    const json = JSON.parse((await imgalias(['mode', '--json', '--quiet', '--mirrors-from', 'registries.conf'], { cwd: project.dir, env })).stdout);
    expect(json.mirrors.map((m: { rule: string }) => m.rule)).toEqual(['quay.io=harbor.corp.local/quay@proxy-cache']);
    expect(json.mirrorNotes).toHaveLength(1);
  });

  test('on prefetch, a --mirror without ORIGIN= is still a Docker Hub pull mirror', async () => {
    const project = await createProject({ 'snapshot.json': JSON.stringify({ version: 1, images: [] }) });
    const run = await imgalias(['prefetch', '--dry-run', '--snapshot', 'snapshot.json', '--mirror', 'mirror.corp:5000/hub', '--mirror', 'quay.io=harbor.corp.local/quay', 'redis:7', 'quay.io/a/b:1'], {
      cwd: project.dir,
      env,
    });
    expect(run.stdout).toContain('mirror.corp:5000/hub/library/redis:7');
    expect(run.stdout).toContain('harbor.corp.local/quay/a/b:1');
  });
});
