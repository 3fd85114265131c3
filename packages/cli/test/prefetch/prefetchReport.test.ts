/**
 * The pure parts of `imgalias prefetch`: how pull events read, how the report reads in each format, and when a
 * run counts as clean. The engine-backed runs are in ../lifecycle/.
 */
import { describe, expect, test } from '@jest/globals';
import type { ApplyReport, Plan, PullCandidate, PullPlan, PullResult } from '@imgalias/core';
import { decode, defaultPolicy, PullPlanCodec } from '@imgalias/core';
import { prefetchSucceeded, renderPrefetchReport } from '../../src/commands/prefetch/PrefetchReport.js';
import type { PrefetchOutcome } from '../../src/commands/prefetch/PrefetchReport.js';
import { progressLine } from '../../src/commands/prefetch/PullProgress.js';

const ID = `sha256:${'2'.repeat(64)}`;
const origin: PullCandidate = { source: 'origin', reference: 'docker.io/library/redis:7', registry: 'docker.io', reason: 'external-origin' };
const harbor: PullCandidate = { source: 'harbor', reference: 'harbor.corp.local/proj/redis:7', registry: 'harbor.corp.local', reason: 'external-harbor-fallback' };
const engineError = { _tag: 'Engine', error: { _tag: 'CommandFailed', engine: 'docker', args: ['pull', 'redis:7'], exitCode: 1, message: 'manifest unknown' } } as const;

const plan: PullPlan = {
  version: 1,
  mode: 'external',
  entries: [
    { _tag: 'Present', family: 'docker.io/library/alpine:3', name: 'localhost/alpine:3', imageId: ID },
    { _tag: 'Pull', family: 'docker.io/library/redis:7', lookedFor: ['docker.io/library/redis:7'], candidates: [origin, harbor] },
  ],
  findings: [],
};
const pulled: PullResult = { _tag: 'Pulled', family: 'docker.io/library/redis:7', candidate: harbor, attempts: 2, tried: [{ candidate: origin, attempts: 3, error: engineError, permanent: false }] };
const aliasPlan: Plan = { version: 1, mode: 'external', actions: [], findings: [] };
const aliases: ApplyReport = { results: [], after: { version: 1, images: [] }, verified: true, interrupted: false, mismatches: [] };
const outcome: PrefetchOutcome = { plan, pulls: [pulled], aliasPlan, aliases };
const options = { color: false, snapshot: 'docker', policy: defaultPolicy } as const;

describe('progressLine', () => {
  test('a first attempt and a success are shown; later attempts only as retries', () => {
    expect(progressLine({ _tag: 'Attempt', family: origin.reference, candidate: origin, attempt: 1 }, 3)).toBe('pulling redis:7 for redis:7');
    expect(progressLine({ _tag: 'Attempt', family: origin.reference, candidate: origin, attempt: 2 }, 3)).toBeUndefined();
    expect(progressLine({ _tag: 'Retry', family: origin.reference, candidate: origin, attempt: 2, delayMs: 1500, error: engineError }, 3)).toMatch(
      /^attempt 2\/3 of redis:7 failed; retrying in 1\.5 s: /,
    );
    expect(progressLine({ _tag: 'GiveUp', family: origin.reference, failure: { candidate: origin, attempts: 1, error: engineError, permanent: true } }, 3)).toMatch(
      /^gave up on redis:7 after 1 attempt \(permanent error, not retried\): /,
    );
    expect(progressLine({ _tag: 'Done', result: pulled }, 3)).toBe('pulled harbor.corp.local/proj/redis:7');
    expect(progressLine({ _tag: 'Done', result: { _tag: 'PullFailed', family: origin.reference, tried: [] } }, 3)).toBeUndefined();
  });
});

describe('renderPrefetchReport', () => {
  test('text: each pull, the aliasing report, then the summary line', () => {
    const lines = renderPrefetchReport(outcome, { ...options, format: 'text' }).split('\n');
    expect(lines[0]).toBe('pulled redis:7 from harbor.corp.local/proj/redis:7 (attempt 2, after 1 other candidate)');
    expect(lines.at(-2)).toBe('prefetch: 1 pulled, 1 present, 0 failed');
  });

  test('markdown: a heading and a list, a failed pull with each candidate tried nested under it', () => {
    const failed: PullResult = { _tag: 'PullFailed', family: 'docker.io/library/redis:7', tried: [{ candidate: origin, attempts: 3, error: engineError, permanent: false }] };
    const markdown = renderPrefetchReport({ ...outcome, pulls: [failed], platform: { wanted: 'linux/arm64', mismatches: [{ family: 'docker.io/library/alpine:3', imageId: ID, platform: 'linux/amd64', wanted: 'linux/arm64' }] } }, { ...options, format: 'markdown' });
    expect(markdown).toMatch(/^### imgalias prefetch \(external mode\)\n\n- failed redis:7:\n {2}- redis:7: 3 attempts: /);
    expect(markdown).toContain('- platform: alpine:3 is built for linux/amd64, not linux/arm64 (image sha256:222222222222)');
    expect(markdown.trimEnd().split('\n').at(-1)).toBe('prefetch: 0 pulled, 1 present, 1 failed, 1 wrong platform');
  });

  test('json: the plan in its codec form, the pulls, and the aliases as apply --json prints them', () => {
    const report = JSON.parse(renderPrefetchReport(outcome, { ...options, format: 'json' })) as { version: number; plan: unknown; pulls: unknown; aliases: { verified: boolean } };
    expect(report.version).toBe(1);
    expect(decode(PullPlanCodec, report.plan)).toEqual({ _tag: 'Right', right: plan });
    expect(report.pulls).toEqual([pulled]);
    expect(report.aliases.verified).toBe(true);
  });
});

describe('renderPrefetchReport of an interrupted run', () => {
  const cancelled: PullResult = {
    _tag: 'PullFailed',
    family: 'docker.io/library/nginx:1',
    tried: [{ candidate: { ...harbor, reference: 'harbor.corp.local/proj/nginx:1' }, attempts: 1, error: { _tag: 'Engine', error: { _tag: 'Cancelled', engine: 'docker', args: ['pull', 'x'] } }, permanent: false }],
  };
  const notStarted: PullResult = { _tag: 'NotStarted', family: 'docker.io/library/busybox:1' };
  // Interrupted while pulling: no alias was planned or made.
  const interrupted: PrefetchOutcome = { plan, pulls: [pulled, cancelled, notStarted] };

  test('text: what was pulled, what was cancelled while running, what never started; no alias report', () => {
    const lines = renderPrefetchReport(interrupted, { ...options, format: 'text' }).trimEnd().split('\n');
    expect(lines).toEqual([
      'pulled redis:7 from harbor.corp.local/proj/redis:7 (attempt 2, after 1 other candidate)',
      'cancelled nginx:1: the pull from harbor.corp.local/proj/nginx:1 was cancelled by the interrupt; it may or may not have finished',
      'not started busybox:1: interrupted',
      'aliases: none made: interrupted before aliasing',
      'prefetch: 1 pulled, 1 present, 0 failed, 1 cancelled, 1 not started',
    ]);
  });

  test('json: interrupted instead of aliases; such a run never counts as clean', () => {
    const report = JSON.parse(renderPrefetchReport(interrupted, { ...options, format: 'json' })) as Record<string, unknown>;
    expect(report['interrupted']).toBe(true);
    expect(report).not.toHaveProperty('aliases');
    expect(prefetchSucceeded(interrupted)).toBe(false);
    expect(prefetchSucceeded({ ...outcome, pulls: [pulled, notStarted] })).toBe(false);
  });
});

describe('prefetchSucceeded', () => {
  test('only when every pull and alias worked and nothing was found', () => {
    expect(prefetchSucceeded(outcome)).toBe(true);
    expect(prefetchSucceeded({ ...outcome, pulls: [{ _tag: 'PullFailed', family: origin.reference, tried: [] }] })).toBe(false);
    expect(prefetchSucceeded({ ...outcome, aliases: { ...aliases, verified: false } })).toBe(false);
    expect(prefetchSucceeded({ ...outcome, plan: { ...plan, findings: [{ _tag: 'InvalidMirror', mirror: 'x', reason: 'y' }] } })).toBe(false);
    expect(prefetchSucceeded({ ...outcome, platform: { wanted: 'linux/arm64', mismatches: [{ family: 'f', imageId: ID, platform: 'linux/amd64', wanted: 'linux/arm64' }] } })).toBe(false);
  });
});
