import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { spellReference } from '@imgalias/core/internal';
import type { EngineKind, Plan } from '@imgalias/core';
import { renderPlan } from '@imgalias/render';
import { quoteShellArg, shellCommand } from '../src/shell.js';
import { runWithFakeEngines } from './fakeEngine.js';
import { header, plan } from '../../../test-support/fieldScenario.js';

/** Strings that break naive quoting: quotes, expansions, command separators, globs, newlines, options. */
const HOSTILE = [
  '',
  "'",
  "''",
  "a'b",
  "'; : > canary-semicolon; '",
  '$(: > canary-dollar)',
  '`: > canary-backtick`',
  '"; : > canary-double; "',
  '\\',
  "\\'",
  'line1\nline2',
  'cr\rlf',
  '$HOME ${PATH} $0 $#',
  '* ? [a-z] ~',
  '-rf',
  '--format={{json .}}',
  '!event',
  '%s %n',
  'tab\there',
  '\u001b[31mred',
  'ünïcødé 名前 🐳',
  '#not-a-comment',
  'a b  c',
  '<in >out |pipe &amp;',
];

describe('quoteShellArg', () => {
  test('every hostile string reaches the command as exactly one argument, byte for byte', () => {
    const script = ['#!/bin/sh', 'set -eu', ...HOSTILE.map((arg) => shellCommand('docker tag', [arg, `${arg}-target`])), ''].join('\n');
    const run = runWithFakeEngines(script);
    expect(run.syntax.status).toBe(0);
    expect(run.status).toBe(0);
    expect(run.leftovers).toEqual([]);
    expect(run.calls).toEqual(HOSTILE.map((arg) => ({ command: 'docker', args: ['tag', arg, `${arg}-target`] })));
  });

  // Strings that UTF-8 cannot carry (lone surrogates) are left out: they cannot be written to a file at all.
  test('property: any string without NUL round-trips through sh', () => {
    // Shell metacharacters are drawn often; uniform Unicode alone would almost never produce a quote.
    const unit = fc.oneof(fc.constantFrom(...`'"\\$\`\n\t ;|&*?()[]{}<>#~!=-%`.split('')), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    const args = fc.sample(
      fc.string({ unit, maxLength: 40 }).filter((s) => !s.includes('\0') && Buffer.from(s).toString() === s),
      { numRuns: 300, seed: 42 },
    );
    const script = ['#!/bin/sh', 'set -eu', ...args.map((arg) => shellCommand('podman tag', [arg])), ''].join('\n');
    const run = runWithFakeEngines(script);
    expect(run.status).toBe(0);
    expect(run.calls.map((call) => call.args[1])).toEqual(args);
  });

  test('a quoted word is single-quoted, with embedded quotes closed, escaped and reopened', () => {
    expect(quoteShellArg("it's")).toBe("'it'\\''s'");
    expect(quoteShellArg('')).toBe("''");
  });

  test('a NUL byte is refused: no shell argument can carry it', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(RangeError);
  });
});

const expectedCalls = (engine: EngineKind) =>
  plan.actions.map((action) => ({
    command: engine,
    args: ['tag', spellReference(action.source, engine), spellReference(action.target, engine)],
  }));

describe('renderPlan shell', () => {
  test.each(['docker', 'podman', 'nerdctl'] as const)('the %s script passes sh -n and runs one tag per action', (engine) => {
    const script = renderPlan(plan, { format: 'shell', engine, header });
    const run = runWithFakeEngines(script);
    expect(run.syntax).toEqual({ status: 0, stderr: '' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.calls).toEqual(expectedCalls(engine));
  });

  test('podman gets fully qualified Docker Hub names, docker gets familiar ones', () => {
    const docker = runWithFakeEngines(renderPlan(plan, { format: 'shell' }));
    const podman = runWithFakeEngines(renderPlan(plan, { format: 'shell', engine: 'podman' }));
    expect(docker.calls[0]!.args).toEqual(['tag', 'localhost/redis:7-alpine', 'redis:7-alpine']);
    expect(podman.calls[0]!.args).toEqual(['tag', 'localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine']);
  });

  test('starts with a shebang, a header naming snapshot and policy, and set -eu before any command', () => {
    const lines = renderPlan(plan, { format: 'shell', header }).split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain('# snapshot: podman images (build-host-07)');
    expect(lines.find((line) => line.startsWith('# policy: '))).toBe(
      '# policy: mode internal, harbor harbor.corp.local/proj (layout path), short names off, on conflict report',
    );
    const firstCommand = lines.findIndex((line) => line.startsWith('docker '));
    expect(lines.indexOf('set -eu')).toBeGreaterThan(0);
    expect(lines.indexOf('set -eu')).toBeLessThan(firstCommand);
  });

  test('hostile plan data cannot escape quotes or comments: only the valid action runs', () => {
    const canary = "x'; : > canary-name; '";
    const hostile: Plan = {
      version: 1,
      mode: 'internal',
      actions: [
        { ...plan.actions[0]!, imageId: 'sha256:abc\n: > canary-id\n' },
        { ...plan.actions[1]!, source: `localhost/${canary}`, target: 'tcp-proxy:1.2\n: > canary-target' },
        { ...plan.actions[2]!, target: '$(: > canary-dollar)' },
        { ...plan.actions[3]!, reason: 'retarget' },
        { ...plan.actions[4]!, target: `docker.io/osixia/phpldapadmin@${plan.actions[4]!.imageId}` },
      ],
      findings: [
        { _tag: 'InvalidSnapshotName', name: 'bad\n: > canary-finding\n', imageId: 'id\n: > canary-finding-id', error: { _tag: 'InvalidFormat', input: 'bad\n: > canary-finding\n' } },
        { _tag: 'DigestReference', reference: 'redis@sha256:\r\n: > canary-digest' },
      ],
    };
    const script = renderPlan(hostile, { format: 'shell', header: { snapshot: 'snap\n: > canary-header', policy: header.policy } });
    const run = runWithFakeEngines(script);
    expect(run.syntax.status).toBe(0);
    expect(run.leftovers).toEqual([]);
    expect(run.calls).toEqual([
      { command: 'docker', args: ['tag', 'localhost/redis:7-alpine', 'redis:7-alpine'] },
      { command: 'docker', args: ['tag', 'localhost/osixia/openldap:1.5.0', 'osixia/openldap:1.5.0'] },
    ]);
    // The two invalid actions and the digest target are reported and make the script fail after the rest ran.
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('imgalias: 3 action(s) not run (see the comments in this script)\n');
    expect(script).toContain('is a digest reference; a digest is never a tag target');
    // Every line is a comment, blank, or one of the commands this renderer writes.
    for (const line of script.split('\n')) {
      expect(line).toMatch(/^(#.*|set -eu|docker tag '[^']*' '[^']*' {2}#.*|echo '[^']*' >&2|exit 1|)$/);
    }
  });
});
