import { describe, expect, test } from '@jest/globals';
import { shouldUseColor } from '@imgalias/render';

describe('shouldUseColor', () => {
  test.each([
    ['a terminal', { isTTY: true, env: {} }, true],
    ['a pipe', { isTTY: false, env: {} }, false],
    ['unknown stream', { isTTY: undefined, env: {} }, false],
    ['NO_COLOR=1 on a terminal', { isTTY: true, env: { NO_COLOR: '1' } }, false],
    ['NO_COLOR set to the empty string', { isTTY: true, env: { NO_COLOR: '' } }, false],
    ['NO_COLOR=0 (any value counts)', { isTTY: true, env: { NO_COLOR: '0' } }, false],
    ['--no-color on a terminal', { isTTY: true, env: {}, flag: false }, false],
    ['--color on a pipe', { isTTY: false, env: {}, flag: true }, true],
    ['--color against NO_COLOR', { isTTY: true, env: { NO_COLOR: '1' }, flag: true }, false],
    ['TERM=dumb on a terminal', { isTTY: true, env: { TERM: 'dumb' } }, false],
    ['TERM=xterm-256color on a terminal', { isTTY: true, env: { TERM: 'xterm-256color' } }, true],
  ] as const)('%s', (_name, context, expected) => {
    expect(shouldUseColor(context)).toBe(expected);
  });
});
