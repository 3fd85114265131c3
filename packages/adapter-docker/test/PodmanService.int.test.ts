// The Engine API client against Podman's Docker-compatible service (`podman system service`) on a private store
// and a private socket: what bench/podman.mjs measures beside the CLI transport.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPodmanStore, engineCli, importImage, requireEngine } from '../../../test-support/engines.js';
import { defaultPolicy, planAliases } from '@imgalias/core';
import { createEngineApiClient, createEngineStore } from '../src/index.js';
import type { ExecEvent, RequestEvent } from '../src/index.js';

const podman = await requireEngine('podman', createPodmanStore);

/** True once the service answers `GET /_ping` on the socket. */
const answers = (socketPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
  });

const waitForExit = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

(podman ? describe : describe.skip)('Engine API client against a private podman service', () => {
  const socketPath = `${podman?.dir ?? ''}/podman.sock`;
  const endpoint = { _tag: 'Unix', host: `unix://${socketPath}`, socketPath } as const;
  let service: ChildProcess | undefined;

  beforeAll(async () => {
    // The store's environment (its podman wrapper first on PATH) keeps the service on the private store.
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], { env: { ...process.env, ...podman!.env }, stdio: 'ignore' });
    // Readiness, not timing: ask until it answers or the service process ends.
    const deadline = Date.now() + 60_000;
    while (!(await answers(socketPath))) {
      if (service.exitCode !== null || Date.now() > deadline) throw new Error(`podman system service did not answer on ${socketPath}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 90_000);

  afterAll(async () => {
    if (service?.pid === undefined) return;
    service.kill('SIGTERM');
    await waitForExit(service);
  }, 60_000);

  test('lists the store, tags canonical names one at a time, and inspects them, as the podman CLI sees them', async () => {
    const id = await importImage(podman!, ['localhost/svc-test:1']);
    const api = createEngineApiClient({ endpoint, engine: 'podman' });
    try {
      const listed = await api.listImages();
      expect(listed).toMatchObject({ _tag: 'Right', right: { images: [{ id, names: ['localhost/svc-test:1'] }] } });

      for (const target of ['docker.io/library/svc-test:1', 'harbor.corp.local/proj/svc-test:1']) {
        expect(await api.tagImage('localhost/svc-test:1', target)).toEqual({ _tag: 'Right', right: undefined });
      }
      expect(await api.inspectImage('docker.io/library/svc-test:1')).toMatchObject({ _tag: 'Right', right: { id } });
      expect(await api.inspectImage('docker.io/library/not-there:1')).toEqual({ _tag: 'Right', right: undefined });
      const names = await engineCli(podman!, ['image', 'inspect', '--format', '{{json .RepoTags}}', id]);
      expect(JSON.parse(names)).toEqual(expect.arrayContaining(['localhost/svc-test:1', 'docker.io/library/svc-test:1', 'harbor.corp.local/proj/svc-test:1']));
    } finally {
      api.close();
    }
  }, 120_000);

  test('the store with --transport auto and the host option on the service converges through the API: no podman process, names grouped per image', async () => {
    const id = await importImage(podman!, ['localhost/svc-auto:1', 'localhost/svc-auto:2']);
    const requests: RequestEvent[] = [];
    const processes: ExecEvent[] = [];
    const store = createEngineStore({
      engine: 'podman',
      env: podman!.env,
      host: endpoint.host,
      transport: 'auto',
      onRequest: (event) => requests.push(event),
      onExec: (event) => processes.push(event),
    });
    try {
      const snapshot = await store.snapshot();
      if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
      const plan = planAliases({ snapshot: snapshot.right, images: ['svc-auto:1', 'svc-auto:2'], policy: { ...defaultPolicy, mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' } } });
      expect(plan.actions.map((action) => action.target)).toEqual(['docker.io/library/svc-auto:1', 'docker.io/library/svc-auto:2']);
      const report = await store.apply(plan, { current: snapshot.right });
      expect(report).toMatchObject({ _tag: 'Right', right: { verified: true, via: `Podman service API at ${endpoint.host}` } });
      expect(store.transport()).toEqual({ kind: 'api', description: `Podman service API at ${endpoint.host}` });
      expect(processes).toEqual([]);
      // The snapshot, one re-read of the image's names, two tags one after the other (from the planned image's
      // id, not its source name), the verifying read.
      expect(requests.map((event) => `${event.method} ${event.path.replace(/\?.*/, '')}`)).toEqual([
        'GET /images/json',
        'GET /images/json',
        `POST /images/${encodeURIComponent(id)}/tag`,
        `POST /images/${encodeURIComponent(id)}/tag`,
        'GET /images/json',
      ]);
      const names = await engineCli(podman!, ['image', 'inspect', '--format', '{{json .RepoTags}}', id]);
      expect(JSON.parse(names)).toEqual(expect.arrayContaining(['docker.io/library/svc-auto:1', 'docker.io/library/svc-auto:2']));
    } finally {
      store.close();
    }
  }, 120_000);

  test('a writer that moves the source name after the re-read does not move the targets: the service tags the planned image', async () => {
    const planned = await importImage(podman!, ['localhost/svc-moved:1']);
    const other = await importImage(podman!, ['localhost/svc-moved-other:1']);
    let moved = false;
    const store = createEngineStore({
      engine: 'podman',
      env: podman!.env,
      host: endpoint.host,
      transport: 'api',
      // The move lands as the re-read's answer arrives (onRequest fires synchronously then), before any tag.
      onRequest: (event) => {
        if (moved || event.method !== 'GET' || !event.path.startsWith('/images/json')) return;
        moved = true;
        execFileSync('podman', ['tag', other, 'localhost/svc-moved:1'], { env: { ...process.env, ...podman!.env } });
      },
    });
    try {
      const snapshot = await createEngineStore({ engine: 'podman', env: podman!.env, host: endpoint.host, transport: 'api' }).snapshot();
      if (snapshot._tag === 'Left') throw new Error(JSON.stringify(snapshot.left));
      const base = { _tag: 'Tag', source: 'localhost/svc-moved:1', imageId: planned, family: 'x', role: 'origin', reason: 'missing-name' } as const;
      const targets = ['docker.io/library/svc-moved:1', 'docker.io/library/svc-moved-copy:1'];
      const report = await store.apply({ version: 1, mode: 'internal', findings: [], actions: targets.map((target) => ({ ...base, target })) }, { current: snapshot.right });
      expect(moved).toBe(true);
      expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Applied' }, { _tag: 'Applied' }], verified: true, mismatches: [] } });
      for (const target of targets) expect((await engineCli(podman!, ['image', 'inspect', '--format', '{{.Id}}', target])).trim()).toBe(planned.replace(/^sha256:/, ''));
      expect((await engineCli(podman!, ['image', 'inspect', '--format', '{{.Id}}', 'localhost/svc-moved:1'])).trim()).toBe(other.replace(/^sha256:/, ''));
    } finally {
      store.close();
    }
  }, 120_000);

  test('asking podman 4.3 for digests gets an empty answer, so the podman client leaves them out', async () => {
    const docker = createEngineApiClient({ endpoint });
    try {
      expect(await docker.listImages()).toMatchObject({ _tag: 'Left', left: { _tag: 'UnexpectedOutput', message: 'the image list is not JSON: ' } });
    } finally {
      docker.close();
    }
  }, 60_000);

  test('a socket nobody listens on is EngineUnreachable naming the Podman service', async () => {
    const nowhere = `${podman!.dir}/nobody.sock`;
    const api = createEngineApiClient({ endpoint: { _tag: 'Unix', host: `unix://${nowhere}`, socketPath: nowhere }, engine: 'podman' });
    expect(await api.listImages()).toEqual({
      _tag: 'Left',
      left: { _tag: 'EngineUnreachable', engine: 'podman', message: `Cannot connect to the Podman service at unix://${nowhere} (ENOENT)` },
    });
  });
});
