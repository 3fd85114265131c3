/**
 * The lifecycle plans (prefetch's pull plan, publish, clean, sync) in every format: goldens per kind and format,
 * JSON that decodes back through core's lifecycle codecs, shell scripts run with `sh -n` and fake engines, and
 * hostile names that must neither escape a quote nor reach a terminal as control characters.
 */
import { describe, expect, test } from '@jest/globals';
import { CleanPlanCodec, decode, PublishPlanCodec, PullPlanCodec, SyncPlanCodec } from '@imgalias/core';
import { spellReference } from '@imgalias/core/internal';
import type { CleanPlan, EngineKind, PublishPlan, PullPlan, SyncPlan } from '@imgalias/core';
import type { PlanFormat, RenderLifecyclePlanOptions } from '@imgalias/render';
import { describePublishDestination, renderCleanPlan, renderPublishPlan, renderPullPlan, renderSyncPlan } from '@imgalias/render';
import { expectGolden } from './expectGolden.js';
import { runWithFakeEngines } from './fakeEngine.js';
import { cleanPlan, publishPlan, pullPlan, syncPlan } from './lifecycleScenario.js';

const header = { snapshot: 'snapshot.json' };
const FORMATS: readonly PlanFormat[] = ['text', 'json', 'markdown', 'shell'];
const EXTENSION: Record<PlanFormat, string> = { text: 'txt', json: 'json', markdown: 'md', shell: 'sh' };

const KINDS = [
  ['pull', (options: RenderLifecyclePlanOptions) => renderPullPlan(pullPlan, options)],
  ['publish', (options: RenderLifecyclePlanOptions) => renderPublishPlan(publishPlan, options)],
  ['clean', (options: RenderLifecyclePlanOptions) => renderCleanPlan(cleanPlan, options)],
  ['sync', (options: RenderLifecyclePlanOptions) => renderSyncPlan(syncPlan, options)],
] as const;

describe('goldens: every lifecycle plan kind in every format', () => {
  describe.each(KINDS)('%s', (kind, render) => {
    test.each(FORMATS)('%s', (format) => expectGolden(`${kind}-plan.${EXTENSION[format]}`, render({ format, header })));
    test('shell for podman spells names fully qualified', () => {
      const script = render({ format: 'shell', engine: 'podman', header });
      if (kind === 'sync') expect(script).toBe(render({ format: 'shell', header }));
      else expectGolden(`${kind}-plan.podman.sh`, script);
    });
  });
});

describe('JSON is the core lifecycle codec form and decodes back to the plan', () => {
  test('pull', () => expect(decode(PullPlanCodec, JSON.parse(renderPullPlan(pullPlan, { format: 'json' })))).toEqual({ _tag: 'Right', right: pullPlan }));
  test('publish', () =>
    expect(decode(PublishPlanCodec, JSON.parse(renderPublishPlan(publishPlan, { format: 'json' })))).toEqual({ _tag: 'Right', right: publishPlan }));
  test('clean', () => expect(decode(CleanPlanCodec, JSON.parse(renderCleanPlan(cleanPlan, { format: 'json' })))).toEqual({ _tag: 'Right', right: cleanPlan }));
  test('sync', () => expect(decode(SyncPlanCodec, JSON.parse(renderSyncPlan(syncPlan, { format: 'json' })))).toEqual({ _tag: 'Right', right: syncPlan }));
  test('2-space indented and newline-terminated, like the alias plan', () => {
    expect(renderCleanPlan(cleanPlan, { format: 'json' })).toBe(`${JSON.stringify(CleanPlanCodec.encode(cleanPlan), null, 2)}\n`);
  });
});

const spell = (name: string, engine: EngineKind): string => spellReference(name, engine);

describe('the pull script tries each image\'s candidates in order and stops at an image none of them gives', () => {
  const pulls = pullPlan.entries.flatMap((e) => (e._tag === 'Pull' ? [e] : []));

  test.each(['docker', 'podman', 'nerdctl'] as const)('%s: every origin answers, so only origins are pulled', (engine) => {
    const run = runWithFakeEngines(renderPullPlan(pullPlan, { format: 'shell', engine }));
    expect(run.syntax).toEqual({ status: 0, stderr: '' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(pulls.map((e) => ({ command: engine, args: ['pull', spell(e.candidates[0]!.reference, engine)] })));
  });

  test('an origin that fails falls back to the mirror, whose name is then tagged as the origin', () => {
    const [ldap] = pulls;
    const [origin, mirror] = ldap!.candidates;
    const run = runWithFakeEngines(renderPullPlan(pullPlan, { format: 'shell' }), { failOn: [spell(origin!.reference, 'docker')] });
    expect(run.status).toBe(0);
    expect(run.calls.slice(0, 3)).toEqual([
      { command: 'docker', args: ['pull', 'osixia/phpldapadmin:0.9.0'] },
      { command: 'docker', args: ['pull', spell(mirror!.reference, 'docker')] },
      { command: 'docker', args: ['tag', spell(mirror!.reference, 'docker'), 'osixia/phpldapadmin:0.9.0'] },
    ]);
  });

  test('an image no candidate gives stops the script with exit 1, naming it; later images are not pulled', () => {
    const ldap = pulls[0]!;
    const run = runWithFakeEngines(renderPullPlan(pullPlan, { format: 'shell' }), { failOn: ldap.candidates.map((c) => spell(c.reference, 'docker')) });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('prefetch: could not pull osixia/phpldapadmin:0.9.0\n');
    expect(run.calls.map((c) => c.args[1])).toEqual(ldap.candidates.map((c) => spell(c.reference, 'docker')));
  });

  test('nothing to pull is a script that runs nothing', () => {
    const present: PullPlan = { ...pullPlan, entries: pullPlan.entries.filter((e) => e._tag === 'Present'), findings: [] };
    const script = renderPullPlan(present, { format: 'shell' });
    expect(script).toContain('\n# nothing to pull\n');
    expect(runWithFakeEngines(script)).toMatchObject({ status: 0, calls: [] });
  });
});

describe('the publish, clean and sync scripts run exactly the planned commands', () => {
  test.each(['docker', 'podman'] as const)('publish for %s: tag where the plan tags, then push every Harbor name', (engine) => {
    const run = runWithFakeEngines(renderPublishPlan(publishPlan, { format: 'shell', engine }));
    expect(run.syntax.status).toBe(0);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(
      publishPlan.entries.flatMap((e) => [
        ...(e.tag === undefined ? [] : [{ command: engine, args: ['tag', spell(e.source, engine), spell(e.target, engine)] }]),
        { command: engine, args: ['push', spell(e.target, engine)] },
      ]),
    );
  });

  test('publish: a failing push stops the script', () => {
    const run = runWithFakeEngines(renderPublishPlan(publishPlan, { format: 'shell' }), { failOn: ['harbor.corp.local/proj/redis:7-alpine'] });
    expect(run.status).toBe(1);
    expect(run.calls).toHaveLength(1);
  });

  test.each(['docker', 'podman', 'nerdctl'] as const)('clean for %s: one `image rm` per name, never an id', (engine) => {
    const run = runWithFakeEngines(renderCleanPlan(cleanPlan, { format: 'shell', engine }));
    expect(run.syntax.status).toBe(0);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(cleanPlan.actions.map((a) => ({ command: engine, args: ['image', 'rm', spell(a.name, engine)] })));
  });

  test('sync: one skopeo copy per entry, every platform, digests kept', () => {
    const run = runWithFakeEngines(renderSyncPlan(syncPlan, { format: 'shell' }));
    expect(run.syntax.status).toBe(0);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(
      syncPlan.entries.map((e) => ({ command: 'skopeo', args: ['copy', '--all', '--preserve-digests', `docker://${e.source}`, `docker://${e.target}`] })),
    );
  });

  test('sync with --platform: one platform is given to skopeo, several copy every platform with a warning', () => {
    const one = runWithFakeEngines(renderSyncPlan({ ...syncPlan, platforms: ['linux/arm64/v8'] }, { format: 'shell' }));
    expect(one.status).toBe(0);
    expect(one.calls[0]).toEqual({
      command: 'skopeo',
      args: ['copy', '--override-os', 'linux', '--override-arch', 'arm64', '--override-variant', 'v8', '--preserve-digests', `docker://${syncPlan.entries[0]!.source}`, `docker://${syncPlan.entries[0]!.target}`],
    });
    const several = renderSyncPlan({ ...syncPlan, platforms: ['linux/amd64', 'linux/arm64'] }, { format: 'shell' });
    expect(several).toContain('skopeo cannot copy a subset of an index, so these lines copy every platform');
    expect(runWithFakeEngines(several).calls[0]!.args.slice(0, 3)).toEqual(['copy', '--all', '--preserve-digests']);
    expect(renderSyncPlan({ ...syncPlan, platforms: ['linux/amd64'] }, { format: 'text' }).split('\n')[1]).toBe(
      "platform linux/amd64 only: a multi-arch image is written as that platform's own image manifest (the digest it has in the origin's index)",
    );
    expect(renderSyncPlan({ ...syncPlan, platforms: ['linux/amd64', 'linux/arm64'] }, { format: 'markdown' })).toContain(
      '\nCopies platforms linux/amd64, linux/arm64 only: a multi-arch image is written as an index of just these platforms',
    );
  });

  test('empty plans say so in every format', () => {
    const noPublish: PublishPlan = { version: 1, entries: [], findings: [] };
    const noClean: CleanPlan = { version: 1, actions: [], kept: [], refusals: [], findings: [] };
    const noSync: SyncPlan = { version: 1, entries: [], findings: [{ _tag: 'NoHarborConfigured' }] };
    expect(renderPublishPlan(noPublish, { format: 'shell' })).toContain('\n# nothing to publish\n');
    expect(renderCleanPlan(noClean, { format: 'shell' })).toContain('\n# nothing to untag\n');
    expect(runWithFakeEngines(renderSyncPlan(noSync, { format: 'shell' }))).toMatchObject({ status: 0, calls: [] });
    expect(renderSyncPlan(noSync, { format: 'text' })).toBe(
      'sync plan to (no Harbor configured): 0 to copy unless already there, 1 finding\nfindings:\n  - no Harbor location is configured: set --harbor HOST/PROJECT (or IMGALIAS_HARBOR, or harbor in the config file).\n',
    );
    expect(describePublishDestination(noPublish)).toBe("(the mirror rules' locations)");
  });
});

// Names a hand-edited or hostile plan file could hold: none parses as a reference except where noted.
const CANARY = "x'; : > canary-quote; '";
const NEWLINE = 'harbor.corp.local/proj/a:1\n: > canary-newline';
const DOLLAR = '$(: > canary-dollar)';
const ESC = 'evil\u001b]0;pwned\u0007:1';
const PIPE = 'a|b<i>*x*</i>';
const DIGEST = `harbor.corp.local/proj/redis@sha256:${'c'.repeat(64)}`;

const hostilePull: PullPlan = {
  version: 1,
  mode: 'external',
  entries: [
    { _tag: 'Present', family: ESC, name: PIPE, imageId: 'sha256:abc\n: > canary-id' },
    {
      _tag: 'Pull',
      family: NEWLINE,
      lookedFor: [],
      candidates: [
        { source: 'origin', reference: CANARY, registry: 'reg|istry', reason: 'external-origin' },
        { source: 'mirror', reference: 'mirror.corp/hub/a:1', registry: 'mirror.corp', tagAs: DOLLAR, reason: 'external-mirror' },
        { source: 'harbor', reference: 'harbor.corp.local/proj/a:1', registry: 'harbor.corp.local', reason: 'external-harbor-fallback' },
      ],
    },
  ],
  findings: [{ _tag: 'InvalidMirror', mirror: `m\n: > canary-finding ${ESC}`, reason: 'expected host[:port]/project' }],
};

const hostilePublish: PublishPlan = {
  version: 1,
  entries: [
    { _tag: 'Publish', family: 'docker.io/library/a:1', source: CANARY, imageId: 'sha256:1', target: 'harbor.corp.local/proj/a:1', tag: { _tag: 'Tag', source: CANARY, target: 'harbor.corp.local/proj/a:1', imageId: 'sha256:1', family: 'docker.io/library/a:1', role: 'harbor', reason: 'missing-name' } },
    { _tag: 'Publish', family: 'docker.io/library/b:1', source: 'b:1', imageId: 'sha256:2', target: DIGEST },
    { _tag: 'Publish', family: ESC, source: 'c:1', imageId: 'sha256:3', target: 'harbor.corp.local/proj/c:1' },
  ],
  findings: [{ _tag: 'NoHarborCopy', family: NEWLINE }],
};

const hostileClean: CleanPlan = {
  version: 1,
  actions: [
    { _tag: 'Untag', name: DOLLAR, imageId: 'sha256:1', family: PIPE, role: 'origin' },
    { _tag: 'Untag', name: 'localhost/ok:1', imageId: 'sha256:2\u001b[2J', family: ESC, role: 'localhost' },
    { _tag: 'Untag', name: DIGEST, imageId: 'sha256:3', family: 'x', role: 'origin' },
  ],
  kept: [{ family: ESC, name: NEWLINE, imageId: 'sha256:4', reason: 'harbor-copy' }],
  refusals: [{ _tag: 'InUse', family: NEWLINE, imageId: 'sha256:5', containers: [{ id: 'c1', imageId: 'sha256:5', name: `web\n: > canary-container ${ESC}` }] }],
  findings: [{ _tag: 'NotPresent', family: PIPE }],
};

const hostileSync: SyncPlan = {
  version: 1,
  entries: [
    { _tag: 'Copy', family: ESC, source: CANARY, target: 'harbor.corp.local/proj/a:1' },
    { _tag: 'Copy', family: 'docker.io/library/b:1', source: 'docker.io/library/b:1', target: DOLLAR },
    { _tag: 'Copy', family: 'docker.io/library/c:1', source: 'docker.io/library/c:1', target: 'harbor.corp.local/proj/c:1' },
  ],
  findings: [{ _tag: 'DigestReference', reference: `${DIGEST}\n: > canary-digest` }],
};

const HOSTILE = [
  ['pull', (format: PlanFormat) => renderPullPlan(hostilePull, { format, header: { snapshot: 'snap\n: > canary-header' } })],
  ['publish', (format: PlanFormat) => renderPublishPlan(hostilePublish, { format, header: { snapshot: 'snap\n: > canary-header' } })],
  ['clean', (format: PlanFormat) => renderCleanPlan(hostileClean, { format, header: { snapshot: 'snap\n: > canary-header' } })],
  ['sync', (format: PlanFormat) => renderSyncPlan(hostileSync, { format })],
] as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe.each(HOSTILE)('hostile names in a %s plan', (kind, render) => {
  test('shell: passes sh -n, creates no file, runs only commands whose every name parsed, then exits 1', () => {
    const script = render('shell');
    const run = runWithFakeEngines(script);
    expect(run.syntax).toEqual({ status: 0, stderr: '' });
    expect(run.leftovers).toEqual([]);
    expect(CONTROL.test(script)).toBe(false);
    const words = run.calls.flatMap((call) => call.args);
    for (const bad of [CANARY, DOLLAR, NEWLINE, DIGEST]) expect(words).not.toContain(bad);
    // Every line is a comment, blank, or a command this package writes with single-quoted arguments.
    for (const line of script.split('\n')) {
      expect(line).toMatch(/^(#.*|set -eu|(docker|skopeo) [a-z -]+( '[^']*')+|\{ docker pull '[^']*' && docker tag '[^']*' '[^']*'; \} \|\||docker pull '[^']*' \|\||\s*\{ echo '[^']*' >&2; exit 1; \}|echo '[^']*' >&2|exit 1|)$/);
    }
    if (kind === 'pull') {
      // The candidate with a bad name is left out; the script falls through to the one that parses.
      expect(run.calls).toEqual([{ command: 'docker', args: ['pull', 'harbor.corp.local/proj/a:1'] }]);
      expect(run.status).toBe(0);
    } else {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^imgalias: 2 [a-z()]+ not run \(see the comments in this script\)\n$/);
    }
  });

  test('text: no control character reaches the terminal, one line per line written', () => {
    const text = render('text');
    expect(CONTROL.test(text)).toBe(false);
    expect(text).not.toMatch(/^: >/m);
  });

  test('markdown: no raw control character, pipe or tag from a name', () => {
    const markdown = render('markdown');
    expect(CONTROL.test(markdown)).toBe(false);
    expect(markdown).not.toMatch(/^: >/m);
    // Inside a code span `<i>` is literal; outside one it would be HTML.
    expect(markdown.replace(/`[^`]*`/g, '')).not.toMatch(/(?<!\\)<i>/);
    for (const row of markdown.split('\n').filter((line) => line.startsWith('| '))) {
      // Every unescaped pipe is a cell border: rows have as many cells as the header.
      expect(row.replace(/\\\|/g, '').split('|').length).toBe(markdown.split('\n').find((l) => l.startsWith('| '))!.split('|').length);
    }
  });

  test('json: decodes back to the same plan, hostile names and all', () => {
    const json = render('json');
    const codec = { pull: PullPlanCodec, publish: PublishPlanCodec, clean: CleanPlanCodec, sync: SyncPlanCodec }[kind];
    const plan = { pull: hostilePull, publish: hostilePublish, clean: hostileClean, sync: hostileSync }[kind];
    expect(decode(codec as typeof PullPlanCodec, JSON.parse(json))).toEqual({ _tag: 'Right', right: plan });
  });
});
