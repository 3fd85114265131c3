import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type { ConfigError } from '../../src/config/loadSettings.js';
import { describeConfigError, loadSettings } from '../../src/config/loadSettings.js';
import type { Settings } from '../../src/config/Settings.js';
import type { Project } from './fixture.js';
import { createProject } from './fixture.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

const load = (cwd: string, flags: Record<string, unknown> = {}): Promise<Either<ConfigError, Settings>> =>
  loadSettings({ flags, env: {}, cwd });

const settingsOf = (loaded: Either<ConfigError, Settings>): Settings => {
  if (isLeft(loaded)) throw new Error(`expected settings, got ${describeConfigError(loaded.left)}`);
  return loaded.right;
};

const errorOf = (loaded: Either<ConfigError, Settings>): ConfigError => {
  if (isRight(loaded)) throw new Error('expected a config error, got settings');
  return loaded.left;
};

const fullConfig = {
  mode: 'internal',
  harbor: 'harbor.corp.local/proj',
  harborLayout: 'flatten',
  shortNames: true,
  onConflict: 'retarget',
  engine: 'podman',
  concurrency: 8,
  format: 'markdown',
  images: ['redis:7-alpine', 'minio/minio:latest'],
  includeBuilt: true,
  buildArgs: { REDIS_VERSION: '7.2' },
  probes: { publicUrl: 'http://127.0.0.1:9/v2/', harborUrl: 'http://127.0.0.1:10/v2/', timeoutMs: 500 },
  prefetch: { attempts: 5, baseDelayMs: 0, concurrency: 3, mirrors: ['mirror.corp.local'] },
};

const expectFullConfig = (settings: Settings, file: string): void => {
  expect(settings).toMatchObject({
    mode: { value: 'internal', source: { kind: 'config', file } },
    harbor: { value: { registry: 'harbor.corp.local', project: 'proj' }, source: { kind: 'config', file } },
    harborLayout: 'flatten',
    shortNames: true,
    onConflict: 'retarget',
    engine: 'podman',
    concurrency: 8,
    format: 'markdown',
    images: ['redis:7-alpine', 'minio/minio:latest'],
    includeBuilt: true,
    buildArgs: { REDIS_VERSION: '7.2' },
    probes: { publicUrl: 'http://127.0.0.1:9/v2/', harborUrl: 'http://127.0.0.1:10/v2/', timeoutMs: 500 },
    prefetch: { attempts: 5, baseDelayMs: 0, concurrency: 3, mirrors: ['mirror.corp.local'] },
    configFile: file,
  });
};

const yamlConfig = `# every option
mode: internal
harbor: harbor.corp.local/proj
harborLayout: flatten
shortNames: true
onConflict: retarget
engine: podman
concurrency: 8
format: markdown
images:
  - redis:7-alpine
  - minio/minio:latest
includeBuilt: true
buildArgs:
  REDIS_VERSION: "7.2"
probes:
  publicUrl: http://127.0.0.1:9/v2/
  harborUrl: http://127.0.0.1:10/v2/
  timeoutMs: 500
prefetch:
  attempts: 5
  baseDelayMs: 0
  concurrency: 3
  mirrors: [mirror.corp.local]
`;

describe('finding the config file', () => {
  test.each([
    ['imgalias.config.json', JSON.stringify(fullConfig)],
    ['imgalias.config.yaml', yamlConfig],
    ['imgalias.config.yml', yamlConfig],
    ['package.json', JSON.stringify({ name: 'app', private: true, imgalias: fullConfig })],
  ])('reads every option from %s in the working directory', async (name, content) => {
    project = await createProject({ [name]: content });
    expectFullConfig(settingsOf(await load(project.dir)), project.path(name));
  });

  test('imgalias.config.json is preferred over package.json in the same directory', async () => {
    project = await createProject({
      'imgalias.config.json': JSON.stringify({ engine: 'podman' }),
      'package.json': JSON.stringify({ imgalias: { engine: 'nerdctl' } }),
    });
    expect(settingsOf(await load(project.dir))).toMatchObject({ engine: 'podman', configFile: project.path('imgalias.config.json') });
  });

  test('a package.json without an imgalias key is not a config file', async () => {
    project = await createProject({ 'package.json': JSON.stringify({ name: 'app' }) });
    expect(settingsOf(await load(project.dir)).configFile).toBeUndefined();
  });

  test('is found from a subdirectory of the repository, but never above the repository root', async () => {
    project = await createProject({
      'imgalias.config.json': JSON.stringify({ engine: 'nerdctl' }), // above the repository: must be ignored
      'repo/imgalias.config.yaml': 'engine: podman\n',
      'repo/services/api/Dockerfile': 'FROM redis:7\n',
    });
    await mkdir(project.path('repo/.git'));
    const fromSub = settingsOf(await load(project.path('repo/services/api')));
    expect(fromSub).toMatchObject({ engine: 'podman', configFile: project.path('repo/imgalias.config.yaml') });

    await mkdir(project.path('other/.git'), { recursive: true });
    expect(settingsOf(await load(project.path('other'))).configFile).toBeUndefined();
  });

  test('outside a repository only the working directory is searched', async () => {
    project = await createProject({ 'imgalias.config.json': JSON.stringify({ engine: 'nerdctl' }), 'sub/x': '' });
    expect(settingsOf(await load(project.path('sub'))).configFile).toBeUndefined();
  });

  test('--config names a file anywhere, relative to the working directory, and skips the search', async () => {
    project = await createProject({
      'imgalias.config.json': JSON.stringify({ engine: 'nerdctl' }),
      'ci/imgalias.ci.yml': 'engine: podman\n',
    });
    const settings = settingsOf(await load(project.dir, { config: 'ci/imgalias.ci.yml' }));
    expect(settings).toMatchObject({ engine: 'podman', configFile: project.path('ci/imgalias.ci.yml') });
  });

  test('--config naming a missing file is an error, not a fallback to the search', async () => {
    project = await createProject({ 'imgalias.config.json': '{}' });
    const error = errorOf(await load(project.dir, { config: 'missing.yaml' }));
    expect(error).toEqual({ _tag: 'ConfigFileUnreadable', file: project.path('missing.yaml'), message: 'no such file (named by --config)' });
  });

  test('--config naming a JavaScript file is refused and the file is never run', async () => {
    project = await createProject();
    const marker = project.path('ran');
    await project.write('imgalias.config.mjs', `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default {};\n`);
    const error = errorOf(await load(project.dir, { config: 'imgalias.config.mjs' }));
    expect(error._tag).toBe('ConfigFileUnreadable');
    expect(describeConfigError(error)).toContain('unsupported file type');
    expect(existsSync(marker)).toBe(false);
  });

  test('--config naming a package.json without an imgalias key is an error', async () => {
    project = await createProject({ 'package.json': '{"name":"app"}' });
    expect(errorOf(await load(project.dir, { config: 'package.json' }))).toEqual({
      _tag: 'ConfigFileInvalid',
      file: project.path('package.json'),
      errors: [{ path: 'imgalias', message: 'package.json has no "imgalias" key' }],
    });
  });

  test('an empty config file is an empty configuration', async () => {
    project = await createProject({ 'imgalias.config.yaml': '' });
    expect(settingsOf(await load(project.dir))).toMatchObject({ engine: 'docker', configFile: project.path('imgalias.config.yaml') });
  });
});

describe('paths in the config file', () => {
  test('from and snapshot resolve against the config file directory; --from and --snapshot against the working directory', async () => {
    project = await createProject({
      'imgalias.config.yaml': 'from: [services, ./compose.yaml]\nsnapshot: snapshots/host.json\n',
      'tools/x': '',
    });
    await mkdir(project.path('.git'));
    const fromConfig = settingsOf(await load(project.path('tools')));
    expect(fromConfig.from).toEqual([project.path('services'), project.path('compose.yaml')]);
    expect(fromConfig.snapshotFile).toBe(project.path('snapshots/host.json'));

    const withFlags = settingsOf(await load(project.path('tools'), { from: ['docker', '../services'], snapshot: 'mine.json' }));
    // Flags first, then the config's paths; a path named twice is kept once.
    expect(withFlags.from).toEqual([project.path('tools/docker'), project.path('services'), project.path('compose.yaml')]);
    expect(withFlags.snapshotFile).toBe(project.path('tools/mine.json'));
  });
});

describe('a bad config file', () => {
  test('lists every bad path, including unknown keys with a hint', async () => {
    project = await createProject({
      'imgalias.config.json': JSON.stringify({
        mode: 'intranet',
        harbor: 'harbor-without-project',
        harborLayot: 'flatten',
        shortNames: 'yes',
        concurrency: 0,
        format: 'json',
        images: ['redis:7', 42, 'Redis:7'],
        buildArgs: { REDIS_VERSION: 7.1, 'bad name': 'x' },
        probes: { publicUrl: 'ftp://127.0.0.1/', timeoutMs: -5, retries: 2 },
        prefetch: { mirrors: 'mirror.corp.local' },
      }),
    });
    const error = errorOf(await load(project.dir));
    expect(error._tag).toBe('ConfigFileInvalid');
    const paths = error._tag === 'ConfigFileInvalid' ? error.errors.map((e) => e.path) : [];
    expect(paths).toEqual([
      'mode',
      'harbor',
      'harborLayot',
      'shortNames',
      'concurrency',
      'images[1]',
      'images[2]',
      'buildArgs.REDIS_VERSION',
      'buildArgs["bad name"]',
      'probes.publicUrl',
      'probes.timeoutMs',
      'probes.retries',
      'prefetch.mirrors',
    ]);
    const text = describeConfigError(error);
    expect(text).toContain(`${project.path('imgalias.config.json')} is not a valid imgalias configuration (13 problems):`);
    expect(text).toContain('  mode: expected "external", "internal" or "auto", got "intranet"');
    expect(text).toContain('  harborLayot: unknown key (did you mean "harborLayout"?)');
    expect(text).toContain('  concurrency: expected a positive integer, got 0');
    expect(text).toContain('  images[1]: expected an image reference (redis:7-alpine), got 42');
    expect(text).toMatch(/ {2}images\[2\]: .*must be lowercase/);
    expect(text).toContain('quote values in YAML');
    expect(text).toContain('  probes.retries: unknown key');
    expect(text).toContain('  prefetch.mirrors: expected a list of registry mirrors, got "mirror.corp.local"');
    expect(text).toContain('  harbor: invalid Harbor location "harbor-without-project": expected host[:port]/project');
  });

  test('in package.json: the imgalias key must be an object', async () => {
    project = await createProject({ 'package.json': JSON.stringify({ imgalias: 'internal' }) });
    const error = errorOf(await load(project.dir));
    expect(error).toEqual({
      _tag: 'ConfigFileInvalid',
      file: project.path('package.json'),
      errors: [{ path: '(root)', message: 'expected an object (imgalias configuration), got "internal"' }],
    });
  });

  test('YAML that does not parse names the file and the position', async () => {
    project = await createProject({ 'imgalias.config.yml': 'mode: internal\n  harbor: [unclosed\n' });
    const error = errorOf(await load(project.dir));
    expect(error._tag).toBe('ConfigFileUnreadable');
    expect(error).toMatchObject({ file: project.path('imgalias.config.yml') });
    expect(describeConfigError(error)).toMatch(/not valid YAML: .*line/);
  });

  test('JSON that does not parse names the file', async () => {
    project = await createProject({ 'imgalias.config.json': '{ "mode": "internal", }' });
    expect(errorOf(await load(project.dir))).toMatchObject({ _tag: 'ConfigFileUnreadable', file: project.path('imgalias.config.json') });
  });

  test('a YAML number where a build-arg string belongs is refused, not turned into another version', async () => {
    project = await createProject({ 'imgalias.config.yaml': 'buildArgs:\n  PG_VERSION: 16.10\n' });
    const error = errorOf(await load(project.dir));
    expect(error).toMatchObject({ _tag: 'ConfigFileInvalid', errors: [{ path: 'buildArgs.PG_VERSION' }] });
  });
});

describe('docs/configuration.md', () => {
  const docs = (): Promise<string> => readFile(fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url)), 'utf8');
  const block = (text: string, language: string): string => {
    const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text);
    if (match?.[1] === undefined) throw new Error(`no ${language} block in docs/configuration.md`);
    return match[1];
  };

  test('its example YAML config is a valid configuration', async () => {
    project = await createProject({ 'imgalias.config.yaml': block(await docs(), 'yaml') });
    const settings = settingsOf(await load(project.dir));
    expect(settings).toMatchObject({ mode: { value: 'internal' }, buildArgs: { REDIS_VERSION: '7.2' }, probes: { timeoutMs: 3000 } });
    expect(settings.from).toEqual([project.path('services'), project.path('compose.yaml')]);
  });

  test('its example package.json is a valid configuration', async () => {
    project = await createProject({ 'package.json': block(await docs(), 'json') });
    expect(settingsOf(await load(project.dir)).harbor?.value).toEqual({ registry: 'harbor.corp.local', project: 'proj' });
  });

  test('its example error is what a bad file prints', async () => {
    project = await createProject({
      'imgalias.config.json': JSON.stringify({ mode: 'intranet', harborLayot: 'path', probes: { timeoutMs: -5 } }),
    });
    const printed = describeConfigError(errorOf(await load(project.dir)));
    const section = (await docs()).split('### A bad config file')[1] ?? '';
    const documented = block(section, '').trimEnd();
    expect(`imgalias plan: ${printed}`.replace(project.path('imgalias.config.json'), '/srv/app/imgalias.config.json')).toBe(documented);
  });
});
