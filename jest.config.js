// Jest runs in ESM mode because execa is ESM-only; see docs/architecture.md#testing.
import { guardEngineEnvironment } from './test-support/engineGuard.mjs';

// Before any worker starts, so every test and every process a test spawns inherits it: no test can reach the
// machine's own docker daemon or podman store through a variable it forgot (test-support/engineGuard.mjs).
guardEngineEnvironment();

const tsJest = [
  'ts-jest',
  { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: false },
];

/** @param {string} name */
const project = (name) => ({
  displayName: name,
  rootDir: `<rootDir>/packages/${name}`,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Unit tests run against sibling packages' sources so packages can change together;
    // end-to-end tests run the built binary instead.
    '^@imgalias/core/internal$': '<rootDir>/../core/src/internal.ts',
    '^@imgalias/project/internal$': '<rootDir>/../project/src/internal.ts',
    '^@imgalias/(core|adapter-docker|adapter-memory|adapter-registry|render|discover|project|cli)$': '<rootDir>/../$1/src/index.ts',
  },
  transform: { '^.+\\.ts$': tsJest },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
});

/** @type {import('jest').Config} */
export default {
  projects: ['core', 'adapter-docker', 'adapter-memory', 'adapter-registry', 'render', 'discover', 'project', 'cli'].map(project),
  // A guard against a hang, not a speed check: jest's 5 s default failed file-system setup on a loaded machine.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  collectCoverageFrom: ['packages/*/src/**/*.ts', '!packages/*/src/bin.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: {
    './packages/core/src/': { lines: 95 },
  },
};
