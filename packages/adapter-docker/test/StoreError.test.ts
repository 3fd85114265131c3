import { describe, expect, test } from '@jest/globals';
import type { StoreError } from '@imgalias/core';
import { describeStoreError, tailEngineOutput, toStoreError } from '../src/index.js';
import type { ExecOutcome, StoreOperation } from '../src/index.js';

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

  test('any other spawn failure is a CommandFailed without an exit status', () => {
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
      ['ended without an exit status', 'must be lowercase', 'not a valid image reference'],
    ],
    [
      { _tag: 'RequestFailed', engine: 'docker', args: ['tag', 'a:1', 'b:1'], status: 404, message: 'No such image: a:1' },
      ['docker tag a:1 b:1 was answered with HTTP 404: No such image: a:1.', 'plan again'],
    ],
    [
      { _tag: 'RequestFailed', engine: 'docker', args: ['image', 'ls', '--all', '--digests'], message: 'ECONNRESET: socket hang up' },
      ['docker image ls --all --digests failed: ECONNRESET: socket hang up.', 'Check the message above.'],
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

describe('describeStoreError gives each operation its own next step', () => {
  const refused = (args: readonly string[], message = 'Error response from daemon: something broke'): StoreError => ({ _tag: 'CommandFailed', engine: 'docker', args, exitCode: 1, message });
  const api = (args: readonly string[], message: string): StoreError => ({ _tag: 'RequestFailed', engine: 'docker', args, status: 500, message });

  test.each<[StoreOperation, StoreError, string, RegExp]>([
    ['snapshot', refused(['image', 'ls']), 'docker image ls failed with exit status 1: Error response from daemon: something broke. The store could not be read, so nothing more was done; check the message above, then run again.', /still applied|pushed|removed/],
    ['apply', refused(['tag', 'a:1', 'b:1']), 'docker tag a:1 b:1 failed with exit status 1: Error response from daemon: something broke. Check the message above; the other actions were still applied, so run again once it is fixed.', /nothing more was done/],
    ['pull', refused(['pull', 'redis:7']), 'docker pull redis:7 failed with exit status 1: Error response from daemon: something broke. Nothing was pulled for this image; check that the name exists and that the registry is reachable and lets you pull, then run again.', /still applied/],
    ['push', refused(['push', 'h/p/redis:7']), 'docker push h/p/redis:7 failed with exit status 1: Error response from daemon: something broke. This image was not pushed (the others still were); check that the registry is reachable and lets you push to it (docker login), then run again.', /still applied/],
    ['untag', refused(['image', 'rm', 'redis:7']), 'docker image rm redis:7 failed with exit status 1: Error response from daemon: something broke. This name was left in place (the others were still removed); check the message above, then run clean again.', /still applied/],
    ['snapshot', api(['image', 'ls'], 'server error'), 'docker image ls was answered with HTTP 500: server error. The store could not be read, so nothing more was done; check the message above, then run again.', /still applied/],
  ])('%s: says what happened and what to do next', (operation, error, expected, notSaid) => {
    const text = describeStoreError(error, operation);
    expect(text).toBe(expected);
    expect(text).not.toMatch(notSaid);
  });

  test.each<[StoreOperation, RegExp]>([
    ['snapshot', /could not be read, so nothing more was done; run again\.$/],
    ['apply', /planned image is no longer in the store \(another process removed it since the snapshot\): take a new snapshot and plan again\.$/],
    ['pull', /registry has no image by this name/],
    ['push', /image to push is no longer in the store: run publish again/],
    ['untag', /already gone; nothing is left to remove\.$/],
  ])('%s: an image the engine does not have gets a hint of its own', (operation, hint) => {
    expect(describeStoreError(refused(['x'], 'Error response from daemon: No such image: redis:7'), operation)).toMatch(hint);
  });

  test('a cancelled snapshot stops there; a cancelled tag may have taken effect', () => {
    const cancelled: StoreError = { _tag: 'Cancelled', engine: 'docker', args: ['image', 'ls'] };
    expect(describeStoreError(cancelled, 'snapshot')).toBe('docker image ls was cancelled by an interrupt; nothing more was done.');
    expect(describeStoreError({ ...cancelled, args: ['tag', 'a:1', 'b:1'] }, 'apply')).toMatch(/may or may not have taken effect/);
  });

  test('without an operation the next step claims nothing about the rest', () => {
    expect(describeStoreError(refused(['image', 'ls']))).toBe('docker image ls failed with exit status 1: Error response from daemon: something broke. Check the message above.');
  });
});
