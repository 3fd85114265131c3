import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One recorded call of a fake engine: which command, with which arguments, byte for byte. */
export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
}

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: readonly RecordedCall[];
  /**
   * Files in the run's working directory afterwards. PATH holds only the fakes, so injected code can only use
   * builtins; a redirection (`: > canary`) is the injection that would show up here.
   */
  readonly leftovers: readonly string[];
}

// Records "<command> NUL <argc> NUL <arg> NUL ..." with shell builtins only, so PATH can hold nothing but
// the fakes: a name that escaped its quotes could not reach a real engine (or any other program). Then fails
// (exit 1) when any argument is a line of $FAKE_ENGINE_FAIL, so a script's fallbacks can be exercised.
const FAKE_ENGINE = `#!/bin/sh
{ printf '%s\\0' "\${0##*/}" "$#"; for arg in "$@"; do printf '%s\\0' "$arg"; done; } >> "$FAKE_ENGINE_LOG"
for arg in "$@"; do
  while IFS= read -r fail; do [ "$arg" = "$fail" ] && exit 1; done < "$FAKE_ENGINE_FAIL"
done
exit 0
`;

const parseLog = (log: string): RecordedCall[] => {
  const fields = log.split('\0');
  const calls: RecordedCall[] = [];
  let at = 0;
  while (at < fields.length - 1) {
    const command = fields[at]!;
    const argc = Number(fields[at + 1]);
    calls.push({ command, args: fields.slice(at + 2, at + 2 + argc) });
    at += 2 + argc;
  }
  return calls;
};

const run = (shArgs: readonly string[], dir: string, log: string, fail: string) =>
  spawnSync('/bin/sh', shArgs, {
    cwd: join(dir, 'work'),
    encoding: 'utf8',
    // Only the fakes are reachable; DOCKER_HOST points nowhere in case a real client were found anyway.
    env: { PATH: join(dir, 'bin'), FAKE_ENGINE_LOG: log, FAKE_ENGINE_FAIL: fail, DOCKER_HOST: 'unix:///nonexistent/imgalias-test.sock' },
    timeout: 10_000,
  });

export interface FakeEngineOptions {
  /** Arguments that make a fake fail (exit 1) when given: a registry that does not have the image. */
  readonly failOn?: readonly string[];
}

/**
 * Runs `script` with `/bin/sh` in a temp directory whose PATH holds only fake `docker`, `podman`, `nerdctl`
 * and `skopeo` commands that record their argv. Also checks the script's syntax with `sh -n` first.
 */
export const runWithFakeEngines = (
  script: string,
  options: FakeEngineOptions = {},
): ScriptRun & { readonly syntax: { status: number | null; stderr: string } } => {
  const dir = mkdtempSync(join(tmpdir(), 'imgalias-dry-run-'));
  try {
    const bin = join(dir, 'bin');
    const work = join(dir, 'work');
    mkdirSync(bin);
    mkdirSync(work);
    for (const engine of ['docker', 'podman', 'nerdctl', 'skopeo']) {
      writeFileSync(join(bin, engine), FAKE_ENGINE);
      chmodSync(join(bin, engine), 0o755);
    }
    const scriptPath = join(dir, 'plan.sh');
    writeFileSync(scriptPath, script);
    const log = join(dir, 'calls.log');
    writeFileSync(log, '');
    const fail = join(dir, 'fail.list');
    writeFileSync(fail, (options.failOn ?? []).map((arg) => `${arg}\n`).join(''));
    const syntax = run(['-n', scriptPath], dir, log, fail);
    const result = run([scriptPath], dir, log, fail);
    const leftovers = readdirSync(work);
    return {
      syntax: { status: syntax.status, stderr: syntax.stderr },
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: parseLog(readFileSync(log, 'utf8')),
      leftovers,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
