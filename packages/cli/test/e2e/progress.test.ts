import { beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { binPath, deadDockerHost, ensureBuilt, imgalias, tempDir } from './support/cli.js';

beforeAll(ensureBuilt, 600_000);

// Eight images known only by their localhost/ names: applying the plan is eight actions, more than a handful.
const snapshot = JSON.stringify({
  version: 1,
  images: Array.from({ length: 8 }, (_, i) => ({ id: `sha256:${String(i).repeat(64)}`, names: [`localhost/team/img${i}:1`] })),
});

// `script` (util-linux) runs the program on a pseudo-terminal, as an operator's shell would. Its command is a
// fixed string; the variable parts reach it through the environment, never by building a shell string.
const onTerminal = 'stty cols 100 rows 40; exec "$IMGALIAS_NODE" "$IMGALIAS_BIN" apply --snapshot snapshot.json';

const hasScript = (await execa('script', ['--version'], { reject: false })).exitCode === 0;
// Built from the character code: a control character in a regular expression literal is a lint error.
const ESC = String.fromCharCode(27);
const controlSequences = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');

describe('apply output on a terminal and off one', () => {
  test('without a terminal: plain lines, no escape sequences, no progress display', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'snapshot.json'), snapshot);
    const result = await imgalias(['apply', '--snapshot', 'snapshot.json'], { cwd: dir, env: { DOCKER_HOST: deadDockerHost(dir), NO_COLOR: '' } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain('Tagging');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('tagged'))).toHaveLength(8);
    expect(result.stdout).toMatch(/^8 tagged, 0 conflicts, 0 failed$/m);
  }, 60_000);

  (hasScript ? test : test.skip)('on a terminal: a progress display while applying, then the same report', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'snapshot.json'), snapshot);
    const result = await execa('script', ['-qec', onTerminal, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, TERM: 'xterm', IMGALIAS_NODE: process.execPath, IMGALIAS_BIN: binPath, DOCKER_HOST: deadDockerHost(dir) },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Tagging 8 names');
    // Colour on a terminal (no NO_COLOR here), and every action still listed in the report after the display.
    expect(result.stdout).toContain(`${ESC}[`);
    expect(result.stdout.replace(controlSequences, '')).toMatch(/8 tagged, 0 conflicts, 0 failed/);
  }, 60_000);
});
