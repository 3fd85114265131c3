import { describe, expect, test } from '@jest/globals';
import type { Plan } from '@imgalias/core';
import { renderPlan } from '@imgalias/render';
import { codeSpan, escapeMarkdown } from '../src/markdown.js';
import { plan } from '../../../test-support/fieldScenario.js';

describe('escapeMarkdown', () => {
  test.each([
    ['a|b', 'a\\|b'],
    ['*bold* _em_ `code`', '\\*bold\\* \\_em\\_ \\`code\\`'],
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['a\\b', 'a\\\\b'],
    ['line\nbreak', 'line\\\\x0abreak'],
    ['redis:7-alpine', 'redis:7-alpine'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('codeSpan', () => {
  test.each([
    ['redis:7-alpine', '`redis:7-alpine`'],
    ['a|b', '`a\\|b`'],
    ['a`b', '``a`b``'],
    ['`edge`', '`` `edge` ``'],
  ])('%j -> %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });
});

describe('renderPlan markdown', () => {
  test('the table has one row per action with source, target, image id and why', () => {
    const lines = renderPlan(plan, { format: 'markdown' }).split('\n');
    expect(lines).toContain('| Source | Target | Image id | Why |');
    expect(lines).toContain('| `localhost/redis:7-alpine` | `redis:7-alpine` | `sha256:34fb46c847bb` | missing name |');
    const rowsOfFour = lines.filter((line) => line.startsWith('| `') && line.split(' | ').length === 4);
    expect(rowsOfFour).toHaveLength(plan.actions.length);
  });

  test('a second table says which mirror rule gave each family its Harbor name', () => {
    const lines = renderPlan(plan, { format: 'markdown' }).split('\n');
    expect(lines).toContain('| Image | Harbor name | Mirror rule |');
    expect(lines).toContain('| `redis:7-alpine` | `harbor.corp.local/proj/redis:7-alpine` | `*=harbor.corp.local/proj@path` |');
    expect(lines.filter((line) => line.includes('`*=harbor.corp.local/proj@path`'))).toHaveLength(plan.harborNames?.length ?? -1);
  });

  test('hostile names stay inside their cell and their list item', () => {
    const hostile: Plan = {
      ...plan,
      actions: [{ ...plan.actions[0]!, source: 'a|b`c\n| x | y |' }],
      findings: [{ _tag: 'DigestReference', reference: 'x\n# injected heading\n<script>' }],
    };
    const lines = renderPlan(hostile, { format: 'markdown' }).split('\n');
    const row = lines.find((line) => line.startsWith('| ``'));
    // Four cells: every pipe inside the name is escaped, and the newline did not start a new row.
    expect(row?.split(/(?<!\\)\|/).length).toBe(6);
    expect(lines.some((line) => line.startsWith('# injected'))).toBe(false);
    expect(lines.join('\n')).not.toContain('<script>');
  });
});
