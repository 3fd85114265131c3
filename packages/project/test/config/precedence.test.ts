import { afterEach, describe, expect, test } from '@jest/globals';
import { isRight } from 'fp-ts/lib/Either.js';
import type { CliFlags } from '../../src/config/loadSettings.js';
import { loadSettings } from '../../src/config/loadSettings.js';
import type { SettingSource, Settings } from '../../src/config/Settings.js';
import type { Project } from './fixture.js';
import { createProject, dotEnvText } from './fixture.js';

/*
 * Precedence, per setting and per variable: for every level, put one value there and a different value at every
 * level below it, and check that the level's value wins and is reported as the source.
 */

type Level =
  | { readonly kind: 'flag'; readonly name: keyof CliFlags; readonly label: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'dotenv'; readonly name: string }
  | { readonly kind: 'config'; readonly key: string };

interface Row {
  readonly setting: string;
  readonly levels: readonly Level[];
  /** The value written at level i (distinct per level where the domain allows). */
  readonly valueAt: (i: number, level: Level) => unknown;
  /** Reads the decided value and, for sourced settings, its source. */
  readonly read: (s: Settings) => { readonly value: unknown; readonly source?: SettingSource };
  readonly expectedValue: (written: unknown) => unknown;
}

const harborValue = (i: number): string => `harbor${i}.corp.local/proj${i}`;

const rows: readonly Row[] = [
  {
    setting: 'mode',
    levels: [
      { kind: 'flag', name: 'mode', label: '--mode' },
      { kind: 'flag', name: 'network', label: '--network' },
      { kind: 'env', name: 'IMGALIAS_MODE' },
      { kind: 'env', name: 'AI_INFRA_NETWORK_ENV' },
      { kind: 'dotenv', name: 'IMGALIAS_MODE' },
      { kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV' },
      { kind: 'config', key: 'mode' },
    ],
    // The winner says internal and everything below says external, so a wrong winner shows in the value too.
    valueAt: (i, _level) => (i === 0 ? 'internal' : 'external'),
    read: (s) => s.mode,
    expectedValue: () => 'internal',
  },
  {
    setting: 'harbor',
    levels: [
      { kind: 'flag', name: 'harbor', label: '--harbor' },
      { kind: 'env', name: 'IMGALIAS_HARBOR' },
      { kind: 'env', name: 'INTERNAL_REGISTRY' },
      { kind: 'dotenv', name: 'IMGALIAS_HARBOR' },
      { kind: 'dotenv', name: 'INTERNAL_REGISTRY' },
      { kind: 'config', key: 'harbor' },
    ],
    valueAt: (i) => harborValue(i),
    read: (s) => ({ value: s.harbor?.value, ...(s.harbor === undefined ? {} : { source: s.harbor.source }) }),
    expectedValue: (written) => {
      const [registry, project] = String(written).split('/');
      return { registry, project };
    },
  },
  {
    setting: 'engine',
    levels: [
      { kind: 'flag', name: 'engine', label: '--engine' },
      { kind: 'env', name: 'IMGALIAS_ENGINE' },
      { kind: 'dotenv', name: 'IMGALIAS_ENGINE' },
      { kind: 'config', key: 'engine' },
    ],
    valueAt: (i) => (i === 0 ? 'podman' : 'nerdctl'),
    read: (s) => ({ value: s.engine, source: s.sources.engine }),
    expectedValue: () => 'podman',
  },
  {
    setting: 'transport',
    levels: [
      { kind: 'flag', name: 'transport', label: '--transport' },
      { kind: 'env', name: 'IMGALIAS_TRANSPORT' },
      { kind: 'dotenv', name: 'IMGALIAS_TRANSPORT' },
      { kind: 'config', key: 'transport' },
    ],
    valueAt: (i) => (i === 0 ? 'api' : 'cli'),
    read: (s) => ({ value: s.transport, source: s.sources.transport }),
    expectedValue: () => 'api',
  },
  {
    setting: 'harborLayout',
    levels: [
      { kind: 'flag', name: 'harborLayout', label: '--harbor-layout' },
      { kind: 'config', key: 'harborLayout' },
    ],
    valueAt: (i) => (i === 0 ? 'flatten' : 'library'),
    read: (s) => ({ value: s.harborLayout, source: s.sources.harborLayout }),
    expectedValue: () => 'flatten',
  },
  {
    setting: 'onConflict',
    levels: [
      { kind: 'flag', name: 'onConflict', label: '--on-conflict' },
      { kind: 'config', key: 'onConflict' },
    ],
    valueAt: (i) => (i === 0 ? 'retarget' : 'report'),
    read: (s) => ({ value: s.onConflict, source: s.sources.onConflict }),
    expectedValue: () => 'retarget',
  },
  {
    setting: 'concurrency',
    levels: [
      { kind: 'flag', name: 'concurrency', label: '--concurrency' },
      { kind: 'config', key: 'concurrency' },
    ],
    valueAt: (i, level) => (level.kind === 'flag' ? '9' : i === 0 ? 9 : 2),
    read: (s) => ({ value: s.concurrency, source: s.sources.concurrency }),
    expectedValue: () => 9,
  },
  {
    setting: 'format',
    levels: [
      { kind: 'flag', name: 'format', label: '--format' },
      { kind: 'config', key: 'format' },
    ],
    valueAt: (i) => (i === 0 ? 'markdown' : 'shell'),
    read: (s) => ({ value: s.format, source: s.sources.format }),
    expectedValue: () => 'markdown',
  },
  {
    setting: 'shortNames',
    levels: [
      { kind: 'flag', name: 'shortNames', label: '--short-names' },
      { kind: 'config', key: 'shortNames' },
    ],
    valueAt: (i) => i === 0,
    read: (s) => ({ value: s.shortNames, source: s.sources.shortNames }),
    expectedValue: () => true,
  },
];

const sourceOf = (level: Level, project: Project): SettingSource => {
  switch (level.kind) {
    case 'flag':
      return { kind: 'flag', name: level.label };
    case 'env':
      return { kind: 'env', name: level.name };
    case 'dotenv':
      return { kind: 'dotenv', name: level.name, file: project.path('.env') };
    case 'config':
      return { kind: 'config', file: project.path('imgalias.config.json') };
  }
};

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

/** Writes level `winner` and every level below it; returns the settings. */
async function settingsWith(row: Row, winner: number): Promise<{ settings: Settings; project: Project }> {
  const flags: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  const dotenv: Record<string, string> = {};
  const config: Record<string, unknown> = {};
  row.levels.forEach((level, i) => {
    if (i < winner) return;
    const value = row.valueAt(i - winner, level);
    switch (level.kind) {
      case 'flag':
        flags[level.name] = value;
        break;
      case 'env':
        env[level.name] = String(value);
        break;
      case 'dotenv':
        dotenv[level.name] = String(value);
        break;
      case 'config':
        config[level.key] = value;
        break;
    }
  });
  // --mode and --network must agree when both are given; below the winner only one flag is ever written.
  if (flags['mode'] !== undefined && flags['network'] !== undefined) delete flags['network'];
  project = await createProject({
    ...(Object.keys(dotenv).length > 0 ? { '.env': dotEnvText(dotenv) } : {}),
    ...(Object.keys(config).length > 0 ? { 'imgalias.config.json': JSON.stringify(config) } : {}),
  });
  const loaded = await loadSettings({ flags: flags as CliFlags, env, cwd: project.dir });
  if (!isRight(loaded)) throw new Error(`expected settings, got ${JSON.stringify(loaded.left)}`);
  return { settings: loaded.right, project };
}

describe.each(rows)('precedence of $setting', (row) => {
  test.each(row.levels.map((level, index) => ({ level, index, name: 'label' in level ? level.label : 'name' in level ? `${level.kind} ${level.name}` : 'config file' })))(
    '$name wins over every level below it',
    async ({ level, index }) => {
      const { settings, project: p } = await settingsWith(row, index);
      const decided = row.read(settings);
      expect(decided.value).toEqual(row.expectedValue(row.valueAt(0, level)));
      if (decided.source !== undefined) expect(decided.source).toEqual(sourceOf(level, p));
    },
  );
});

test('every setting falls back to its default when no level names it', async () => {
  project = await createProject();
  const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
  expect(loaded).toEqual({
    _tag: 'Right',
    right: {
      mode: { value: 'external', source: { kind: 'default' } },
      harborLayout: 'path',
      mirrors: [],
      mirrorNotes: [],
      shortNames: false,
      onConflict: 'report',
      engine: 'docker',
      transport: 'auto',
      verbose: false,
      concurrency: 4,
      engineTimeoutMs: 30_000,
      lockTimeoutMs: 120_000,
      images: [],
      from: [],
      exclude: [],
      includeBuilt: false,
      buildArgs: {},
      env: {},
      probes: { publicUrl: 'https://registry-1.docker.io/v2/', timeoutMs: 3000 },
      prefetch: { attempts: 3, baseDelayMs: 1000, concurrency: 3, mirrors: [] },
      format: 'text',
      formatSource: 'default',
      quiet: false,
      color: undefined,
      sources: {
        harborLayout: { kind: 'default' },
        shortNames: { kind: 'default' },
        onConflict: { kind: 'default' },
        engine: { kind: 'default' },
        transport: { kind: 'default' },
        concurrency: { kind: 'default' },
        engineTimeout: { kind: 'default' },
        lockTimeout: { kind: 'default' },
        includeBuilt: { kind: 'default' },
        format: { kind: 'default' },
      },
      policy: { harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false },
    },
  });
});

test('IMGALIAS_MODE beats AI_INFRA_NETWORK_ENV at the same level, and may say auto', async () => {
  project = await createProject({ '.env': dotEnvText({ AI_INFRA_NETWORK_ENV: 'internal', IMGALIAS_MODE: 'auto' }) });
  const loaded = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
  expect(isRight(loaded) && loaded.right.mode).toEqual({
    value: 'auto',
    source: { kind: 'dotenv', name: 'IMGALIAS_MODE', file: project.path('.env') },
  });
});

test('--json means --format json', async () => {
  project = await createProject({ 'imgalias.config.json': JSON.stringify({ format: 'markdown' }) });
  const loaded = await loadSettings({ flags: { json: true }, env: {}, cwd: project.dir });
  expect(isRight(loaded) && loaded.right.format).toBe('json');
});

test('--no-color is kept; no colour flag leaves the decision to the terminal', async () => {
  project = await createProject();
  const off = await loadSettings({ flags: { color: false, quiet: true }, env: {}, cwd: project.dir });
  const undecided = await loadSettings({ flags: {}, env: {}, cwd: project.dir });
  expect(isRight(off) && [off.right.color, off.right.quiet]).toEqual([false, true]);
  expect(isRight(undecided) && undecided.right.color).toBeUndefined();
});

test('an empty variable counts as unset, so the level below decides', async () => {
  project = await createProject({ '.env': dotEnvText({ AI_INFRA_NETWORK_ENV: 'internal' }) });
  const loaded = await loadSettings({ flags: {}, env: { IMGALIAS_MODE: '', AI_INFRA_NETWORK_ENV: '' }, cwd: project.dir });
  expect(isRight(loaded) && loaded.right.mode.source).toEqual({ kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: project.path('.env') });
});

test('settings.env is .env overlaid by the process environment, empty values included', async () => {
  project = await createProject({ '.env': 'REDIS_TAG=7-alpine\nMINIO_TAG=old\nEMPTY=\n' });
  const loaded = await loadSettings({ flags: {}, env: { MINIO_TAG: 'RELEASE.2024', UNSET: undefined, PATHLIKE: '/bin' }, cwd: project.dir });
  expect(isRight(loaded) && loaded.right.env).toEqual({ REDIS_TAG: '7-alpine', MINIO_TAG: 'RELEASE.2024', EMPTY: '', PATHLIKE: '/bin' });
});
