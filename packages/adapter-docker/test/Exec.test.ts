// The default exec runs real (tiny) processes: the conversion from execa's result is the edge where foreign
// errors become values, so it is checked against real failures rather than a mock of execa.
import { describe, expect, test } from '@jest/globals';
import { execaExec } from '../src/index.js';

const env = { PATH: process.env['PATH'] };

describe('execaExec', () => {
  test('a normal exit keeps status, stdout and stderr', async () => {
    expect(await execaExec({ command: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'], env, timeoutMs: 10_000 })).toEqual({
      _tag: 'Exited',
      exitCode: 3,
      stdout: 'out',
      stderr: 'err',
    });
  });

  test('arguments are passed as an array, never through a shell', async () => {
    const tricky = 'a b; echo injected $(id)';
    expect(await execaExec({ command: 'printf', args: ['%s', tricky], env, timeoutMs: 10_000 })).toMatchObject({ stdout: tricky });
  });

  test('the environment given is the whole environment', async () => {
    const result = await execaExec({ command: 'sh', args: ['-c', 'echo "${DOCKER_HOST-unset} ${HOME-unset}"'], env: { ...env, DOCKER_HOST: 'unix:///tmp/x.sock' }, timeoutMs: 10_000 });
    expect(result).toMatchObject({ stdout: 'unix:///tmp/x.sock unset' });
  });

  test('a missing program is SpawnFailed ENOENT', async () => {
    expect(await execaExec({ command: 'imgalias-no-such-engine', args: [], env, timeoutMs: 10_000 })).toMatchObject({ _tag: 'SpawnFailed', code: 'ENOENT' });
  });

  test('a program that outlives its timeout is TimedOut', async () => {
    expect(await execaExec({ command: 'sleep', args: ['5'], env, timeoutMs: 100 })).toMatchObject({ _tag: 'TimedOut' });
  });

  test('a program whose cancelSignal is aborted ends at once as Cancelled', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = execaExec({ command: 'sleep', args: ['60'], env, timeoutMs: 120_000, cancelSignal: controller.signal });
    controller.abort('SIGINT');
    expect(await running).toMatchObject({ _tag: 'Cancelled' });
    // Ended by the cancel, not by the 60 s sleep or the 2 minute timeout.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  test('a program killed by a signal is Signalled', async () => {
    expect(await execaExec({ command: 'sh', args: ['-c', 'kill -KILL $$'], env, timeoutMs: 10_000 })).toMatchObject({ _tag: 'Signalled', signal: 'SIGKILL' });
  });
});
