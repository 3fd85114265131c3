import { existsSync } from 'node:fs';
import { afterEach, describe, expect, test } from '@jest/globals';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type { CliFlags, ConfigError } from '../../src/config/loadSettings.js';
import { describeConfigError, loadSettings } from '../../src/config/loadSettings.js';
import { policyOf } from '../../src/config/Settings.js';
import type { Project } from './fixture.js';
import { createProject, dotEnvText } from './fixture.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

async function errorFor(input: { flags?: CliFlags; env?: Record<string, string>; dotenv?: Record<string, string>; config?: object }): Promise<ConfigError> {
  project = await createProject({
    ...(input.dotenv === undefined ? {} : { '.env': dotEnvText(input.dotenv) }),
    ...(input.config === undefined ? {} : { 'imgalias.config.json': JSON.stringify(input.config) }),
  });
  const loaded = await loadSettings({ flags: input.flags ?? {}, env: input.env ?? {}, cwd: project.dir });
  if (isRight(loaded)) throw new Error('expected a config error, got settings');
  return loaded.left;
}

describe('.env', () => {
  test('AI_INFRA_NETWORK_ENV=internal in .env decides the mode, and says so', async () => {
    project = await createProject({ '.env': '# written by the provisioning script\nexport AI_INFRA_NETWORK_ENV=internal\n' });
    const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
    expect(isRight(loaded) && loaded.right.mode).toEqual({
      value: 'internal',
      source: { kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: project.path('.env') },
    });
  });

  test('is data: command substitutions and backticks are never run, and stay literal', async () => {
    project = await createProject();
    const dollar = project.path('dollar-ran');
    const backtick = project.path('backtick-ran');
    const quoted = project.path('quoted-ran');
    await project.write(
      '.env',
      [
        'AI_INFRA_NETWORK_ENV=internal',
        `BUILD_ID=$(touch ${dollar})`,
        `BUILD_HOST=\`touch ${backtick}\``,
        `BUILD_NOTE="$(touch ${quoted}) \`touch ${quoted}\`"`,
        '',
      ].join('\n'),
    );
    const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
    if (isLeft(loaded)) throw new Error(describeConfigError(loaded.left));
    expect(loaded.right.mode.value).toBe('internal');
    expect(loaded.right.env['BUILD_ID']).toBe(`$(touch ${dollar})`);
    expect(loaded.right.env['BUILD_HOST']).toBe(`\`touch ${backtick}\``);
    for (const marker of [dollar, backtick, quoted]) expect(existsSync(marker)).toBe(false);
  });

  test('a line that is not KEY=value is an error naming the line', async () => {
    project = await createProject({ '.env': 'AI_INFRA_NETWORK_ENV=internal\nthis is not an assignment\n' });
    const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
    expect(isLeft(loaded) && loaded.left).toMatchObject({
      _tag: 'ConfigFileInvalid',
      file: project.path('.env'),
      errors: [{ path: 'line 2' }],
    });
    expect(isLeft(loaded) && describeConfigError(loaded.left)).toMatch(
      new RegExp(`^${project.path('.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has lines imgalias cannot read as KEY=value \\(1 problem\\):\n  line 2: `),
    );
  });

  test('is only read from the working directory', async () => {
    project = await createProject({ '.env': 'AI_INFRA_NETWORK_ENV=internal\n', 'sub/x': '' });
    const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.path('sub') });
    expect(isRight(loaded) && loaded.right.mode.source).toEqual({ kind: 'default' });
  });
});

describe('invalid values are errors naming the option and its source', () => {
  test.each([
    [{ env: { AI_INFRA_NETWORK_ENV: 'intranet' } }, 'AI_INFRA_NETWORK_ENV', 'intranet', 'env'],
    [{ dotenv: { AI_INFRA_NETWORK_ENV: 'intranet' } }, 'AI_INFRA_NETWORK_ENV', 'intranet', 'dotenv'],
    // The compatibility variable predates auto.
    [{ env: { AI_INFRA_NETWORK_ENV: 'auto' } }, 'AI_INFRA_NETWORK_ENV', 'auto', 'env'],
    [{ env: { IMGALIAS_MODE: 'Internal' } }, 'IMGALIAS_MODE', 'Internal', 'env'],
    [{ flags: { mode: 'offline' } }, '--mode', 'offline', 'flag'],
    [{ flags: { concurrency: '0' } }, '--concurrency', '0', 'flag'],
    [{ flags: { concurrency: '4.5' } }, '--concurrency', '4.5', 'flag'],
    [{ flags: { concurrency: '1e3' } }, '--concurrency', '1e3', 'flag'],
    [{ flags: { concurrency: 'many' } }, '--concurrency', 'many', 'flag'],
    [{ flags: { harbor: 'https://harbor.corp.local/proj' } }, '--harbor', 'https://harbor.corp.local/proj', 'flag'],
    [{ env: { INTERNAL_REGISTRY: 'harbor.corp.local' } }, 'INTERNAL_REGISTRY', 'harbor.corp.local', 'env'],
    [{ dotenv: { IMGALIAS_HARBOR: 'Harbor.corp.local/PROJ' } }, 'IMGALIAS_HARBOR', 'Harbor.corp.local/PROJ', 'dotenv'],
    [{ env: { IMGALIAS_ENGINE: 'dockr' } }, 'IMGALIAS_ENGINE', 'dockr', 'env'],
    [{ flags: { transport: 'socket' } }, '--transport', 'socket', 'flag'],
    [{ env: { IMGALIAS_TRANSPORT: 'API' } }, 'IMGALIAS_TRANSPORT', 'API', 'env'],
    [{ flags: { harborLayout: 'tree' } }, '--harbor-layout', 'tree', 'flag'],
    [{ flags: { onConflict: 'overwrite' } }, '--on-conflict', 'overwrite', 'flag'],
    [{ flags: { format: 'yaml' } }, '--format', 'yaml', 'flag'],
  ] as const)('%j', async (input, option, value, kind) => {
    const error = await errorFor(input);
    expect(error).toMatchObject({ _tag: 'InvalidOption', option, value, source: { kind } });
    const where = { flag: '', env: ' in the environment', dotenv: ` in ${project?.path('.env')}` }[kind];
    expect(describeConfigError(error)).toMatch(new RegExp(`^invalid ${option} ${JSON.stringify(value)}${where}: \\S`));
  });

  test('the message says what is expected, once', async () => {
    const error = await errorFor({ dotenv: { AI_INFRA_NETWORK_ENV: 'intranet' } });
    expect(describeConfigError(error)).toBe(
      `invalid AI_INFRA_NETWORK_ENV "intranet" in ${project?.path('.env')}: expected "external" or "internal"\nNothing was changed.`,
    );
  });

  test('a bad value is reported even where a higher level hides it', async () => {
    const error = await errorFor({ flags: { mode: 'internal' }, dotenv: { AI_INFRA_NETWORK_ENV: 'intranet' } });
    expect(error).toMatchObject({ _tag: 'InvalidOption', option: 'AI_INFRA_NETWORK_ENV', value: 'intranet' });
  });

  test('--mode and --network that disagree are an error; that agree are fine', async () => {
    expect(await errorFor({ flags: { mode: 'internal', network: 'external' } })).toMatchObject({
      _tag: 'InvalidOption',
      option: '--network',
      value: 'external',
    });
    project = await createProject();
    const agreed = await loadSettings({ flags: { mode: 'internal', network: 'internal' }, env: {}, cwd: project.dir });
    expect(isRight(agreed) && agreed.right.mode).toEqual({ value: 'internal', source: { kind: 'flag', name: '--mode' } });
  });

  test('--json with another --format is an error', async () => {
    expect(await errorFor({ flags: { json: true, format: 'text' } })).toMatchObject({ _tag: 'InvalidOption', option: '--json' });
  });
});

test('policyOf carries the policy settings and the resolved mode', async () => {
  project = await createProject({ 'imgalias.config.json': JSON.stringify({ mode: 'auto', harbor: '127.0.0.1:5000/aihpc', shortNames: true }) });
  const loaded = await loadSettings({ flags: { onConflict: 'retarget' }, env: {}, cwd: project.dir });
  if (isLeft(loaded)) throw new Error(describeConfigError(loaded.left));
  expect(policyOf(loaded.right, 'internal')).toEqual({
    mode: 'internal',
    harbor: { registry: '127.0.0.1:5000', project: 'aihpc' },
    harborLayout: 'path',
    shortNames: true,
    onConflict: 'retarget',
    harborTags: false,
  });
  // Outside a repository the search is the working directory only, so `other/` has no config and no Harbor.
  await project.write('other/README', '');
  const noHarbor = await loadSettings({ flags: {}, env: {}, cwd: project.path('other') });
  expect(isRight(noHarbor) && 'harbor' in policyOf(noHarbor.right, 'external')).toBe(false);
});
