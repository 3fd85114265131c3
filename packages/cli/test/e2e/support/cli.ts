import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDirs } from '../../../../../test-support/tempDirs.js';

export const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
export const cliDir = path.join(repoRoot, 'packages/cli');
export const binPath = path.join(cliDir, 'dist/bin.js');
export const fixturesDir = path.join(cliDir, 'test/fixtures');

const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
};

/**
 * End-to-end tests run the program users run: `dist/bin.js`. It is (re)built here, with the workspace packages
 * it bundles, when it is missing or older than any of their sources, so a stale build never passes a test.
 * `IMGALIAS_E2E_PREBUILT=1` uses the existing build as it is (while sibling packages are mid-edit).
 */
export async function ensureBuilt(): Promise<void> {
  if (process.env['IMGALIAS_E2E_PREBUILT'] === '1') {
    if (!existsSync(binPath)) throw new Error(`${binPath} does not exist: run pnpm --filter @imgalias/cli... build`);
    return;
  }
  const packages = ['core', 'adapter-docker', 'render', 'adapter-memory', 'adapter-registry', 'discover', 'project', 'cli'];
  const newest = Math.max(...packages.map((name) => newestSource(path.join(repoRoot, 'packages', name, 'src'))));
  if (existsSync(binPath) && statSync(binPath).mtimeMs >= newest) return;
  const built = await execa('pnpm', ['--filter', '@imgalias/cli...', 'build'], { cwd: repoRoot, reject: false, all: true });
  if (built.exitCode !== 0) throw new Error(`building the CLI failed:\n${built.all}`);
}

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node dist/bin.js ...args`. The child gets only PATH, a private HOME and what the test passes: the
 * developer's DOCKER_HOST, IMGALIAS_* or AI_INFRA_NETWORK_ENV can never reach it (or a real engine).
 */
export async function imgalias(
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: Readonly<Record<string, string | undefined>> },
): Promise<CliResult> {
  const result = await execa(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh directory for one test's working directory, files and config. */
export const tempDir = tempDirs('imgalias-e2e-');

/** A DOCKER_HOST nobody listens on: the socket file does not exist. */
export const deadDockerHost = (dir: string): string => `unix://${dir}/no-daemon-here.sock`;
