import { describe, expect, test } from '@jest/globals';
import { interpolate, lookupIn } from '../src/Interpolation.js';
import type { InterpolationDialect, InterpolationResult, VariableLookup } from '../src/Interpolation.js';

const values = lookupIn(new Map([['SET', 'value'], ['EMPTY', '']]));

interface Case {
  readonly input: string;
  readonly dialect: InterpolationDialect;
  readonly expected: InterpolationResult;
  readonly escapeChar?: string;
}

const ok = (value: string): InterpolationResult => ({ value, problems: [] });

const cases: readonly Case[] = [
  { input: 'plain', dialect: 'dockerfile', expected: ok('plain') },
  { input: '$SET-${SET}', dialect: 'dockerfile', expected: ok('value-value') },
  { input: 'a$', dialect: 'dockerfile', expected: ok('a$') },
  { input: '$1', dialect: 'dockerfile', expected: ok('$1') },
  { input: '$$SET', dialect: 'dockerfile', expected: ok('$value') },
  { input: '$$SET', dialect: 'compose', expected: ok('$SET') },
  { input: '"a $SET"\'$SET\'', dialect: 'dockerfile', expected: ok('a value$SET') },
  { input: '"a $SET"', dialect: 'compose', expected: ok('"a value"') },
  { input: '"\\$SET \\" \\\\ \\x"', dialect: 'dockerfile', expected: ok('$SET " \\ \\x') },
  { input: 'x\\', dialect: 'dockerfile', expected: ok('x\\') },
  { input: 'a`$SET', dialect: 'dockerfile', escapeChar: '`', expected: ok('a$SET') },
  { input: '${EMPTY:-d}|${EMPTY-d}|${SET:+x}|${EMPTY+x}|${EMPTY:+x}', dialect: 'compose', expected: ok('d||x|x|') },
  { input: '${SET:?never}', dialect: 'compose', expected: ok('value') },
  {
    input: '${UNSET?${ALSO}}',
    dialect: 'compose',
    expected: {
      value: '',
      problems: [
        { _tag: 'RequiredVariable', variable: 'UNSET', message: '' },
        { _tag: 'UnsetVariable', variable: 'ALSO' },
      ],
    },
  },
  { input: "'open", dialect: 'dockerfile', expected: { value: '', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated single quote' }] } },
  { input: '"open $SET', dialect: 'dockerfile', expected: { value: 'open value', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated double quote' }] } },
  { input: '"open', dialect: 'dockerfile', expected: { value: 'open', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated double quote' }] } },
  { input: '${SET:-open', dialect: 'compose', expected: { value: '', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated "${" at position 1' }] } },
  { input: '${SET%x', dialect: 'dockerfile', expected: { value: '', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated "${" at position 1' }] } },
  { input: '${', dialect: 'dockerfile', expected: { value: '', problems: [{ _tag: 'InvalidSyntax', detail: 'unterminated "${" at position 1' }] } },
  { input: '${1}', dialect: 'dockerfile', expected: { value: '', problems: [{ _tag: 'InvalidSyntax', detail: '"${1}" names no variable' }] } },
  { input: '${SET/a/b}', dialect: 'dockerfile', expected: { value: '', problems: [{ _tag: 'UnsupportedExpression', expression: '${SET/a/b}' }] } },
];

describe('interpolate', () => {
  test.each(cases)('$dialect: $input', ({ input, dialect, escapeChar, expected }) => {
    expect(interpolate(input, { dialect, lookup: values, ...(escapeChar === undefined ? {} : { escapeChar }) })).toEqual(expected);
  });

  test('an unresolved variable passes its problems on, naming itself as the way they were reached', () => {
    const lookup: VariableLookup = (name) =>
      name === 'IMAGE' ? { _tag: 'Unresolved', problems: [{ _tag: 'UnsetVariable', variable: 'REG' }] } : { _tag: 'Unset' };
    expect(interpolate('${IMAGE:-x}/$IMAGE', { dialect: 'dockerfile', lookup })).toEqual({
      value: '/',
      problems: [
        { _tag: 'UnsetVariable', variable: 'REG', via: 'IMAGE' },
        { _tag: 'UnsetVariable', variable: 'REG', via: 'IMAGE' },
      ],
    });
  });

  test('nothing but the lookup is consulted', () => {
    const asked: string[] = [];
    const lookup: VariableLookup = (name) => {
      asked.push(name);
      return { _tag: 'Unset' };
    };
    interpolate('$(id) `id` ${A:-${B}} $C', { dialect: 'dockerfile', lookup });
    expect(asked).toEqual(['A', 'B', 'C']);
  });
});
