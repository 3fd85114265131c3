import { describe, expect, test } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportsOf } from '../../../test-support/publicSurface.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** The workspace siblings the project's entry points import, resolved to their sources. */
const SIBLINGS = {
  baseUrl: SRC,
  paths: { '@imgalias/core/internal': ['../../core/src/internal.ts'], '@imgalias/*': ['../../*/src/index.ts'] },
};

// What a build tool needs: the jobs, their options and results, how to word their errors, and the settings types
// the results carry (and `settings` takes back). A name added here is a promise; everything else the CLI uses is
// in @imgalias/project/internal.
const PUBLIC = [
  'applyProject',
  'applySavedPlan',
  'checkProject',
  'ConfigError',
  'ConfigIssue',
  'describeProjectError',
  'describeSettingSource',
  'EngineTransportSetting',
  'Environment',
  'fixProject',
  'FixOptions',
  'ModeResolution',
  'ModeSetting',
  'OutputFormat',
  'planProject',
  'PrefetchSettings',
  'PreparedProject',
  'ProbeResult',
  'ProbeSettings',
  'ProjectCheck',
  'ProjectError',
  'ProjectEvent',
  'ProjectFix',
  'ProjectOptions',
  'ProjectPlan',
  'SavedPlanApply',
  'SavedPlanOptions',
  'Settings',
  'SettingSource',
  'SettingSources',
  'SettingsPolicy',
  'Sourced',
  'SourcedMirrorRule',
  'SourcedSetting',
];

describe('the public surface of @imgalias/project', () => {
  const publicNames = exportsOf(resolve(SRC, 'index.ts'), SIBLINGS);
  const internalNames = exportsOf(resolve(SRC, 'internal.ts'), SIBLINGS);

  test('is exactly the jobs, their options and results, and the settings types they name', () => {
    const sorted = (names: readonly string[]): string[] => [...names].sort((a, b) => a.localeCompare(b));
    expect(sorted(publicNames.map((entry) => entry.name))).toEqual(sorted(PUBLIC));
  });

  test('every public export has a doc comment', () => {
    expect(publicNames.filter((entry) => !entry.documented).map((entry) => entry.name)).toEqual([]);
  });

  test('keeps the parts the CLI wires out: they are exported from @imgalias/project/internal only', () => {
    const names = new Set(publicNames.map((entry) => entry.name));
    for (const internal of ['loadSettings', 'prepareProject', 'resolveMode', 'discoverProjectImages', 'openProjectStore', 'policyOf', 'CliFlags']) {
      expect(names.has(internal)).toBe(false);
      expect(internalNames.some((entry) => entry.name === internal)).toBe(true);
    }
    // The internal entry point carries the public API too, so the CLI imports every name from one module.
    expect([...names].filter((name) => !internalNames.some((entry) => entry.name === name))).toEqual([]);
  });
});
