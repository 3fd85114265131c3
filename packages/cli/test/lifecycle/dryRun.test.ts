/**
 * The lifecycle plans as a reviewer sees them: `prefetch --dry-run`, `publish --dry-run` and `clean` (dry by
 * default) against a saved snapshot, no engine. Output is compared with golden files in ./golden; run with
 * UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then review the diff.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, PullPlanCodec, CleanPlanCodec, PublishPlanCodec } from '@imgalias/core';
import { ExitCode } from '../../src/ExitCode.js';
import { imgalias } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, 'fixtures');
const env = {};
const SNAP = ['--snapshot', 'snapshot.json'];
const HARBOR = ['--harbor', 'harbor.corp.local/proj'];
const PREFETCH_IMAGES = ['redis:7-alpine', 'osixia/phpldapadmin:0.9.0', 'quay.io/keycloak/keycloak:26.0', 'minio/minio'];

const golden = async (name: string, actual: string): Promise<void> => {
  const file = path.join(here, 'golden', name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
};

describe('prefetch --dry-run prints the pull plan in every format', () => {
  test.each(['text', 'json', 'markdown', 'shell'])('%s', async (format) => {
    const run = await imgalias(['prefetch', '--dry-run', ...SNAP, ...HARBOR, '--mirror', 'mirror.corp:5000/hub', '--format', format, ...PREFETCH_IMAGES], { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(ExitCode.ok);
    await golden(`prefetch-external.${format === 'markdown' ? 'md' : format === 'shell' ? 'sh' : format}`, run.stdout);
    if (format === 'json') expect(decode(PullPlanCodec, JSON.parse(run.stdout))._tag).toBe('Right');
  });

  test('the shell script says at its top that it only pulls, and what to run for the alias names', async () => {
    const run = await imgalias(['prefetch', '--dry-run', ...SNAP, '--format', 'shell', 'redis:7'], { cwd, env });
    const header = run.stdout.split('set -eu')[0] ?? '';
    expect(header).toContain('# This script only pulls.');
    expect(header).toContain('run `imgalias apply` with the same images and options.');
  });

  test('--mirror is repeatable, keeps its order, and does not swallow the images after it', async () => {
    const run = await imgalias(['prefetch', '--dry-run', ...SNAP, '--mirror', 'm1.corp/hub', '--mirror', 'm2.corp:5000/dh', 'osixia/phpldapadmin:0.9.0'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/1\. osixia\/phpldapadmin:0.9.0 .*\n {2}2\. m1\.corp\/hub\/osixia\/phpldapadmin:0.9.0 .*\n {2}3\. m2\.corp:5000\/dh\/osixia\/phpldapadmin:0.9.0 /);
    expect(run.stdout).toContain('1 to pull, 0 present');
  });

  test('internal mode names only Harbor; without Harbor an absent image is a finding (exit 1)', async () => {
    const withHarbor = await imgalias(['prefetch', '--dry-run', ...SNAP, ...HARBOR, '--mode', 'internal', '--mirror', 'mirror.corp:5000/hub', ...PREFETCH_IMAGES], { cwd, env });
    await golden('prefetch-internal.text', withHarbor.stdout);
    // The Harbor copy is the only candidate, the quay.io image's too (the * rule --harbor stands for gives it
    // one), never a public pull.
    expect(withHarbor.exitCode).toBe(ExitCode.ok);
    expect(withHarbor.stdout).toContain('1. harbor.corp.local/proj/keycloak/keycloak:26.0  (Harbor copy');
    expect(withHarbor.stdout).not.toMatch(/mirror\.corp|\d\. (osixia|quay)/);
    const without = await imgalias(['prefetch', '--dry-run', ...SNAP, '--mode', 'internal', '--format', 'markdown', 'osixia/phpldapadmin:0.9.0'], { cwd, env });
    expect(without.exitCode).toBe(ExitCode.findings);
    expect(without.stdout).toContain('internal mode pulls only from Harbor, which is not configured');
  });
});

describe('publish --dry-run and clean print their plans', () => {
  test.each(['text', 'json', 'markdown', 'shell'])('publish %s', async (format) => {
    const run = await imgalias(['publish', '--dry-run', ...SNAP, ...HARBOR, '--format', format, 'redis:7-alpine', 'minio/minio', 'osixia/openldap:stable', 'nginx:1'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.findings); // nginx:1 is missing
    await golden(`publish.${format === 'markdown' ? 'md' : format === 'shell' ? 'sh' : format}`, run.stdout);
    if (format === 'json') expect(decode(PublishPlanCodec, JSON.parse(run.stdout))._tag).toBe('Right');
  });

  test.each(['text', 'json', 'markdown', 'shell'])('clean %s', async (format) => {
    const run = await imgalias(['clean', ...SNAP, ...HARBOR, '--format', format, 'redis:7-alpine', 'osixia/openldap:stable', 'minio/minio'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.findings); // openldap shares its image with myapp:1
    expect(run.stderr).toContain('containers were not checked');
    await golden(`clean.${format === 'markdown' ? 'md' : format === 'shell' ? 'sh' : format}`, run.stdout);
    if (format === 'json') expect(decode(CleanPlanCodec, JSON.parse(run.stdout))._tag).toBe('Right');
  });

  test('clean --include-harbor also removes the local Harbor name', async () => {
    const run = await imgalias(['clean', ...SNAP, ...HARBOR, '--include-harbor', 'redis:7-alpine'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toContain('untag harbor.corp.local/proj/redis:7-alpine (harbor');
    expect(run.stdout).not.toContain('keep ');
  });
});

describe('usage errors exit 2 and change nothing', () => {
  test.each([
    [['prefetch', '--dry-run', ...SNAP, '--attempts', '0', 'redis:7'], /--attempts must be a whole number >= 1, got "0"/],
    [['prefetch', '--dry-run', ...SNAP, '--retry-delay', 'soon', 'redis:7'], /--retry-delay must be a whole number >= 0/],
    [['prefetch', '--dry-run', ...SNAP, '--concurrency', '0', 'redis:7'], /concurrency/],
    [['prefetch', '--dry-run', ...SNAP, '--platform', 'amd64', 'redis:7'], /--platform must be OS\/ARCH\[\/VARIANT\]/],
    [['prefetch', ...SNAP, '--format', 'shell', 'redis:7'], /prefetch cannot print --format shell/],
    [['clean', ...SNAP, '--apply', '--format', 'shell', 'redis:7'], /clean --apply cannot print --format shell/],
    [['publish', ...SNAP, ...HARBOR, '--format', 'shell', 'redis:7'], /publish cannot print --format shell/],
    [['prefetch', '--dry-run', ...SNAP, 'Redis:7'], /"Redis:7".*must be lowercase/],
    [['clean'], /name the images to clean \(IMAGE\.\.\.\) or a project to take them from \(--from PATH\)/],
  ])('%j', async (argv, message) => {
    const run = await imgalias(argv, { cwd, env });
    expect(run.stderr).toMatch(message);
    expect(run.exitCode).toBe(ExitCode.usage);
    expect(run.stdout).toBe('');
  });

  test('an engine that cannot be reached exits 3', async () => {
    const run = await imgalias(['prefetch', 'redis:7'], { cwd, env: { PATH: process.env['PATH'] ?? '', DOCKER_HOST: 'unix:///nonexistent/imgalias-test.sock' } });
    expect(run.exitCode).toBe(ExitCode.engine);
  });
});

describe('docs/cli.md', () => {
  test.each(['prefetch', 'publish', 'clean'])('embeds the exact --help of `imgalias %s`', async (command) => {
    const docs = await readFile(path.join(here, '../../../../docs/cli.md'), 'utf8');
    const marker = `<!-- help: imgalias ${command} -->\n\`\`\`text\n`;
    const start = docs.indexOf(marker);
    expect(start).toBeGreaterThanOrEqual(0);
    const block = docs.slice(start + marker.length, docs.indexOf('```\n', start + marker.length));
    expect(block).toBe((await imgalias([command, '--help'], { cwd, env })).stdout);
  });
});
