import { afterEach, describe, expect, test } from '@jest/globals';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import { formatMirrorRule, resolvePolicy } from '@imgalias/core';
import type { CliFlags, ConfigError } from '../../src/config/loadSettings.js';
import { describeConfigError, loadSettings } from '../../src/config/loadSettings.js';
import { readRegistriesConf, registriesConfRules } from '../../src/config/RegistriesConf.js';
import type { Settings } from '../../src/config/Settings.js';
import { describeSettingSource, policyOf } from '../../src/config/Settings.js';
import type { Project } from './fixture.js';
import { createProject, dotEnvText } from './fixture.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

const settingsOf = (loaded: Either<ConfigError, Settings>): Settings => {
  if (isLeft(loaded)) throw new Error(`expected settings, got ${describeConfigError(loaded.left)}`);
  return loaded.right;
};
const errorOf = (loaded: Either<ConfigError, Settings>): string => {
  if (!isLeft(loaded)) throw new Error('expected an error');
  return describeConfigError(loaded.left);
};
/** `origin=location@layout  (source)` per rule in force, for whole-value assertions. */
const rulesOf = (settings: Settings): string[] =>
  settings.mirrors.map((rule) => `${formatMirrorRule(rule.value)}  (${describeSettingSource(rule.source)})`);

describe('mirror rules from every level', () => {
  test('per origin, flags > environment > .env > config; a rule without a layout takes --harbor-layout', async () => {
    project = await createProject({
      '.env': dotEnvText({ IMGALIAS_MIRRORS: 'quay.io=h.corp.local/dotenv,ghcr.io=h.corp.local/ghcr-dotenv@flatten-all' }),
      'imgalias.config.yaml': [
        'harborLayout: flatten-1',
        'mirrors:',
        '  - quay.io=h.corp.local/config',
        '  - { origin: nvcr.io, location: h.corp.local/nvcr }',
        '  - { origin: registry.k8s.io, location: h.corp.local/k8s, layout: proxy-cache }',
        '  - ghcr.io=h.corp.local/ghcr-config',
      ].join('\n'),
    });
    const loaded = await loadSettings({
      flags: { mirror: ['quay.io=h.corp.local/quay@proxy-cache'] },
      env: { IMGALIAS_MIRRORS: 'nvcr.io=h.corp.local/nvcr-env' },
      cwd: project.dir,
    });
    const settings = settingsOf(loaded);
    expect(rulesOf(settings)).toEqual([
      'quay.io=h.corp.local/quay@proxy-cache  (--mirror)',
      'nvcr.io=h.corp.local/nvcr-env@flatten-1  (environment: IMGALIAS_MIRRORS)',
      'ghcr.io=h.corp.local/ghcr-dotenv@flatten-all  (.env: IMGALIAS_MIRRORS)',
      `registry.k8s.io=h.corp.local/k8s@proxy-cache  (config: ${project.path('imgalias.config.yaml')})`,
    ]);
    expect(policyOf(settings, 'internal').mirrors?.map(formatMirrorRule)).toEqual(settings.mirrors.map((r) => formatMirrorRule(r.value)));
  });

  test('a staging source (+from=, or from and fromLayout in a config object) is read at every level', async () => {
    project = await createProject({
      'imgalias.config.yaml': [
        'mirrors:',
        '  - { origin: nvcr.io, location: h.corp.local/nvcr, layout: path, from: staging.corp.local/nv, fromLayout: flatten-all }',
        '  - { origin: registry.k8s.io, location: h.corp.local/k8s, from: staging.corp.local/k8s }',
        '  - ghcr.io=h.corp.local/ghcr+from=staging.corp.local/gh@proxy-cache',
      ].join('\n'),
    });
    const loaded = await loadSettings({
      flags: { mirror: ['quay.io=h.corp.local/quay@proxy-cache+from=127.0.0.1:5000/import'] },
      env: { IMGALIAS_MIRRORS: 'docker.io=h.corp.local/hub@path+from=h.corp.local/hub@proxy-cache' },
      cwd: project.dir,
    });
    const config = `config: ${project.path('imgalias.config.yaml')}`;
    expect(rulesOf(settingsOf(loaded))).toEqual([
      'quay.io=h.corp.local/quay@proxy-cache+from=127.0.0.1:5000/import@proxy-cache  (--mirror)',
      'docker.io=h.corp.local/hub@path+from=h.corp.local/hub@proxy-cache  (environment: IMGALIAS_MIRRORS)',
      `nvcr.io=h.corp.local/nvcr@path+from=staging.corp.local/nv@flatten-all  (${config})`,
      `registry.k8s.io=h.corp.local/k8s@path+from=staging.corp.local/k8s@path  (${config})`,
      `ghcr.io=h.corp.local/ghcr@path+from=staging.corp.local/gh@proxy-cache  (${config})`,
    ]);
  });

  test('a bad staging source names the option or the config entry: exit 2', async () => {
    project = await createProject({ 'imgalias.config.yaml': 'mirrors:\n  - { origin: nvcr.io, location: h.corp.local/nvcr, from: nope }\n' });
    expect(errorOf(await loadSettings({ flags: {}, env: {}, cwd: project.dir }))).toMatch(/mirrors\[0\].*staging location: expected host\[:port\]\/project/s);
    expect(errorOf(await loadSettings({ flags: { mirror: ['quay.io=h.corp.local/q+from=h.corp.local/q'] }, env: {}, cwd: project.dir }))).toMatch(/--mirror.*the staging source is the Harbor location itself/s);
  });

  test('--harbor is the * rule at its own level: a flag beats a config * rule, a * --mirror beats IMGALIAS_HARBOR', async () => {
    project = await createProject({ 'imgalias.config.json': JSON.stringify({ mirrors: ['*=h.corp.local/config-star'] }) });
    const flagHarbor = settingsOf(await loadSettings({ flags: { harbor: 'h.corp.local/flag' }, env: {}, cwd: project.dir }));
    expect(rulesOf(flagHarbor)).toEqual([]);
    expect(flagHarbor.harbor?.value).toEqual({ registry: 'h.corp.local', project: 'flag' });

    const starFlag = settingsOf(await loadSettings({ flags: { mirror: '*=h.corp.local/star@proxy-cache' }, env: { IMGALIAS_HARBOR: 'h.corp.local/env' }, cwd: project.dir }));
    expect(rulesOf(starFlag)).toEqual(['*=h.corp.local/star@proxy-cache  (--mirror)']);

    const configStar = settingsOf(await loadSettings({ flags: {}, env: {}, cwd: project.dir }));
    expect(rulesOf(configStar)).toEqual([`*=h.corp.local/config-star@path  (config: ${project.path('imgalias.config.json')})`]);
  });

  test.each<[string, { flags?: object; env?: Record<string, string>; files?: Record<string, string> }, RegExp]>([
    ['an unknown layout, named with its flag', { flags: { mirror: ['quay.io=h.corp.local/quay@deep'] } }, /^invalid --mirror "quay.io=h.corp.local\/quay@deep": unknown layout "deep"/],
    ['a location without project, from the environment', { env: { IMGALIAS_MIRRORS: 'quay.io=h.corp.local' } }, /^invalid IMGALIAS_MIRRORS "quay.io=h.corp.local" in the environment: location: expected host\[:port\]\/project/],
    ['a scheme, from .env', { files: { '.env': 'IMGALIAS_MIRRORS=quay.io=https://h.corp.local/q\n' } }, /^invalid IMGALIAS_MIRRORS "quay.io=https:\/\/h.corp.local\/q" in .*\.env: location: leave out the scheme/],
    ['the same origin twice on the command line', { flags: { mirror: ['quay.io=h.corp.local/a', 'quay.io=h.corp.local/b'] } }, /^invalid --mirror "quay.io=h.corp.local\/b": quay.io is given twice at this level/],
    ['a * rule beside --harbor at one level', { flags: { harbor: 'h.corp.local/p', mirror: ['*=h.corp.local/q'] } }, /^invalid --mirror "\*=h.corp.local\/q": the \* rule is given twice at this level \(a \* rule and --harbor/],
    ['a config entry, by its path', { files: { 'imgalias.config.yaml': 'mirrors:\n  - quay.io=h.corp.local/q\n  - { origin: quay.io/keycloak, location: h.corp.local/k }\n' } }, /is not a valid imgalias configuration \(1 problem\):\n {2}mirrors\[1\]: the origin "quay.io\/keycloak" has a path/],
    ['a config entry that is neither form', { files: { 'imgalias.config.yaml': 'mirrors:\n  - 42\n' } }, /mirrors\[0\]: expected "ORIGIN=LOCATION\[@LAYOUT\]" or \{ origin, location, layout \}, got 42/],
    ['a config object without location', { files: { 'imgalias.config.yaml': 'mirrors:\n  - { origin: quay.io }\n' } }, /mirrors\[0\]: a mirror rule needs origin and location/],
    ['a config object with an unknown key', { files: { 'imgalias.config.yaml': 'mirrors:\n  - { origin: quay.io, location: h.corp.local/q, flatten: 2 }\n' } }, /mirrors\[0\]\.flatten: unknown key/],
  ])('%s exits 2 naming where it came from', async (_title, { flags = {}, env = {}, files = {} }, message) => {
    project = await createProject(files);
    expect(errorOf(await loadSettings({ flags, env, cwd: project.dir }))).toMatch(message);
  });
});

describe('registries.conf (--mirrors-from)', () => {
  test('each [[registry]] prefix with a mirror is a proxy-cache rule; the rest are notes, never dropped silently', () => {
    const { rules, notes } = registriesConfRules(
      {
        'unqualified-search-registries': ['docker.io'],
        registry: [
          { prefix: 'quay.io', location: 'quay.io', mirror: [{ location: 'harbor.corp.local/quay' }, { location: 'other.corp.local/quay' }] },
          { location: 'docker.io', mirror: [{ location: 'harbor.corp.local/hub', insecure: true }] },
          { prefix: 'registry.example.com:5000', location: 'mirror.corp.local/rewritten' },
          { prefix: 'docker.io/library', location: 'docker.io/library', mirror: [{ location: 'harbor.corp.local/lib' }] },
          { location: 'blocked.example.com', blocked: true },
          { prefix: '*.example.com', location: 'x.example.com', mirror: [{ location: 'harbor.corp.local/x' }] },
          { prefix: 'nvcr.io', location: 'nvcr.io', insecure: true, 'mirror-by-digest-only': true, mirror: [{ location: 'mirror.local:5000' }] },
          { prefix: 'ghcr.io', location: 'ghcr.io' },
        ],
        aliases: { keycloak: 'quay.io/keycloak/keycloak' },
      },
      'registries.conf',
    );
    expect(rules.map(formatMirrorRule)).toEqual([
      'quay.io=harbor.corp.local/quay@proxy-cache',
      'docker.io=harbor.corp.local/hub@proxy-cache',
      'registry.example.com:5000=mirror.corp.local/rewritten@proxy-cache',
    ]);
    expect(notes).toEqual([
      'registries.conf: [aliases]: short-name aliases are not mirror rules; they were not read',
      'registries.conf: [[registry]] #1 (prefix "quay.io"): mirror other.corp.local/quay is not used: a rule has one Harbor location per origin (the first that works)',
      'registries.conf: [[registry]] #2 (prefix "docker.io"): mirror harbor.corp.local/hub: insecure = true is left to the engine',
      'registries.conf: [[registry]] #4 (prefix "docker.io/library"): the prefix is deeper than a registry host; a mirror rule maps a whole registry, so no rule was made',
      'registries.conf: [[registry]] #5 (prefix "blocked.example.com"): blocked = true: imgalias does not block registries (the engine still does); no rule was made',
      'registries.conf: [[registry]] #6 (prefix "*.example.com"): a wildcard prefix matches many registries; a mirror rule names one registry, so no rule was made',
      'registries.conf: [[registry]] #7 (prefix "nvcr.io"): insecure = true is left to the engine; imgalias rules say nothing about TLS',
      'registries.conf: [[registry]] #7 (prefix "nvcr.io"): mirror-by-digest-only = true: Podman uses the mirror only for digests, imgalias pulls the Harbor copy by tag',
      'registries.conf: [[registry]] #7 (prefix "nvcr.io"): mirror mirror.local:5000 cannot be a Harbor location (expected host[:port]/project); skipped',
      'registries.conf: [[registry]] #8 (prefix "ghcr.io"): has no mirror; no rule was made',
    ]);
  });

  test('the v1 format is a note, not rules', () => {
    expect(registriesConfRules({ registries: { search: { registries: ['docker.io'] } } }, 'old.conf')).toEqual({
      rules: [],
      notes: ['old.conf: [registries.*]: the v1 format (registries.search / insecure / block) has no mirrors; it was not read'],
    });
  });

  test('a file that is missing or not TOML exits 2 naming it; a real file is read with smol-toml', async () => {
    project = await createProject({
      'bad.conf': '[[registry]\nprefix = "quay.io"\n',
      'registries.conf': '[[registry]]\nprefix = "quay.io"\nlocation = "quay.io"\n\n[[registry.mirror]]\nlocation = "harbor.corp.local/quay"\n',
    });
    const missing = await readRegistriesConf(project.path('nope.conf'));
    expect(isLeft(missing) && describeConfigError(missing.left)).toMatch(/^cannot read .*nope.conf: no such file \(named by --mirrors-from\)/);
    const bad = await readRegistriesConf(project.path('bad.conf'));
    expect(isLeft(bad) && describeConfigError(bad.left)).toMatch(/^cannot read .*bad.conf: not valid TOML: .* \(named by --mirrors-from\)/);
    const good = await readRegistriesConf(project.path('registries.conf'));
    expect(!isLeft(good) && good.right.rules.map(formatMirrorRule)).toEqual(['quay.io=harbor.corp.local/quay@proxy-cache']);
    // --mirror for the same origin wins over the file.
    const settings = settingsOf(
      await loadSettings({ flags: { mirrorsFrom: 'registries.conf', mirror: ['quay.io=harbor.corp.local/flag@flatten-1'] }, env: {}, cwd: project.dir }),
    );
    expect(rulesOf(settings)).toEqual(['quay.io=harbor.corp.local/flag@flatten-1  (--mirror)']);
  });
});

describe('the policy the settings stand for is made by resolvePolicy', () => {
  test('a * rule that outranks --harbor is the * rule: the policy has no harbor beside it, and resolvePolicy reads it back unchanged', async () => {
    project = await createProject({ 'imgalias.config.yaml': 'mirrors:\n  - { origin: nvcr.io, location: h.corp.local/nvcr, from: staging.corp.local/nv, fromLayout: flatten-all }\n' });
    const settings = settingsOf(
      await loadSettings({ flags: { mirror: '*=h.corp.local/star@proxy-cache', shortNames: true }, env: { IMGALIAS_HARBOR: 'h.corp.local/env' }, cwd: project.dir }),
    );
    // The setting stays (the mode probe asks that Harbor); the policy's * rule is the higher level's.
    expect(settings.harbor?.value).toEqual({ registry: 'h.corp.local', project: 'env' });
    expect(settings.policy).toEqual({
      harborLayout: 'path',
      mirrors: [
        { origin: '*', location: { registry: 'h.corp.local', project: 'star' }, layout: 'proxy-cache' },
        {
          origin: 'nvcr.io',
          location: { registry: 'h.corp.local', project: 'nvcr' },
          layout: 'path',
          staging: { location: { registry: 'staging.corp.local', project: 'nv' }, layout: 'flatten-all' },
        },
      ],
      shortNames: true,
      onConflict: 'report',
      harborTags: false,
    });
    const policy = policyOf(settings, 'internal');
    expect(resolvePolicy(policy)).toEqual({ _tag: 'Right', right: policy });

    const harborOnly = settingsOf(await loadSettings({ flags: { harbor: 'h.corp.local/flag', harborLayout: 'flatten-1' }, env: {}, cwd: project.dir }));
    expect(policyOf(harborOnly, 'external')).toMatchObject({ mode: 'external', harbor: { registry: 'h.corp.local', project: 'flag' }, harborLayout: 'flatten-1' });
    expect(resolvePolicy(policyOf(harborOnly, 'external'))).toEqual({ _tag: 'Right', right: policyOf(harborOnly, 'external') });
  });

  test('a config file\'s bad mirror entries are reported together, each at its path, by the same checks as the --mirror form', async () => {
    project = await createProject({
      'imgalias.config.yaml': [
        'harbor: h.corp.local/all',
        'mirrors:',
        '  - { origin: quay.io, location: h.corp.local/q, fromLayout: path }',
        '  - { origin: nvcr.io, location: h.corp.local/n, from: h.corp.local/n }',
        '  - ghcr.io=h.corp.local/g+from=staging.corp.local/g@deep',
        '  - { origin: "*", location: h.corp.local/star }',
      ].join('\n'),
    });
    expect(errorOf(await loadSettings({ flags: {}, env: {}, cwd: project.dir }))).toBe(
      [
        `${project.path('imgalias.config.yaml')} is not a valid imgalias configuration (4 problems):`,
        '  mirrors[0]: a staging layout without a staging location (write from as well)',
        '  mirrors[1]: the staging source is the Harbor location itself; sync would copy each image onto itself',
        '  mirrors[2]: unknown staging layout "deep" (one of path, proxy-cache, flatten-0, flatten-1, flatten-2, flatten-3, flatten-all, library, flatten)',
        '  mirrors[3]: a second * rule (or one beside harbor); keep one',
        'Nothing was changed. Fix these entries (see docs/configuration.md) and run again.',
      ].join('\n'),
    );
    // The same rule as a flag is refused for the same reason, named by the flag.
    expect(errorOf(await loadSettings({ flags: { config: 'none.json', mirror: 'quay.io=h.corp.local/q' }, env: {}, cwd: project.dir }))).toMatch(/no such file/);
    expect(errorOf(await loadSettings({ flags: { mirror: 'nvcr.io=h.corp.local/n+from=h.corp.local/n' }, env: { IMGALIAS_HARBOR: 'h.corp.local/x' }, cwd: project.dir }))).toMatch(
      /^invalid --mirror "nvcr.io=h.corp.local\/n\+from=h.corp.local\/n": the staging source is the Harbor location itself/,
    );
  });

  test('a value no codec checked (a JavaScript caller\'s) is refused by resolvePolicy, named by its option and level: exit 2', async () => {
    project = await createProject();
    const loaded = await loadSettings({ flags: { shortNames: 'yes' } as unknown as CliFlags, env: {}, cwd: project.dir });
    expect(isLeft(loaded) && loaded.left).toEqual({
      _tag: 'InvalidOption',
      option: '--short-names',
      value: 'yes',
      message: 'expected true or false, got "yes"',
      source: { kind: 'flag', name: '--short-names' },
    });
    expect(errorOf(loaded)).toBe('invalid --short-names "yes": expected true or false, got "yes"\nNothing was changed.');
  });
});
