// The test engines themselves: other suites (and the CLI's end-to-end tests) trust these helpers to give a
// private engine and to leave nothing running, so that is checked here against the real programs.
import { describe, expect, jest, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createPodmanStore, engineCli, importImage, requireEngine, startDockerd } from '../../../test-support/engines.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// These run real engine commands: the timeout only catches a hang, never a slow machine.
jest.setTimeout(120_000);

const docker = await requireEngine('docker', startDockerd);
const podman = await requireEngine('podman', createPodmanStore);

(docker ? describe : describe.skip)('startDockerd', () => {
  test('answers on its own socket, never the system one', async () => {
    expect(docker!.host).toBe(`unix://${docker!.dir}/docker.sock`);
    expect(docker!.host).not.toContain('/var/run/docker.sock');
    const version = await engineCli(docker!, ['version', '--format', '{{.Server.Version}}']);
    expect(version.trim()).toMatch(/^\d+\.\d+/);
    const info = await engineCli(docker!, ['info', '--format', '{{.DockerRootDir}} {{.Driver}}']);
    expect(info.trim()).toBe(`${docker!.dir}/data vfs`);
  });

  test("its containerd's temp directory is its own, so a stack dump never lands in the shared /tmp", async () => {
    const containerd = Number((await readFile(`${docker!.dir}/exec/containerd/containerd.pid`, 'utf8')).trim());
    const environ = (await readFile(`/proc/${containerd}/environ`, 'utf8')).split('\0');
    expect(environ).toContain(`TMPDIR=${docker!.dir}/tmp`);
  });

  test('importImage gives every name to one new image, and a new id per call', async () => {
    const a = await importImage(docker!, ['localhost/engines-test:1', 'engines-test:1']);
    const b = await importImage(docker!, ['localhost/engines-test:2']);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).not.toBe(a);
    const ids = await engineCli(docker!, ['image', 'inspect', '--format', '{{.Id}}', 'localhost/engines-test:1', 'engines-test:1', 'localhost/engines-test:2']);
    expect(ids.trim().split('\n')).toEqual([a, a, b]);
  });

  test('stop ends exactly that daemon and removes its directory', async () => {
    const other = await startDockerd();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
    // the suite's own daemon is untouched
    expect(isAlive(docker!.pid)).toBe(true);
  }, 60_000);
});

(podman ? describe : describe.skip)('createPodmanStore', () => {
  test('keeps images in its own directory', async () => {
    const id = await importImage(podman!, ['engines-test:1', 'docker.io/library/engines-test:1']);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const graphRoot = await engineCli(podman!, ['info', '--format', '{{.Store.GraphRoot}} {{.Store.GraphDriverName}}']);
    expect(graphRoot.trim()).toBe(`${podman!.dir}/root vfs`);
    const names = await engineCli(podman!, ['image', 'inspect', '--format', '{{json .NamesHistory}}', id]);
    expect(JSON.parse(names)).toEqual(expect.arrayContaining(['localhost/engines-test:1', 'docker.io/library/engines-test:1']));
  });

  test('globalArgs name the same store as env', async () => {
    const viaFlags = await engineCli(podman!, [...podman!.globalArgs, 'info', '--format', '{{.Store.GraphRoot}}']);
    expect(viaFlags.trim()).toBe(`${podman!.dir}/root`);
  });

  test('cleanup removes the store', async () => {
    const other = await createPodmanStore();
    await importImage(other, ['gone:1']);
    await other.cleanup();
    expect(existsSync(other.dir)).toBe(false);
  });
});

describe('requireEngine', () => {
  const failing = (): Promise<never> => Promise.reject(new Error('dockerd: not installed here'));
  const withCi = async <A>(value: string | undefined, work: () => Promise<A>): Promise<A> => {
    const saved = process.env['CI'];
    if (value === undefined) delete process.env['CI'];
    else process.env['CI'] = value;
    try {
      return await work();
    } finally {
      if (saved === undefined) delete process.env['CI'];
      else process.env['CI'] = saved;
    }
  };

  test('in CI an engine that cannot start fails the suite instead of skipping it', async () => {
    await expect(withCi('true', () => requireEngine('docker', failing))).rejects.toThrow(
      'docker engine could not start in CI, failing instead of skipping: dockerd: not installed here',
    );
  });

  test('outside CI it skips, saying why', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expect(withCi(undefined, () => requireEngine('docker', failing))).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Skipping docker integration tests'));
    } finally {
      warn.mockRestore();
    }
  });
});
