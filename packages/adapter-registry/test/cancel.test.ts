// Cancellation: a client made with a signal, and copyMany given it. The registry in front of the copy is a proxy
// that accepts every connection and answers nothing, so a copy is in flight until it is cancelled; the signal is
// aborted at an event (the proxy held a connection), never after a delay.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { requireRegistry } from '../../../test-support/registry.js';
import { startTcpProxy } from '../../../test-support/tcpProxy.js';
import type { TcpProxy } from '../../../test-support/tcpProxy.js';
import { createRegistryClient, createRegistryImages, describeRegistryError } from '../src/index.js';

jest.setTimeout(60_000);

const target = await requireRegistry();
const stall: TcpProxy | undefined = target ? await startTcpProxy({ upstreamPort: target.port, mode: 'stall' }) : undefined;
afterAll(() => stall?.close());

(target && stall ? describe : describe.skip)('a registry client with a signal', () => {
  it('aborting it cancels the copy in flight, starts no other, and asks nothing afterwards', async () => {
    const controller = new AbortController();
    const client = createRegistryClient({ signal: controller.signal });
    const images = createRegistryImages({ client, concurrency: 1 });
    const pending = images.copyMany(
      [
        { source: `${stall!.host}/team/a:1`, target: `${target!.host}/team/a:1` },
        { source: `${stall!.host}/team/b:1`, target: `${target!.host}/team/b:1` },
      ],
      { signal: controller.signal },
    );
    await stall!.seen('stall', 1);
    controller.abort('SIGINT');
    const results = await pending;
    expect(results).toEqual([
      { _tag: 'Left', left: { _tag: 'Cancelled', started: true } },
      { _tag: 'Left', left: { _tag: 'Cancelled', started: false } },
    ]);
    expect(results.map((r) => (r._tag === 'Left' ? describeRegistryError(r.left) : ''))).toEqual([
      expect.stringMatching(/^cancelled by an interrupt while it ran; the tag is written last/),
      expect.stringMatching(/^not started: interrupted before it began/),
    ]);

    // Later requests fail without a connection, and are not retried.
    const held = stall!.counts().stall;
    expect(await images.head(`${stall!.host}/team/c:1`)).toEqual({ _tag: 'Left', left: { _tag: 'Cancelled', started: true } });
    expect(stall!.counts().stall).toBe(held);
    // Nothing in flight holds close(): the connection still waiting for an answer is dropped.
    await client.close();
    // The target was never written: no tag under either name.
    for (const name of ['a', 'b']) expect((await fetch(`http://${target!.host}/v2/team/${name}/tags/list`)).status).toBe(404);
  });
});
