import { describe, expect, test } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraphOf } from './support/importGraph.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

describe('core modules import each other without cycles', () => {
  test('no module of packages/core/src reaches itself through its imports (type imports included)', () => {
    const graph = importGraphOf(SRC);
    expect(graph.has('Finding.ts')).toBe(true);
    expect(graph.get('lifecycle/PullPlan.ts')).toContain('Finding.ts');
    expect(importCycles(graph)).toEqual([]);
  });

  test('the check finds a cycle, named from its smallest module', () => {
    const graph = new Map([
      ['Plan.ts', ['AliasFamily.ts', 'Order.ts']],
      ['AliasFamily.ts', ['Plan.ts']],
      ['Order.ts', []],
      ['a/Self.ts', ['a/Self.ts']],
    ]);
    expect(importCycles(graph)).toEqual([
      ['AliasFamily.ts', 'Plan.ts', 'AliasFamily.ts'],
      ['a/Self.ts', 'a/Self.ts'],
    ]);
  });
});
