/**
 * A loopback TCP proxy that a test switches between three behaviours, so a fault test depends on events, not on
 * sleeps racing an engine's own retries:
 *
 * - `refuse`: every new connection is accepted and reset at once (the client sees "connection reset by peer";
 *   the registry is down as far as any client can tell), and the connections open at the switch are reset.
 * - `stall`: new connections are accepted and held: nothing is forwarded, nothing is answered.
 * - `pass`: new connections are forwarded to the upstream port, byte for byte.
 *
 * Every connection is counted by the mode it met, and a test can await a count: "the first connection was
 * refused" is `await proxy.seen('refuse', 1)`. Switching happens synchronously, so a test that switches in
 * reaction to an event (a line the CLI printed, a connection counted) knows exactly which attempts met which
 * mode. It listens on 127.0.0.1 and only ever connects to 127.0.0.1.
 *
 * ```ts
 * const proxy = await startTcpProxy({ upstreamPort: registry.port, mode: 'refuse' });
 * // ... point the client at proxy.host; when the first attempt has failed: proxy.setMode('pass')
 * await proxy.close();
 * ```
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export type ProxyMode = 'refuse' | 'stall' | 'pass';

export interface TcpProxy {
  readonly port: number;
  /** `127.0.0.1:PORT`: usable as the registry part of an image name */
  readonly host: string;
  mode(): ProxyMode;
  /** Applies to connections accepted from now on; `refuse` also cuts the connections open now. */
  setMode(mode: ProxyMode): void;
  /** How many connections met each mode so far. */
  counts(): Readonly<Record<ProxyMode, number>>;
  /** Resolves once at least `n` connections have met `mode` (at once if they already have). */
  seen(mode: ProxyMode, n: number): Promise<void>;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

export async function startTcpProxy(options: { readonly upstreamPort: number; readonly mode?: ProxyMode }): Promise<TcpProxy> {
  let mode: ProxyMode = options.mode ?? 'pass';
  const counts: Record<ProxyMode, number> = { refuse: 0, stall: 0, pass: 0 };
  const waiters: { mode: ProxyMode; n: number; resolve: () => void }[] = [];
  const open = new Set<Socket>();

  const track = (socket: Socket): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  };
  const count = (met: ProxyMode): void => {
    counts[met] += 1;
    for (const waiter of [...waiters]) {
      if (counts[waiter.mode] >= waiter.n) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  // A reset, not a polite close: that is what a client sees when the registry behind a connection dies.
  const cutAll = (): void => {
    for (const socket of open) if (!socket.destroyed) socket.resetAndDestroy();
  };

  const server = createServer((client) => {
    track(client);
    const met = mode;
    switch (met) {
      case 'refuse':
        client.resetAndDestroy();
        break;
      case 'stall':
        // Read and drop what arrives, so the client's request is fully sent; never answer.
        client.on('data', () => undefined);
        break;
      case 'pass': {
        const upstream = connect({ host: '127.0.0.1', port: options.upstreamPort });
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        break;
      }
    }
    count(met);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    port,
    host: `127.0.0.1:${port}`,
    mode: () => mode,
    setMode: (next) => {
      mode = next;
      if (next === 'refuse') cutAll();
    },
    counts: () => ({ ...counts }),
    seen: (waitFor, n) =>
      counts[waitFor] >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ mode: waitFor, n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
