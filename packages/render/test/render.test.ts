import { describe, expect, test } from '@jest/globals';
import { PlanCodec } from '@imgalias/core';
import type { Plan } from '@imgalias/core';
import { renderApplyReport, renderPlan } from '@imgalias/render';
import { describePolicy } from '../src/Labels.js';
import { expectGolden } from './expectGolden.js';
import { applyReport, header, plan } from '../../../test-support/fieldScenario.js';

const ESC = '\u001b';

describe('renderPlan goldens (field scenario)', () => {
  test('text', () => expectGolden('plan.txt', renderPlan(plan, { format: 'text' })));
  test('text with colour', () => expectGolden('plan.color.txt', renderPlan(plan, { format: 'text', color: true })));
  test('json', () => expectGolden('plan.json', renderPlan(plan, { format: 'json' })));
  test('markdown', () => expectGolden('plan.md', renderPlan(plan, { format: 'markdown', header })));
  test('shell for docker', () => expectGolden('plan.docker.sh', renderPlan(plan, { format: 'shell', header })));
  test('shell for podman', () =>
    expectGolden('plan.podman.sh', renderPlan(plan, { format: 'shell', engine: 'podman', header })));
});

describe('renderApplyReport goldens', () => {
  test('text', () => expectGolden('apply-report.txt', renderApplyReport(applyReport, { format: 'text', plan })));
  test('json', () => expectGolden('apply-report.json', renderApplyReport(applyReport, { format: 'json', plan })));
  test('markdown', () =>
    expectGolden('apply-report.md', renderApplyReport(applyReport, { format: 'markdown', plan, header })));
});

describe('renderPlan', () => {
  test('json is the core codec output, 2-space indented, newline-terminated, and decodes back to the plan', () => {
    const json = renderPlan(plan, { format: 'json' });
    expect(json).toBe(`${JSON.stringify(PlanCodec.encode(plan), null, 2)}\n`);
    const decoded = PlanCodec.decode(JSON.parse(json));
    expect(decoded).toEqual({ _tag: 'Right', right: plan });
  });

  test('text uses colour only when asked, and the colourless text is the coloured text minus escapes', () => {
    const plain = renderPlan(plan, { format: 'text' });
    const colored = renderPlan(plan, { format: 'text', color: true });
    expect(plain).not.toContain(ESC);
    expect(colored).toContain(`${ESC}[`);
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  test('text shows familiar names, short ids and the reason on one line per action', () => {
    const lines = renderPlan(plan, { format: 'text' }).split('\n');
    expect(lines[0]).toBe(
      'tag       localhost/redis:7-alpine            -> redis:7-alpine  (sha256:34fb46c847bb, missing name)',
    );
    // Sources are padded to the widest one, so every arrow is in the same column.
    const arrows = lines.filter((line) => line.startsWith('tag ')).map((line) => line.indexOf(' -> '));
    expect(new Set(arrows).size).toBe(1);
    expect(lines.at(-2)).toBe('6 to tag, 1 conflict, 1 missing, 1 invalid name');
  });

  test('an empty plan says there is nothing to do in every format', () => {
    const empty: Plan = { version: 1, mode: 'external', actions: [], findings: [] };
    expect(renderPlan(empty, { format: 'text' })).toBe('nothing to do\n\n0 to tag, 0 conflicts, 0 missing\n');
    expect(renderPlan(empty, { format: 'markdown' })).toContain('Nothing to tag.');
    expect(renderPlan(empty, { format: 'shell' })).toContain('\n# nothing to tag\n');
  });

  test('a retarget shows the image it replaces', () => {
    const retarget: Plan = {
      ...plan,
      actions: [{ ...plan.actions[0]!, reason: 'retarget', replaces: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      findings: [],
    };
    expect(renderPlan(retarget, { format: 'text' })).toContain('(sha256:34fb46c847bb, retarget, replaces sha256:0123456789ab)');
    expect(renderPlan(retarget, { format: 'markdown' })).toContain('| retarget, replaces sha256:0123456789ab |');
  });

  test('rendering is deterministic: the same plan gives byte-identical output', () => {
    for (const format of ['text', 'json', 'markdown', 'shell'] as const) {
      expect(renderPlan(plan, { format, header })).toBe(renderPlan(structuredClone(plan), { format, header }));
    }
  });

  test('text never passes terminal control characters from plan data through', () => {
    const hostile: Plan = {
      ...plan,
      actions: [{ ...plan.actions[0]!, source: 'evil\u001b[2J\u001b]0;pwned\u0007\nname', imageId: 'x\ry' }],
      findings: [],
      harborNames: [
        { family: 'bad\u001b[2Jfamily', name: 'bad\nharbor', rule: { origin: '*\u0007', location: { registry: 'h.local', project: 'p\r' }, layout: 'path' } },
      ],
    };
    const text = renderPlan(hostile, { format: 'text' });
    for (const control of [ESC, '\u0007', '\r']) expect(text).not.toContain(control);
    expect(text).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07\\x0aname');
    expect(text).toContain('bad\\x0aharbor  for bad\\x1b[2Jfamily, rule *\\x07=h.local/p\\x0d@path');
    // the action, a blank line, the Harbor name line, a blank line, the summary, the final newline
    expect(text.split('\n')).toHaveLength(6);
  });
});

describe('labels', () => {
  const everyFinding: Plan = {
    version: 1,
    mode: 'external',
    actions: [],
    findings: [
      plan.findings[0]!,
      plan.findings[1]!,
      { _tag: 'DigestReference', reference: 'docker.io/library/redis@sha256:' + 'a'.repeat(64) },
      { _tag: 'InvalidRequest', input: 'Redis', error: { _tag: 'NameContainsUppercase', input: 'Redis' } },
      plan.findings[2]!,
    ],
  };

  test('every finding kind is labelled in text, Markdown and shell, and counted in the summary', () => {
    const text = renderPlan(everyFinding, { format: 'text' }).split('\n');
    expect(text.slice(0, 5).map((line) => line.slice(0, 10).trimEnd())).toEqual(['conflict', 'missing', 'digest', 'invalid', 'invalid']);
    expect(text.at(-2)).toBe('0 to tag, 1 conflict, 1 missing, 2 invalid names, 1 digest reference');
    const markdown = renderPlan(everyFinding, { format: 'markdown' });
    for (const kind of ['conflict', 'missing', 'digest reference', 'invalid request', 'invalid snapshot name']) {
      expect(markdown).toContain(`- **${kind}**: `);
      expect(renderPlan(everyFinding, { format: 'shell' })).toContain(`\n# ${kind}: `);
    }
  });

  test('image ids: algorithm and 12 hex digits; bare hex (Podman) shortened; anything else shown whole', () => {
    const withId = (imageId: string) =>
      renderPlan({ ...plan, actions: [{ ...plan.actions[0]!, imageId }], findings: [] }, { format: 'text' }).split('\n')[0];
    expect(withId('sha256:' + 'b'.repeat(64))).toContain('(sha256:bbbbbbbbbbbb, missing name)');
    expect(withId('c'.repeat(64))).toContain('(cccccccccccc, missing name)');
    expect(withId('img-1')).toContain('(img-1, missing name)');
  });

  test('a policy without Harbor says so', () => {
    const script = renderPlan(plan, { format: 'shell', header: { policy: { ...header.policy, harbor: undefined, shortNames: true } } });
    expect(script).toContain('# policy: mode internal, no harbor, short names on, on conflict report\n');
    expect(renderPlan(plan, { format: 'shell' })).toContain('# snapshot: (not recorded)\n# policy: (not recorded)\n');
  });
});

describe('renderApplyReport', () => {
  test('a timeout, which has no engine output, is described in our words', () => {
    const timedOut = {
      ...applyReport,
      results: [
        {
          _tag: 'Failed' as const,
          action: plan.actions[0]!,
          error: { _tag: 'Timeout' as const, engine: 'docker' as const, args: ['tag', 'a', 'b'], timeoutMs: 30000 },
        },
      ],
    };
    expect(renderApplyReport(timedOut, { format: 'text' })).toContain('(sha256:34fb46c847bb: timed out after 30000 ms (the engine is slow; raise the engine timeout: --timeout, config engineTimeout))');
    expect(renderApplyReport(timedOut, { format: 'markdown' })).toContain('| timed out after 30000 ms (the engine is slow; raise the engine timeout: --timeout, config engineTimeout) |');
  });

  test('an empty report says nothing was tagged', () => {
    const empty = { results: [], after: applyReport.after, verified: true, mismatches: [], interrupted: false };
    expect(renderApplyReport(empty, { format: 'text' })).toBe(
      'nothing to do\n\nverified: every planned name now points at its planned image\n0 tagged, 0 failed\n',
    );
    expect(renderApplyReport(empty, { format: 'markdown' })).toContain('Nothing was tagged.');
  });

  test('without the plan, the summary leaves out conflicts instead of claiming zero', () => {
    const text = renderApplyReport(applyReport, { format: 'text' });
    expect(text.trimEnd().split('\n').at(-1)).toBe('5 tagged, 1 failed');
  });

  test('a failure carries the engine message on one line', () => {
    const text = renderApplyReport(applyReport, { format: 'text', plan });
    expect(text).toMatch(
      /^failed {4}localhost\/tcp-proxy:1\.2 +-> tcp-proxy:1\.2 {2}\(sha256:b76ed1375a14: Error response from daemon: No such image: localhost\/tcp-proxy:1\.2\)$/m,
    );
    expect(text).toContain('not verified');
  });

  test('a refusal is its own outcome in every format: the reason, never an engine error, counted apart from failures', () => {
    const action = plan.actions[0]!;
    const refused = {
      ...applyReport,
      results: [{ _tag: 'Refused' as const, action, reason: { _tag: 'Gone' as const, name: 'localhost/tcp-proxy:1.2' } }],
    };
    const text = renderApplyReport(refused, { format: 'text' });
    expect(text).toMatch(/^refused {3}\S+ +-> \S+ {2}\(sha256:[0-9a-f]{12}: not run: localhost\/tcp-proxy:1\.2 is no longer in the store; take a new snapshot and plan again\)$/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 tagged, 0 failed, 1 refused');
    expect(renderApplyReport(refused, { format: 'markdown' })).toMatch(
      /^\| \*\*refused\*\* \| .* \| not run: localhost\/tcp-proxy:1\.2 is no longer in the store; take a new snapshot and plan again \|$/m,
    );
    const json = JSON.parse(renderApplyReport(refused, { format: 'json', plan })) as { summary: Record<string, number>; results: unknown[] };
    expect(json.summary).toEqual({ tagged: 0, failed: 0, refused: 1, changed: 0, notStarted: 0, conflicts: 1, missing: 1 });
    expect(json.results).toEqual([
      {
        _tag: 'Refused',
        action: expect.objectContaining({ source: action.source, target: action.target }),
        reason: { _tag: 'Gone', name: 'localhost/tcp-proxy:1.2' },
        message: 'localhost/tcp-proxy:1.2 is no longer in the store; take a new snapshot and plan again',
      },
    ]);
  });

  test('json summary counts agree with the results', () => {
    const json = JSON.parse(renderApplyReport(applyReport, { format: 'json', plan })) as {
      summary: { tagged: number; failed: number; conflicts: number };
      verified: boolean;
    };
    expect(json.summary).toEqual({ tagged: 5, failed: 1, refused: 0, changed: 0, notStarted: 0, conflicts: 1, missing: 1 });
    expect(json.verified).toBe(false);
  });

  test('a verified report says so', () => {
    const verified = { ...applyReport, results: applyReport.results.filter((r) => r._tag === 'Applied'), verified: true };
    expect(renderApplyReport(verified, { format: 'text' })).toContain('verified: every planned name now points at its planned image');
    expect(renderApplyReport(verified, { format: 'markdown' })).toContain('Verified: every planned name');
  });
});

describe('the policy line names harbor tags only when they are on', () => {
  test('off by default (no user setting turns them on), named when publish turns them on', () => {
    const base = { mode: 'internal', harbor: { registry: 'h.local', project: 'p' }, harborLayout: 'path', shortNames: false, onConflict: 'report' } as const;
    expect(describePolicy({ ...base, harborTags: false })).toBe('mode internal, harbor h.local/p (layout path), short names off, on conflict report');
    expect(describePolicy({ ...base, harborTags: true })).toContain('harbor tags on');
  });
});
