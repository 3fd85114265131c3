import { describe, expect, it } from '@jest/globals';
import { decode, defaultPolicy, describeSyncFinding, planSync, SyncPlanCodec } from '@imgalias/core';

const harbor = { ...defaultPolicy, harbor: { registry: 'harbor.corp.local', project: 'proj' } };

describe('planSync', () => {
  it('copies each requested family from its origin to its Harbor name, once, sorted by family', () => {
    expect(planSync({ images: ['redis:7', 'harbor.corp.local/proj/redis:7', 'alpine:3.20', 'localhost/alpine:3.20'], policy: harbor })).toEqual({
      version: 1,
      harbor: { registry: 'harbor.corp.local', project: 'proj' },
      entries: [
        { _tag: 'Copy', family: 'docker.io/library/alpine:3.20', source: 'docker.io/library/alpine:3.20', target: 'harbor.corp.local/proj/alpine:3.20' },
        { _tag: 'Copy', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', target: 'harbor.corp.local/proj/redis:7' },
      ],
      findings: [],
    });
  });

  it('names the platforms a --platform copy narrows to, once each; no platforms means every platform and no field', () => {
    expect(planSync({ images: ['redis:7'], policy: harbor, platforms: ['linux/amd64', 'linux/arm64', 'linux/amd64'] }).platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect('platforms' in planSync({ images: ['redis:7'], policy: harbor, platforms: [] })).toBe(false);
  });

  it('reads from the staging registry a mirror rule names, per rule; a too-deep staging layout is a finding', () => {
    const mirrors = [
      { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' as const, staging: { location: { registry: 'staging.corp.local', project: 'import' }, layout: 'flatten-1' as const } },
      { origin: '*', location: { registry: 'harbor.corp.local', project: 'proj' }, layout: 'path' as const, staging: { location: { registry: 'harbor.corp.local', project: 'proj' }, layout: 'proxy-cache' as const } },
      { origin: 'nvcr.io', location: { registry: 'harbor.corp.local', project: 'nvcr' }, layout: 'path' as const, staging: { location: { registry: 'staging.corp.local', project: 'nv' }, layout: 'flatten-3' as const } },
      { origin: 'ghcr.io', location: { registry: 'harbor.corp.local', project: 'gh' }, layout: 'path' as const },
    ];
    const plan = planSync({ images: ['quay.io/keycloak/keycloak:26.0', 'redis:7', 'nvcr.io/nvidia/cuda:12', 'ghcr.io/org/app:1'], policy: { ...defaultPolicy, mirrors } });
    expect(plan.entries).toEqual([
      { _tag: 'Copy', family: 'docker.io/library/redis:7', source: 'harbor.corp.local/proj/library/redis:7', target: 'harbor.corp.local/proj/redis:7' },
      { _tag: 'Copy', family: 'ghcr.io/org/app:1', source: 'ghcr.io/org/app:1', target: 'harbor.corp.local/gh/org/app:1' },
      { _tag: 'Copy', family: 'quay.io/keycloak/keycloak:26.0', source: 'staging.corp.local/import/keycloak:26.0', target: 'harbor.corp.local/quay/keycloak/keycloak:26.0' },
    ]);
    expect(plan.findings).toEqual([{ _tag: 'StagingTooDeep', family: 'nvcr.io/nvidia/cuda:12', rule: mirrors[2], components: 1, level: 3 }]);
    expect(describeSyncFinding(plan.findings[0]!)).toBe(
      'nvcr.io/nvidia/cuda:12 has no name in the staging registry of nvcr.io=harbor.corp.local/nvcr@path+from=staging.corp.local/nv@flatten-3: its layout flatten-3 drops 3 namespace components, the origin has 1; it is not copied.',
    );
    expect(decode(SyncPlanCodec, SyncPlanCodec.encode(plan))).toEqual({ _tag: 'Right', right: plan });
  });

  it('the same in internal mode: the copy always reads the origin', () => {
    expect(planSync({ images: ['redis:7'], policy: { ...harbor, mode: 'internal' } }).entries).toEqual([
      { _tag: 'Copy', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', target: 'harbor.corp.local/proj/redis:7' },
    ]);
  });

  it('reports what it cannot copy: no mirror rule at all, no rule for the registry, a digest, an invalid name', () => {
    expect(planSync({ images: ['redis:7'], policy: defaultPolicy })).toEqual({ version: 1, entries: [], findings: [{ _tag: 'NoHarborConfigured' }] });
    // A rule for quay.io only: a Docker Hub image has no Harbor name.
    const quayOnly = { ...defaultPolicy, mirrors: [{ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' as const }] };
    const plan = planSync({ images: ['redis:7', 'quay.io/keycloak/keycloak:26.0', `redis@sha256:${'a'.repeat(64)}`, 'Bad Name'], policy: quayOnly });
    expect(plan.entries).toEqual([
      { _tag: 'Copy', family: 'quay.io/keycloak/keycloak:26.0', source: 'quay.io/keycloak/keycloak:26.0', target: 'harbor.corp.local/quay/keycloak/keycloak:26.0' },
    ]);
    expect(plan.findings.map((f) => f._tag)).toEqual(['NoHarborCopy', 'DigestReference', 'InvalidRequest']);
  });

  it('keeps the mirror findings that say why an image has no Harbor name, instead of an unexplained NoHarborCopy', () => {
    const harborOnly = { ...defaultPolicy, harbor: { registry: 'harbor.corp.local', project: 'proj' } };
    const ambiguous = planSync({ images: ['keycloak/keycloak:1', 'quay.io/keycloak/keycloak:1'], policy: harborOnly });
    expect(ambiguous.entries).toEqual([]);
    expect(ambiguous.findings).toEqual([
      { _tag: 'AmbiguousMirror', name: 'harbor.corp.local/proj/keycloak/keycloak:1', families: ['docker.io/keycloak/keycloak:1', 'quay.io/keycloak/keycloak:1'] },
    ]);
    const deep = planSync({ images: ['redis:7'], policy: { ...harborOnly, harborLayout: 'flatten-2' as const } });
    expect(deep.findings.map((f) => f._tag)).toEqual(['MirrorTooDeep']);
  });
});

describe('SyncPlanCodec and describeSyncFinding', () => {
  const quayOnly = { ...defaultPolicy, mirrors: [{ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' as const }] };
  const withFindings = planSync({ images: ['redis:7', 'quay.io/keycloak/keycloak:26.0', `redis@sha256:${'a'.repeat(64)}`, 'Bad\u001b[2JName'], policy: quayOnly });

  it('a sync plan encodes to JSON that decodes back to the same plan, with and without a Harbor location and platforms', () => {
    for (const plan of [withFindings, planSync({ images: ['redis:7'], policy: harbor, platforms: ['linux/amd64'] }), planSync({ images: ['redis:7'], policy: defaultPolicy })]) {
      expect(decode(SyncPlanCodec, JSON.parse(JSON.stringify(SyncPlanCodec.encode(plan))))).toEqual({ _tag: 'Right', right: plan });
    }
  });

  it('rejects a finding of another plan kind at its own path', () => {
    const decoded = decode(SyncPlanCodec, { version: 1, entries: [], findings: [{ _tag: 'NotPresent', family: 'x' }] });
    expect(decoded._tag).toBe('Left');
  });

  it('says what is wrong with each image in one printable sentence', () => {
    const sentences = withFindings.findings.map(describeSyncFinding);
    expect(sentences).toEqual([
      'redis:7 has no Harbor name under the current layout or mirror rules; it is not copied.',
      `docker.io/library/redis@sha256:${'a'.repeat(64)} names a digest, not a tag: there is no tag to write in Harbor.`,
      expect.stringMatching(/^invalid image "Bad\\u001b\[2JName": /),
    ]);
    expect(sentences.join('')).not.toContain('\u001b');
    expect(describeSyncFinding({ _tag: 'NoHarborConfigured' })).toMatch(/^no Harbor location is configured: set --harbor HOST\/PROJECT/);
  });
});
