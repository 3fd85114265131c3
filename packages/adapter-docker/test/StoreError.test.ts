import { describe, expect, test } from '@jest/globals';
import type { StoreError } from '@imgalias/core';
import { describeStoreError, tailEngineOutput, toStoreError } from '../src/index.js';
import type { ExecOutcome } from '../src/index.js';

const context = { engine: 'docker' as const, command: 'docker', args: ['tag', 'a:1', 'b:1'], timeoutMs: 500 };
const exited = (exitCode: number, stderr: string): ExecOutcome => ({ _tag: 'Exited', exitCode, stdout: '', stderr });

describe('toStoreError keeps the engine\'s own message', () => {
  test('exit 0 is not an error', () => {
    expect(toStoreError(exited(0, 'a warning'), context)).toBeUndefined();
  });

  test('a missing binary is EngineMissing', () => {
    expect(toStoreError({ _tag: 'SpawnFailed', code: 'ENOENT', message: 'spawn docker ENOENT' }, context)).toEqual({
      _tag: 'EngineMissing',
      engine: 'docker',
      command: 'docker',
      message: 'spawn docker ENOENT',
    });
  });

  test('any other spawn failure is a CommandFailed that was not run', () => {
    expect(toStoreError({ _tag: 'SpawnFailed', code: 'EACCES', message: 'spawn docker EACCES' }, context)).toEqual({
      _tag: 'CommandFailed',
      engine: 'docker',
      args: ['tag', 'a:1', 'b:1'],
      exitCode: null,
      message: 'EACCES: spawn docker EACCES',
    });
  });

  test.each([
    ['docker', 'Cannot connect to the Docker daemon at unix:///tmp/x/docker.sock. Is the docker daemon running?'],
    ['docker', 'error during connect: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/images/json": dial unix /var/run/docker.sock: connect: permission denied'],
    ['docker', 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock'],
    ['docker', 'context "nope" does not exist'],
    ['podman', 'Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`'],
    ['podman', 'Error: unable to connect to Podman socket: Get "http://d/v4.3.1/libpod/_ping": dial unix /run/podman/podman.sock: connect: no such file or directory'],
    ['nerdctl', 'time="..." level=fatal msg="cannot access containerd socket \\"/run/containerd/containerd.sock\\": no such file or directory"'],
  ] as const)('%s: "%s" is EngineUnreachable', (engine, stderr) => {
    expect(toStoreError(exited(1, stderr), { ...context, engine })).toEqual({ _tag: 'EngineUnreachable', engine, message: stderr });
  });

  test('a refused tag is CommandFailed with the exit status and message', () => {
    expect(toStoreError(exited(1, 'Error response from daemon: No such image: a:1'), context)).toEqual({
      _tag: 'CommandFailed',
      engine: 'docker',
      args: ['tag', 'a:1', 'b:1'],
      exitCode: 1,
      message: 'Error response from daemon: No such image: a:1',
    });
  });

  test('a timeout is Timeout with the limit', () => {
    expect(toStoreError({ _tag: 'TimedOut', stdout: '', stderr: '' }, context)).toEqual({
      _tag: 'Timeout',
      engine: 'docker',
      args: ['tag', 'a:1', 'b:1'],
      timeoutMs: 500,
    });
  });

  test('a child killed by a signal is CommandFailed that names the signal', () => {
    expect(toStoreError({ _tag: 'Signalled', signal: 'SIGKILL', stdout: '', stderr: '' }, context)).toMatchObject({
      _tag: 'CommandFailed',
      exitCode: null,
      message: 'killed by SIGKILL',
    });
  });

  test('tailEngineOutput drops progress noise and keeps the last lines', () => {
    expect(tailEngineOutput('Getting image source signatures\nCopying blob x\n\nError: a\nError: b\nError: c\n')).toBe('Error: a\nError: b\nError: c');
    expect(tailEngineOutput('', 'only stdout')).toBe('only stdout');
  });
});

describe('describeStoreError', () => {
  const cases: readonly [StoreError, readonly string[]][] = [
    [{ _tag: 'EngineMissing', engine: 'podman', command: 'podman', message: 'spawn podman ENOENT' }, ['`podman` was not found', 'spawn podman ENOENT). Install Podman (Debian: apt-get install podman), or choose another engine.']],
    [
      { _tag: 'EngineUnreachable', engine: 'docker', message: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' },
      ['not reachable', 'Is the docker daemon running? Start the daemon', 'DOCKER_HOST or DOCKER_CONTEXT'],
    ],
    [{ _tag: 'EngineUnreachable', engine: 'podman', message: 'Cannot connect to Podman.' }, ['Cannot connect to Podman. Start', 'CONTAINER_HOST']],
    [{ _tag: 'EngineUnreachable', engine: 'docker', message: 'connection refused' }, ['connection refused. Start the daemon']],
    [
      { _tag: 'CommandFailed', engine: 'docker', args: ['tag', 'a:1', 'b:1'], exitCode: 1, message: 'Error response from daemon: No such image: a:1' },
      ['docker tag a:1 b:1 failed with exit status 1', 'No such image: a:1', 'plan again'],
    ],
    [
      { _tag: 'CommandFailed', engine: 'docker', args: ['tag', 'A:1', 'b:1'], exitCode: null, message: 'invalid reference format: repository name must be lowercase' },
      ['was not run', 'must be lowercase', 'not a valid image reference'],
    ],
    [{ _tag: 'Timeout', engine: 'docker', args: ['tag', 'a:1', 'b:1'], timeoutMs: 500 }, ['did not finish within 500 ms', 'raise the engine timeout', '--timeout', 'engineTimeout']],
    [{ _tag: 'Cancelled', engine: 'docker', args: ['tag', 'a:1', 'b:1'] }, ['docker tag a:1 b:1 was cancelled', 'may or may not have taken effect', 'Rerun']],
    [{ _tag: 'UnexpectedOutput', engine: 'podman', message: 'the image list is not JSON' }, ['not JSON', 'podman >= 4']],
  ];
  test.each(cases)('%j says what happened and what to do', (error, parts) => {
    const text = describeStoreError(error);
    for (const part of parts) expect(text).toContain(part);
  });
});
