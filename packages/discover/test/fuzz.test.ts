import { describe, expect } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import { describeDiscoveryFinding, parseCompose, parseDockerfile, parseDotEnv } from '@imgalias/discover';
import type { DiscoveryFinding } from '@imgalias/discover';
import { parseReference } from '@imgalias/core';
import { interpolate, lookupIn } from '../src/Interpolation.js';
import { expectPrintableMessage, textFrom, withinBound } from '../../../test-support/fuzz.js';

/**
 * The readers of project files get whatever a repository holds. Whatever the text, each returns its result (images
 * and typed findings) within a time bound, never throws, and every finding's message is bounded and printable.
 * Seeds are fixed so a failure reproduces; fast-check prints the shrunk input.
 */
const runs = { numRuns: 150, seed: 8_020_801 };

const expectFindings = (findings: readonly DiscoveryFinding[]): void => {
  for (const finding of findings) {
    expect(typeof finding._tag).toBe('string');
    expectPrintableMessage(describeDiscoveryFinding(finding));
  }
};

const expectImages = (images: readonly { readonly reference: string; readonly line: number }[]): void => {
  for (const image of images) {
    // Every image discovery reports is a valid canonical reference, never a guess.
    expect(parseReference(image.reference)._tag).toBe('Right');
    expect(image.line).toBeGreaterThanOrEqual(1);
  }
};

const dockerfileTokens = [
  'FROM ', 'from ', 'ARG ', ' AS ', ' as ', 'build', '--platform=$BUILDPLATFORM ', '--platform=linux/amd64 ', 'redis:7-alpine',
  'localhost/app:1', 'harbor.corp.local/proj/redis:7', '@sha256:', 'a'.repeat(64), 'scratch', 'TAG', 'TAG=7', '${', '}', '$',
  ':-', ':+', ':?', '-', '#', '# syntax=docker/dockerfile:1\n', '# escape=`\n', '\\\n', '\\', '`', '\n', '\r\n', ' ', '\t', '"',
  "'", '=', 'COPY --from=', 'RUN --mount=type=bind,from=', ',target=/x ', 'RUN echo hi\n', 'ONBUILD ', '<<EOF\n', 'EOF\n',
];

const composeTokens = [
  'services:\n', '  web:\n', '  db:\n', '    image: ', '    build: .\n', '    build:\n', '      context: ', '      dockerfile: ',
  '      args:\n', '        TAG: ', '        - TAG=', 'redis:${TAG:-7}', '${REGISTRY}/app:${TAG:?set it}', '$$', '$', '${', '}',
  '&a ', '*a', '<<: *a\n', '- ', '{', '}', '[', ']', ': ', ', ', '"', "'", '\n', '  ', '---\n', '!!binary ', '!!str ', '? ',
  '__proto__: ', 'constructor: ', 'toString: ', 'null', '~', '7.10', 'true', '#', 'x-anchors: &x\n', 'redis:7-alpine',
];

const interpolationTokens = ['$', '$$', '${', '}', 'VAR', 'TAG', ':-', '-', ':+', '+', ':?', '?', '#', '%', '/', '\\', '"', "'", 'redis:', '7', ' '];

const dotEnvTokens = [
  'IMGALIAS_MODE=', 'IMGALIAS_HARBOR=', 'export ', 'TAG=', '=', '#', ' # comment', '"', "'", '\\n', '\\"', '${TAG}', '$', '\n', '\r\n',
  ' ', '\t', 'internal', 'external', '__proto__=', 'constructor=', 'a b=c',
];

const env = new Map([
  ['TAG', '7'],
  ['REGISTRY', 'harbor.corp.local/proj'],
  ['EMPTY', ''],
  ['__proto__', 'x'],
]);

describe('fuzzing the project-file readers', () => {
  test.prop([textFrom(dockerfileTokens), fc.boolean()], runs)('parseDockerfile: a result or findings, bounded, never a throw', (text, withArgs) => {
    const result = withinBound(() =>
      parseDockerfile(text, { file: 'Dockerfile', ...(withArgs ? { buildArgs: new Map([['TAG', '8'], ['BUILDPLATFORM', 'linux/amd64']]) } : {}) }),
    );
    expectImages(result.images);
    expectFindings(result.findings);
  });

  test.prop([textFrom(composeTokens)], runs)('parseCompose: a result or findings, bounded, never a throw', (text) => {
    const result = withinBound(() => parseCompose(text, { file: 'compose.yaml', env }));
    expectImages(result.images);
    expectFindings(result.findings);
  });

  test.prop([textFrom(interpolationTokens), fc.constantFrom('dockerfile' as const, 'compose' as const)], runs)(
    'interpolate: a value and typed problems, never a throw',
    (text, dialect) => {
      const result = withinBound(() => interpolate(text, { dialect, lookup: lookupIn(env) }));
      expect(typeof result.value).toBe('string');
      for (const problem of result.problems) {
        expect(['UnsetVariable', 'RequiredVariable', 'UnsupportedExpression', 'InvalidSyntax']).toContain(problem._tag);
      }
    },
  );

  test.prop([textFrom(dotEnvTokens)], runs)('parseDotEnv: values and findings, bounded, never a throw', (text) => {
    const result = withinBound(() => parseDotEnv(text, { file: '.env' }));
    for (const [name, value] of result.env) {
      expect(typeof name).toBe('string');
      expect(typeof value).toBe('string');
    }
    expectFindings(result.findings);
  });
});
