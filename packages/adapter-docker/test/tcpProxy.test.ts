// The switchable proxy the fault tests rely on: each mode does what the tests assume, and counts are events.
import { afterEach, describe, expect, test } from '@jest/globals';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { TcpProxy } from '../../../test-support/tcpProxy.js';
import { startTcpProxy } from '../../../test-support/tcpProxy.js';

/** What one client sees: the bytes it got back, and how the connection ended. */
const exchange = (port: number, send: string): Promise<{ readonly reply: string; readonly end: 'closed' | 'reset' | string }> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.endsWith('\n')) socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ reply, end: e.code === 'ECONNRESET' ? 'reset' : String(e.code) }));
    socket.on('close', () => resolve({ reply, end: 'closed' }));
    socket.write(send);
  });

describe('startTcpProxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  const echoSockets = new Set<Socket>();

  const start = async (mode: 'refuse' | 'stall' | 'pass'): Promise<void> => {
    echo = createServer((socket) => {
      echoSockets.add(socket);
      socket.on('close', () => echoSockets.delete(socket));
      socket.on('data', (chunk) => socket.write(`echo ${String(chunk)}`));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy({ upstreamPort: (echo.address() as AddressInfo).port, mode });
  };

  afterEach(async () => {
    await proxy.close();
    for (const socket of echoSockets) socket.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  test('pass forwards bytes both ways and counts the connection', async () => {
    await start('pass');
    expect(await exchange(proxy.port, 'hello\n')).toEqual({ reply: 'echo hello\n', end: 'closed' });
    expect(proxy.counts()).toEqual({ refuse: 0, stall: 0, pass: 1 });
  });

  test('refuse resets every connection without a byte of reply', async () => {
    await start('refuse');
    expect(await exchange(proxy.port, 'hello\n')).toEqual({ reply: '', end: 'reset' });
    expect(proxy.counts().refuse).toBe(1);
  });

  test('stall holds the connection open and answers nothing, until the test switches the mode', async () => {
    await start('stall');
    const pending = exchange(proxy.port, 'hello\n');
    await proxy.seen('stall', 1);
    // Switching to refuse cuts the stalled connection: the client learns only then, with nothing received.
    proxy.setMode('refuse');
    expect(await pending).toEqual({ reply: '', end: 'reset' });
  });

  test('seen resolves on the event: down until the first attempt failed, then up', async () => {
    await start('refuse');
    const firstRefused = proxy.seen('refuse', 1).then(() => proxy.setMode('pass'));
    const first = await exchange(proxy.port, 'one\n');
    await firstRefused;
    const second = await exchange(proxy.port, 'two\n');
    expect([first.end, second]).toEqual(['reset', { reply: 'echo two\n', end: 'closed' }]);
    expect(proxy.counts()).toEqual({ refuse: 1, stall: 0, pass: 1 });
    // A count already reached resolves at once.
    await expect(proxy.seen('pass', 1)).resolves.toBeUndefined();
  });
});
