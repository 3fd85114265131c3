import { describe, expect, test } from '@jest/globals';
import type { AliasPolicy } from '@imgalias/core';
import { defaultPolicy, describeFinding, planAliases } from '@imgalias/core';
import { hintsForMissing } from '../../src/MissingImageHints.js';
import { runInProcess } from '../support/runInProcess.js';
import { tempDirs } from '../../../../test-support/tempDirs.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const HARBOR = { registry: 'harbor.corp.local', project: 'proj' } as const;
const empty = { version: 1 as const, images: [] };

interface Case {
  readonly name: string;
  readonly policy: AliasPolicy;
  readonly image: string;
  /** The planner's finding sentence and the CLI's hint, as the settings in force make them. */
  readonly finding: string;
  readonly hint: string;
}

/** Each hint text next to the settings that produce it, so a hint can never describe other settings. */
const cases: readonly Case[] = [
  {
    name: 'external mode: pull the origin',
    policy: { ...defaultPolicy, mode: 'external' },
    image: 'quay.io/keycloak/keycloak:26.0',
    finding:
      'quay.io/keycloak/keycloak:26.0 is not in the image store under any of its names (quay.io/keycloak/keycloak:26.0); pull quay.io/keycloak/keycloak:26.0, then run imgalias again.',
    hint: 'quay.io/keycloak/keycloak:26.0 is not in the store: pull it (docker pull quay.io/keycloak/keycloak:26.0) or run `imgalias prefetch quay.io/keycloak/keycloak:26.0`, then run this command again.',
  },
  {
    name: 'internal mode with Harbor, a Docker Hub image: pull the Harbor copy',
    policy: { ...defaultPolicy, mode: 'internal', harbor: HARBOR },
    image: 'redis:7-alpine',
    finding:
      'redis:7-alpine is not in the image store under any of its names (harbor.corp.local/proj/redis:7-alpine, localhost/redis:7-alpine, redis:7-alpine); pull harbor.corp.local/proj/redis:7-alpine, then run imgalias again.',
    hint: 'redis:7-alpine is not in the store: pull its Harbor copy (docker pull harbor.corp.local/proj/redis:7-alpine) or run `imgalias prefetch redis:7-alpine`, then run this command again.',
  },
  {
    name: 'internal mode with Harbor (the * rule), a quay.io image: pull its Harbor copy',
    policy: { ...defaultPolicy, mode: 'internal', harbor: HARBOR },
    image: 'quay.io/keycloak/keycloak:26.0',
    finding:
      'quay.io/keycloak/keycloak:26.0 is not in the image store under any of its names (harbor.corp.local/proj/keycloak/keycloak:26.0, quay.io/keycloak/keycloak:26.0); pull harbor.corp.local/proj/keycloak/keycloak:26.0, then run imgalias again.',
    hint: 'quay.io/keycloak/keycloak:26.0 is not in the store: pull its Harbor copy (docker pull harbor.corp.local/proj/keycloak/keycloak:26.0) or run `imgalias prefetch quay.io/keycloak/keycloak:26.0`, then run this command again.',
  },
  {
    name: 'internal mode with a rule for Docker Hub only, an image no rule covers: no pull, and Harbor is not called missing',
    policy: { ...defaultPolicy, mode: 'internal', mirrors: [{ origin: 'docker.io', location: HARBOR, layout: 'path' }] },
    image: 'quay.io/keycloak/keycloak:26.0',
    finding:
      'quay.io/keycloak/keycloak:26.0 is not in the image store under any of its names (quay.io/keycloak/keycloak:26.0); no registry the mode allows has it (internal mode pulls only Harbor copies, and this image has no Harbor name): load it into the store, then run imgalias again.',
    hint: 'quay.io/keycloak/keycloak:26.0 is not in the store, and in internal mode only Harbor may supply it, but the mirror rules give it no Harbor name (no rule for quay.io and no * rule, or a mirror finding says why): add one (--mirror quay.io=HOST[:PORT]/PROJECT[@LAYOUT]) or load it into the store (docker load -i FILE), then run this command again.',
  },
  {
    name: 'internal mode without Harbor: set it',
    policy: { ...defaultPolicy, mode: 'internal' },
    image: 'redis:7-alpine',
    finding:
      'redis:7-alpine is not in the image store under any of its names (localhost/redis:7-alpine, redis:7-alpine); no registry the mode allows has it (internal mode pulls only Harbor copies, and this image has no Harbor name): load it into the store, then run imgalias again.',
    hint: 'redis:7-alpine is not in the store, and in internal mode only Harbor may supply it, but no Harbor is configured: set --harbor HOST[:PORT]/PROJECT (or IMGALIAS_HARBOR / INTERNAL_REGISTRY), then run `imgalias prefetch redis:7-alpine`.',
  },
];

describe('missing-image hints are true for the settings in force', () => {
  test.each(cases)('$name', ({ policy, image, finding, hint }) => {
    const plan = planAliases({ snapshot: empty, images: [image], policy });
    expect(plan.findings.map(describeFinding)).toEqual([finding]);
    expect(hintsForMissing(plan.findings, { policy, engine: 'docker' })).toEqual([hint]);
  });

  test('internal mode never names a public pull, for any origin', () => {
    for (const image of ['redis:7', 'quay.io/keycloak/keycloak:26.0', 'nvcr.io/nvidia/pytorch:24.01-py3', 'ghcr.io/astral-sh/uv:0.4.0']) {
      for (const harbor of [HARBOR, undefined]) {
        const policy: AliasPolicy = { ...defaultPolicy, mode: 'internal', ...(harbor === undefined ? {} : { harbor }) };
        const plan = planAliases({ snapshot: empty, images: [image], policy });
        const texts = [...plan.findings.map(describeFinding), ...hintsForMissing(plan.findings, { policy, engine: 'docker' })];
        for (const text of texts) expect(text).not.toMatch(/pull (it \(docker pull )?(quay|nvcr|ghcr|redis|docker\.io)/);
      }
    }
  });
});

describe('plan in internal mode with --harbor, end to end', () => {
  const tempDir = tempDirs('imgalias-hints-');
  test('no public pull on stdout (text and markdown), no "no Harbor is configured" on stderr', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'empty.json'), JSON.stringify(empty));
    for (const format of ['text', 'markdown']) {
      const result = await runInProcess(
        ['plan', '--mode', 'internal', '--harbor', 'harbor.corp.local/proj', '--snapshot', 'empty.json', '--format', format, 'quay.io/keycloak/keycloak:26.0'],
        { cwd: dir },
      );
      expect(result.stdout).not.toContain('pull quay.io');
      expect(result.stderr).not.toContain('no Harbor is configured');
    }
  });
});
