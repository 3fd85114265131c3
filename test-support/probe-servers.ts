/*
 * Loopback HTTP servers that stand in for the endpoints `auto` mode probes: a registry (two ways of answering
 * like one), things that answer but are not registries (a captive portal, a proxy's error page), and a server
 * that accepts connections and never answers. Each listens on 127.0.0.1, port 0, and is closed by the test that
 * started it. Nothing here ever connects anywhere but loopback.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export type ProbeServerKind =
  /** 200 with `Docker-Distribution-API-Version: registry/2.0`, like a registry without auth. */
  | 'registry-header'
  /** 401 with a `WWW-Authenticate: Bearer` challenge and no version header, like Docker Hub's edge. */
  | 'registry-401'
  /** 200 with an HTML login page, like a captive portal. */
  | 'portal'
  /** 502 with an HTML error page, like a corporate proxy that cannot reach the internet. */
  | 'proxy-error'
  /** 302 to a login page, like a captive portal that redirects. */
  | 'portal-redirect'
  /** Accepts TCP connections and never sends a byte. */
  | 'silent';

export interface ProbeServer {
  readonly kind: ProbeServerKind;
  readonly port: number;
  /** `http://127.0.0.1:PORT/v2/` */
  readonly url: string;
  /** `127.0.0.1:PORT`, usable as the registry part of a Harbor location. */
  readonly host: string;
  /** How many requests (for `silent`: connections) arrived so far. */
  requests(): number;
  close(): Promise<void>;
}

const respond = (kind: Exclude<ProbeServerKind, 'silent'>, port: number, res: ServerResponse): void => {
  switch (kind) {
    case 'registry-header':
      res.writeHead(200, { 'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Type': 'application/json' });
      res.end('{}');
      return;
    case 'registry-401':
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="registry.test"`,
        'Content-Type': 'application/json',
      });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    case 'portal':
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>Welcome to Guest Wi-Fi</h1><form>Accept the terms to continue</form></body></html>');
      return;
    case 'proxy-error':
      res.writeHead(502, { 'Content-Type': 'text/html', Server: 'corporate-proxy' });
      res.end('<html><body><h1>502 Bad Gateway</h1><p>The proxy could not connect to the upstream server.</p></body></html>');
      return;
    case 'portal-redirect':
      res.writeHead(302, { Location: `http://127.0.0.1:${port}/login` });
      res.end();
      return;
  }
};

const listenOnLoopback = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/**
 * Starts one probe server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const registry = await startProbeServer('registry-401');
 * try { ... settings.probes.publicUrl = registry.url ... } finally { await registry.close(); }
 */
export async function startProbeServer(kind: ProbeServerKind): Promise<ProbeServer> {
  let count = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  // Read by the handlers at request time, after listen() has assigned it.
  let port = 0;
  const server: Server =
    kind === 'silent'
      ? createTcpServer((socket) => {
          count += 1;
          track(socket);
          // Read and drop whatever arrives so the client's request is fully sent, then never answer.
          socket.on('data', () => undefined);
          socket.on('error', () => undefined);
        })
      : createHttpServer((req: IncomingMessage, res: ServerResponse) => {
          count += 1;
          req.resume();
          respond(kind, port, res);
        }).on('connection', track);
  port = await listenOnLoopback(server);
  return handle(kind, port, () => count, server, sockets);
}

function handle(kind: ProbeServerKind, port: number, requests: () => number, server: Server, sockets: Set<Socket>): ProbeServer {
  return {
    kind,
    port,
    url: `http://127.0.0.1:${port}/v2/`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Probes that gave up leave their connections open; end them, or close() would wait for them forever.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback port with nothing listening on it (connection refused), found by binding port 0 and closing it.
 * Another process could take the port in between; on a test host that is vanishingly unlikely and only turns
 * "refused" into one of the other unreachable outcomes.
 */
export async function unusedLoopbackPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const loopbackHost = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

/**
 * A `fetch` for tests that refuses any URL whose host is not loopback, so a mistake in a test (a default URL
 * left in place) fails loudly instead of reaching the internet.
 */
export const loopbackOnlyFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!loopbackHost.test(url.hostname)) {
    return Promise.reject(new Error(`test fetch refused ${url.href}: only loopback addresses may be probed in tests`));
  }
  return fetch(input, init);
};
