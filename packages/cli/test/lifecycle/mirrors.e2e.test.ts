/**
 * Images from other registries, end to end on real engines: a quay.io, an nvcr.io and a ghcr.io image beside
 * Docker Hub ones, a registry playing Harbor with a project per upstream registry, and mirror rules saying which
 * (`--mirror` on Docker; Podman's own registries.conf read with `--mirrors-from` on Podman). One host publishes
 * every image to its own rule's location, its local copies are removed (`clean --apply --include-harbor`), then it
 * prefetches in internal mode and `check` exits 0; the registry's access log shows only the Harbor paths the
 * rules give were read. Private engines and the loopback registry come from test-support.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestEngine } from '../../../../test-support/engines.js';
import { createPodmanStore, engineCli, importImage, requireEngine, startDockerd } from '../../../../test-support/engines.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { manifestRequests, requireRegistry } from '../../../../test-support/registry.js';
import { ExitCode } from '../../src/ExitCode.js';
import { tempDir } from '../e2e/support/cli.js';
import { imgalias } from './support.js';

jest.setTimeout(300_000);

const registry = await requireRegistry();
const docker = registry === undefined ? undefined : await requireEngine('docker', startDockerd);
const podman =
  registry === undefined ? undefined : await requireEngine('podman', () => createPodmanStore({ insecureRegistries: [registry.host] }));

const IMAGES = [
  'quay.io/keycloak/keycloak:26.0',
  'nvcr.io/nvidia/pytorch:24.01-py3',
  'ghcr.io/org/tool:1',
  'docker.io/library/redis:7-alpine',
  'docker.io/osixia/openldap:stable',
] as const;

/** Every name in the store, as the engine lists it, fully qualified. */
const namesIn = async (engine: TestEngine): Promise<Set<string>> => {
  const text = await engineCli(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.includes('<none>'))
      .map((name) => (name.split('/')[0]?.includes('.') || name.startsWith('localhost/') ? name : `docker.io/${name.includes('/') ? name : `library/${name}`}`)),
  );
};

interface Scenario {
  readonly title: string;
  readonly engine: TestEngine | undefined;
  /** the rule flags, given the registry */
  readonly rules: (harbor: TestRegistry, dir: string) => Promise<readonly string[]>;
  /** the Harbor name of each image, in IMAGES order */
  readonly harborNames: (host: string) => readonly string[];
}

const scenarios: readonly Scenario[] = [
  {
    title: 'docker, rules from --mirror',
    engine: docker,
    rules: async (harbor) => [
      '--harbor', `${harbor.host}/aihpc`,
      '--mirror', `quay.io=${harbor.host}/quay@proxy-cache`,
      '--mirror', `nvcr.io=${harbor.host}/nvcr@flatten-1`,
    ],
    harborNames: (host) => [
      `${host}/quay/keycloak/keycloak:26.0`,
      `${host}/nvcr/pytorch:24.01-py3`,
      `${host}/aihpc/org/tool:1`,
      `${host}/aihpc/redis:7-alpine`,
      `${host}/aihpc/osixia/openldap:stable`,
    ],
  },
  {
    title: "podman, rules from Podman's registries.conf (--mirrors-from)",
    engine: podman,
    rules: async (harbor, dir) => {
      const file = path.join(dir, 'registries.conf');
      await writeFile(
        file,
        [
          '[[registry]]', 'prefix = "quay.io"', 'location = "quay.io"',
          '[[registry.mirror]]', `location = "${harbor.host}/quay"`, '',
          '[[registry]]', 'prefix = "nvcr.io"', 'location = "nvcr.io"',
          '[[registry.mirror]]', `location = "${harbor.host}/nvcr"`, '',
          '[[registry]]', 'prefix = "ghcr.io"', 'location = "ghcr.io"',
          '[[registry.mirror]]', `location = "${harbor.host}/ghcr"`, '',
          '[[registry]]', 'prefix = "docker.io"', 'location = "docker.io"',
          '[[registry.mirror]]', `location = "${harbor.host}/hub"`, '',
          '[[registry]]', 'location = "blocked.example.com"', 'blocked = true', '',
        ].join('\n'),
      );
      return ['--mirrors-from', file];
    },
    // A registries.conf mirror keeps the path under the prefix: the proxy-cache layout.
    harborNames: (host) => [
      `${host}/quay/keycloak/keycloak:26.0`,
      `${host}/nvcr/nvidia/pytorch:24.01-py3`,
      `${host}/ghcr/org/tool:1`,
      `${host}/hub/library/redis:7-alpine`,
      `${host}/hub/osixia/openldap:stable`,
    ],
  },
];

describe.each(scenarios)('images from other registries: $title', ({ engine, rules, harborNames }) => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  (engine && registry ? test : test.skip)(
    'publish each to its own rule\'s location, remove the local copies, prefetch in internal mode, check exits 0; only Harbor paths are read',
    async () => {
      const store = engine as TestEngine;
      const harbor = registry as TestRegistry;
      const ruleFlags = await rules(harbor, dir);
      const flags = [...ruleFlags, '--engine', store.kind];
      const env = { ...store.env };
      const expected = harborNames(harbor.host);
      const ids = new Map<string, string>();
      for (const image of IMAGES) ids.set(image, await importImage(store, [image]));

      const mode = await imgalias(['mode', '--json', ...ruleFlags], { cwd: dir, env });
      expect([mode.exitCode, mode.stderr]).toEqual([ExitCode.ok, store.kind === 'podman' ? expect.stringMatching(/note: .*blocked = true/) : '']);
      const rulesInForce = (JSON.parse(mode.stdout) as { mirrors?: { origin: string }[] }).mirrors ?? [];
      expect(rulesInForce.map((r) => r.origin).sort()).toEqual(store.kind === 'docker' ? ['*', 'nvcr.io', 'quay.io'] : ['docker.io', 'ghcr.io', 'nvcr.io', 'quay.io']);

      const publish = await imgalias(['publish', ...flags, ...IMAGES], { cwd: dir, env });
      expect([publish.exitCode, publish.stdout]).toEqual([ExitCode.ok, expect.stringMatching(/publish: 5 pushed, 0 skipped, 0 failed/)]);
      const published = await namesIn(store);
      for (const name of expected) expect(published).toContain(name);

      const clean = await imgalias(['clean', '--apply', '--include-harbor', ...flags, ...IMAGES], { cwd: dir, env });
      expect(clean.exitCode).toBe(ExitCode.ok);
      const cleaned = await namesIn(store);
      for (const name of [...IMAGES, ...expected]) expect(cleaned).not.toContain(name);

      const before = (await harbor.requests()).length;
      const prefetch = await imgalias(['prefetch', '--mode', 'internal', ...flags, ...IMAGES], { cwd: dir, env });
      expect([prefetch.exitCode, prefetch.stdout]).toEqual([ExitCode.ok, expect.stringMatching(/prefetch: 5 pulled, 0 present, 0 failed/)]);
      const check = await imgalias(['check', '--mode', 'internal', ...flags, ...IMAGES], { cwd: dir, env });
      expect(check.exitCode).toBe(ExitCode.ok);

      // The same images came back under every name: the origin and the Harbor name, on one id each.
      for (const [i, image] of IMAGES.entries()) {
        const id = (await engineCli(store, ['image', 'inspect', '--format', '{{.Id}}', image])).trim();
        expect(id).toBe((await engineCli(store, ['image', 'inspect', '--format', '{{.Id}}', expected[i] as string])).trim());
      }
      // What the registry was asked for after the local copies were gone: only the Harbor repositories the rules give.
      const read = (await harbor.requests()).slice(before);
      const repositories = new Set(manifestRequests(read).map((r) => /^\/v2\/(.+)\/manifests\//.exec(r.path)?.[1]));
      expect([...repositories].sort()).toEqual(expected.map((name) => name.slice(harbor.host.length + 1).replace(/:[^:/]+$/, '')).sort());
      const projects = new Set(expected.map((name) => name.slice(harbor.host.length + 1).split('/')[0]));
      for (const request of read.filter((r) => r.path !== '/v2/')) {
        expect(projects.has(request.path.split('/')[2] ?? '')).toBe(true);
      }
    },
  );
});
