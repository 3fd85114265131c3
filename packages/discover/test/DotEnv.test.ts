import { describe, expect, test } from '@jest/globals';
import { parseDotEnv } from '@imgalias/discover';
import type { DiscoveryFinding } from '@imgalias/discover';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly env: Readonly<Record<string, string>>;
  readonly findings?: readonly DiscoveryFinding[];
}

const cases: readonly Case[] = [
  { name: 'KEY=value', text: 'AI_INFRA_NETWORK_ENV=internal\n', env: { AI_INFRA_NETWORK_ENV: 'internal' } },
  { name: 'export KEY=value', text: 'export INTERNAL_REGISTRY=harbor.corp.local/proj\n', env: { INTERNAL_REGISTRY: 'harbor.corp.local/proj' } },
  {
    name: 'comments and blank lines',
    text: '# network mode\n\n   # indented comment\nA=1\n\n',
    env: { A: '1' },
  },
  { name: 'empty values', text: 'A=\nB=""\nC=\'\'\nD=   \n', env: { A: '', B: '', C: '', D: '' } },
  { name: 'blanks around = and the value are trimmed', text: '  A = spaced value  \n', env: { A: 'spaced value' } },
  { name: 'an inline comment needs a blank before #', text: 'A=value # comment\nB=val#ue\nC=x\t#tab\n', env: { A: 'value', B: 'val#ue', C: 'x' } },
  {
    name: 'single quotes are literal',
    text: "A='a $B ${C} \\n \"q\" # not a comment'\n",
    env: { A: 'a $B ${C} \\n "q" # not a comment' },
  },
  {
    name: 'double-quoted escapes \\n \\" \\\\ (and \\t \\r); other backslashes stay',
    text: 'A="line1\\nline2 \\"quoted\\" back\\\\slash tab\\there C:\\path"\n',
    env: { A: 'line1\nline2 "quoted" back\\slash tab\there C:\\path' },
  },
  { name: 'a comment after a quoted value', text: 'A="x y" # comment\nB=\'z\'   \n', env: { A: 'x y', B: 'z' } },
  { name: 'a quoted value may span lines', text: 'A="first\nsecond"\nB=after\nC=\'one\ntwo\'\n', env: { A: 'first\nsecond', B: 'after', C: 'one\ntwo' } },
  {
    name: 'nothing is evaluated or expanded',
    text: 'A=$(rm -rf /)\nB=`id`\nC=${HOME}/x\nD="${A} $(date)"\nE=redis:$TAG\n',
    env: { A: '$(rm -rf /)', B: '`id`', C: '${HOME}/x', D: '${A} $(date)', E: 'redis:$TAG' },
  },
  { name: 'a repeated key keeps its last value', text: 'A=1\nA=2\n', env: { A: '2' } },
  { name: 'keys with dots and dashes, as compose allows', text: 'my.key-1=x\n_U=y\n', env: { 'my.key-1': 'x', _U: 'y' } },
  { name: 'CRLF and a byte-order mark', text: '\uFEFFA=1\r\nB="2"\r\n', env: { A: '1', B: '2' } },
  { name: 'the value may contain =', text: 'A=b=c\n', env: { A: 'b=c' } },
  {
    name: 'a line without = is a finding',
    text: 'A=1\nJUSTAKEY\nB=2\n',
    env: { A: '1', B: '2' },
    findings: [{ _tag: 'DotEnvSyntax', file: '.env', line: 2, detail: 'expected KEY=value, found "JUSTAKEY"' }],
  },
  {
    name: 'an invalid key is a finding',
    text: '1A=x\nexport B C=y\n=z\n',
    env: {},
    findings: [
      { _tag: 'DotEnvSyntax', file: '.env', line: 1, detail: '"1A" is not a variable name (letters, digits, _ . -, not starting with a digit)' },
      { _tag: 'DotEnvSyntax', file: '.env', line: 2, detail: '"B C" is not a variable name (letters, digits, _ . -, not starting with a digit)' },
      { _tag: 'DotEnvSyntax', file: '.env', line: 3, detail: '"" is not a variable name (letters, digits, _ . -, not starting with a digit)' },
    ],
  },
  {
    name: 'text after a closing quote is a finding',
    text: 'A="x" y\nB=ok\n',
    env: { B: 'ok' },
    findings: [{ _tag: 'DotEnvSyntax', file: '.env', line: 1, detail: 'unexpected text after the closing quote of A: "y"' }],
  },
  {
    name: 'an unterminated quote is a finding and ends the file',
    text: 'A=1\nB="never closed\nC=3\n',
    env: { A: '1' },
    findings: [{ _tag: 'DotEnvSyntax', file: '.env', line: 2, detail: 'the value of B opens a double quote that is never closed' }],
  },
];

describe('parseDotEnv', () => {
  test.each(cases)('$name', ({ text, env, findings }) => {
    const result = parseDotEnv(text);
    expect(Object.fromEntries(result.env)).toEqual(env);
    expect(result.findings).toEqual(findings ?? []);
  });

  test('keys keep file order', () => {
    expect([...parseDotEnv('B=1\nA=2\nC=3\n').env.keys()]).toEqual(['B', 'A', 'C']);
  });

  test('findings name the given file', () => {
    expect(parseDotEnv("X='open", { file: 'deploy/.env' }).findings).toEqual([
      { _tag: 'DotEnvSyntax', file: 'deploy/.env', line: 1, detail: 'the value of X opens a single quote that is never closed' },
    ]);
  });
});
