import { expect } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const goldenPath = (name: string): string => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

/**
 * Compares rendered output with `test/golden/<name>`. `UPDATE_GOLDEN=1` rewrites the file instead; review
 * the diff before committing it. A missing file fails, so a new golden is always a deliberate act.
 */
export const expectGolden = (name: string, actual: string): void => {
  const path = goldenPath(name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file test/golden/${name} is missing; run the tests with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
};
