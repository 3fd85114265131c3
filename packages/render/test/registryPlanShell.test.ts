/**
 * The shell format of an alias plan applied to a registry (`fix --registry`, `plan --registry`): one `skopeo copy`
 * per tag from the name's read location to its Harbor name, checked as a golden and run against a fake skopeo
 * that records its argv, hostile names included.
 */
import { describe, expect, test } from '@jest/globals';
import type { Plan, TagAction } from '@imgalias/core';
import { renderRegistryPlanShell } from '@imgalias/render';
import { expectGolden } from './expectGolden.js';
import { runWithFakeEngines } from './fakeEngine.js';

const id = (c: string): string => `sha256:${c.repeat(64)}`;

const tag = (source: string, target: string, imageId: string, extra: Partial<TagAction> = {}): TagAction => ({
  _tag: 'Tag',
  source,
  target,
  imageId,
  family: source,
  role: 'harbor',
  reason: 'missing-name',
  ...extra,
});

// A layout migration inside one Harbor: the origin names are read at their old (proxy-cache) names.
const plan: Plan = {
  version: 1,
  mode: 'internal',
  actions: [
    tag('docker.io/library/redis:7', 'harbor.corp.local/proj/redis:7', id('a')),
    tag('quay.io/keycloak/keycloak:26.0', 'harbor.corp.local/proj/keycloak/keycloak:26.0', id('b')),
    tag('docker.io/library/nginx:1.27', 'harbor.corp.local/proj/nginx:1.27', id('c'), { reason: 'retarget', replaces: id('d') }),
  ],
  findings: [{ _tag: 'Missing', family: 'docker.io/library/alpine:3', lookedFor: ['harbor.corp.local/proj/alpine:3'] }],
};

const locations = new Map([
  ['docker.io/library/redis:7', 'harbor.corp.local/proj/library/redis:7'],
  ['quay.io/keycloak/keycloak:26.0', 'harbor.corp.local/proj/quay.io/keycloak/keycloak:26.0'],
  ['docker.io/library/nginx:1.27', 'harbor.corp.local/proj/library/nginx:1.27'],
]);
const readAt = (name: string): string | undefined => locations.get(name);
const header = { snapshot: 'registry (Harbor names by manifest digest)' };

describe('renderRegistryPlanShell', () => {
  test('golden', () => {
    expectGolden('registry-plan.sh', renderRegistryPlanShell(plan, { readAt, header }));
  });

  test('the script passes sh -n and runs one skopeo copy per tag: read location to Harbor name, every platform, digests kept', () => {
    const run = runWithFakeEngines(renderRegistryPlanShell(plan, { readAt, header }));
    expect(run.syntax).toEqual({ status: 0, stderr: '' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(
      plan.actions.map((a) => ({ command: 'skopeo', args: ['copy', '--all', '--preserve-digests', `docker://${locations.get(a.source)!}`, `docker://${a.target}`] })),
    );
  });

  test('an empty plan runs nothing', () => {
    const script = renderRegistryPlanShell({ ...plan, actions: [], findings: [] }, { readAt });
    expect(script).toContain('# nothing to tag');
    const run = runWithFakeEngines(script);
    expect([run.status, run.calls]).toEqual([0, []]);
  });

  test('hostile names cannot escape their quotes or comments: only the valid copy runs, the others fail the script at the end', () => {
    const hostileLocations = new Map([
      ['docker.io/library/redis:7', 'harbor.corp.local/proj/library/redis:7'],
      ["x'; : > canary-name; '", "x'; : > canary-at; '"],
      ['docker.io/library/nginx:1.27', '$(: > canary-dollar)/nginx:1'],
    ]);
    const hostile: Plan = {
      ...plan,
      actions: [
        tag('docker.io/library/redis:7', 'harbor.corp.local/proj/redis:7', 'sha256:abc\n: > canary-id\n'),
        tag("x'; : > canary-name; '", 'harbor.corp.local/proj/x:1', id('b')),
        tag('docker.io/library/nginx:1.27', 'harbor.corp.local/proj/nginx:1.27', id('c')),
        tag('docker.io/library/redis:7', 'harbor.corp.local/proj/redis:7\n: > canary-target', id('a')),
        tag('docker.io/library/redis:7', `harbor.corp.local/proj/redis@${id('a')}`, id('a')),
        tag('not/read:1', 'harbor.corp.local/proj/unread:1', id('e')),
      ],
      findings: [{ _tag: 'DigestReference', reference: 'redis@sha256:\r\n: > canary-finding' }],
    };
    const script = renderRegistryPlanShell(hostile, { readAt: (name) => hostileLocations.get(name), header: { snapshot: 'snap\n: > canary-header' } });
    const run = runWithFakeEngines(script);
    expect(run.syntax.status).toBe(0);
    expect(run.leftovers).toEqual([]);
    expect(run.calls).toEqual([
      { command: 'skopeo', args: ['copy', '--all', '--preserve-digests', 'docker://harbor.corp.local/proj/library/redis:7', 'docker://harbor.corp.local/proj/redis:7'] },
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('imgalias: 5 copy(ies) not run (see the comments in this script)\n');
    expect(script).toContain('not/read:1 is not a name this registry plan reads');
    for (const line of script.split('\n')) {
      expect(line).toMatch(/^(#.*|set -eu|skopeo copy --all --preserve-digests 'docker:\/\/[^']*' 'docker:\/\/[^']*' {2}#.*|echo '[^']*' >&2|exit 1|)$/);
    }
  });
});
