import { describe, expect, test } from '@jest/globals';
import type { ApplyReport, Plan, TagAction } from '@imgalias/core';
import { renderApplyReport, renderPlan } from '@imgalias/render';

/** `count` distinct actions, as a store with that many images missing their `localhost/` twin would plan. */
const actions = (count: number): TagAction[] =>
  Array.from({ length: count }, (_, i) => ({
    _tag: 'Tag',
    source: `docker.io/library/app${i}:1`,
    target: `localhost/app${i}:1`,
    imageId: `sha256:${i.toString(16).padStart(12, '0').padEnd(64, '0')}`,
    family: `docker.io/library/app${i}:1`,
    role: 'localhost',
    reason: 'missing-name',
  }));

describe('text output of very large plans', () => {
  // Before the fix, the column width was Math.max(...widths): a RangeError above about 110k actions, after the
  // tags had been applied, with stdout empty.
  const plan: Plan = { version: 1, mode: 'external', actions: actions(1_000_000), findings: [] };

  test('a 1M-action plan renders as text, one line per action, widest source setting the column', () => {
    const text = renderPlan(plan, { format: 'text' });
    const lines = text.split('\n');
    expect(lines).toHaveLength(1_000_000 + 3);
    expect(lines[0]).toBe('tag       app0:1      -> localhost/app0:1  (sha256:000000000000, missing name)');
    expect(lines[999_999]).toBe('tag       app999999:1 -> localhost/app999999:1  (sha256:0000000f423f, missing name)');
    expect(lines[1_000_001]).toBe('1000000 to tag, 0 conflicts, 0 missing');
  }, 120_000);

  test('the apply report of a 200k-action plan renders too (well past the old limit)', () => {
    const applied = plan.actions.slice(0, 200_000);
    const report: ApplyReport = { results: applied.map((action) => ({ _tag: 'Applied', action })), after: { version: 1, images: [] }, verified: true, mismatches: [], interrupted: false };
    const lines = renderApplyReport(report, { format: 'text', plan: { ...plan, actions: applied } }).split('\n');
    expect(lines[199_999]).toBe('tagged    app199999:1 -> localhost/app199999:1  (sha256:000000030d3f)');
    expect(lines).toContain('verified: every planned name now points at its planned image');
  }, 120_000);
});
