/**
 * A switchable HTTP proxy on 127.0.0.1 in front of a real test registry, for the faults a registry client
 * must survive or refuse: a 500, a 429 with Retry-After, a connection dropped in the middle of a blob, and a
 * manifest whose bytes do not match the digest the registry vouches for. A test switches the fault on for
 * the next N matching requests; everything else passes through unchanged. No timers: faults are counted.
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { readonly _tag: 'Status'; readonly status: number; readonly retryAfter?: string }
  /** forwards headers and about half of the body, then destroys the socket */
  | { readonly _tag: 'DropMidBody' }
  /** forwards the response with one byte of the body changed and the headers (digest included) unchanged */
  | { readonly _tag: 'CorruptBody' }
  /** forwards the request unchanged once `until` settles: holds one step of a client until an event */
  | { readonly _tag: 'Hold'; readonly until: Promise<unknown> }
  /** forwards the request without its query: a registry that ignores `?mount=` (202 and an upload session) */
  | { readonly _tag: 'DropQuery' };

/** Which requests a fault or a wait is for: the method (any when absent) and a pattern for the path. */
export interface RequestMatch {
  readonly method?: string;
  readonly path: RegExp;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`: the registry part of image names that go through the proxy */
  readonly host: string;
  /** The next `times` requests whose method and path match get `fault`. */
  inject(fault: Fault, match: RequestMatch, times?: number): void;
  /** Requests seen, as `METHOD path`, and which of them were faulted. */
  readonly seen: { readonly line: string; readonly faulted: boolean }[];
  /**
   * Settles once `count` requests matching `match` have arrived (at once if they already have), whether faulted
   * or not: "the request a `Hold` holds is here" is `await proxy.whenSeen({ method: 'PUT', path: /.../ })`.
   */
  whenSeen(match: RequestMatch, count?: number): Promise<void>;
  /** TCP connections accepted so far (a keep-alive client reuses them). */
  connections(): number;
  /** Settles once `count` faults have been delivered in full (a dropped body: after its socket is destroyed). */
  whenDelivered(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const rules: { fault: Fault; method?: string; path: RegExp; left: number }[] = [];
  const seen: { line: string; faulted: boolean }[] = [];
  let delivered = 0;
  const waiting: { count: number; ok: () => void }[] = [];
  const deliver = (): void => {
    delivered += 1;
    for (const w of waiting.filter((x) => x.count <= delivered)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.ok();
    }
  };
  const matches = (match: RequestMatch, method: string | undefined, url: string): boolean =>
    (match.method === undefined || match.method === method) && match.path.test(url);
  const arrivals: { match: RequestMatch; count: number; ok: () => void }[] = [];
  const arrived = (match: RequestMatch): number =>
    seen.filter((s) => {
      const [method, url] = s.line.split(' ', 2);
      return matches(match, method, url ?? '');
    }).length;
  const server = createServer(async (req, res) => {
    const rule = rules.find((r) => r.left > 0 && matches(r, req.method, req.url ?? ''));
    seen.push({ line: `${req.method} ${req.url}`, faulted: rule !== undefined });
    for (const a of arrivals.filter((x) => arrived(x.match) >= x.count)) {
      arrivals.splice(arrivals.indexOf(a), 1);
      a.ok();
    }
    if (rule) rule.left -= 1;
    if (rule?.fault._tag === 'Status') {
      req.resume();
      res.writeHead(rule.fault.status, {
        'content-type': 'application/json',
        ...(rule.fault.retryAfter !== undefined ? { 'retry-after': rule.fault.retryAfter } : {}),
      });
      const code = rule.fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
      res.end(JSON.stringify({ errors: [{ code, message: `injected ${rule.fault.status}` }] }));
      deliver();
      return;
    }
    if (rule?.fault._tag === 'Hold') {
      req.pause();
      await rule.fault.until;
      deliver();
    }
    if (rule?.fault._tag === 'DropQuery') deliver();
    const path = rule?.fault._tag === 'DropQuery' ? (req.url ?? '').split('?')[0] : req.url;
    const upstream = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path, headers: req.headers },
      (up: IncomingMessage) => {
        const fault = rule?.fault;
        if (fault?._tag === 'DropMidBody') {
          res.writeHead(up.statusCode ?? 502, up.headers);
          const total = Number(up.headers['content-length'] ?? 0);
          let sent = 0;
          up.on('data', (chunk: Buffer) => {
            const room = Math.floor(total / 2) - sent;
            if (room > 0) {
              res.write(chunk.subarray(0, room));
              sent += Math.min(room, chunk.length);
            }
            if (sent >= Math.floor(total / 2) && !up.destroyed) {
              up.destroy();
              res.socket?.destroy();
              deliver();
            }
          });
          return;
        }
        if (fault?._tag === 'CorruptBody') {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            // Turn one space into a newline (or change the last byte): still the same length, different hash.
            const i = body.indexOf(0x20);
            if (i >= 0) body[i] = 0x0a;
            else if (body.length > 0) body[body.length - 1] = body[body.length - 1]! ^ 1;
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(body);
            deliver();
          });
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    inject: (fault, match, times = 1) => {
      rules.push({ fault, ...(match.method !== undefined ? { method: match.method } : {}), path: match.path, left: times });
    },
    seen,
    whenSeen: (match, count = 1) => (arrived(match) >= count ? Promise.resolve() : new Promise<void>((ok) => arrivals.push({ match, count, ok }))),
    connections: () => connections,
    whenDelivered: (count) => (delivered >= count ? Promise.resolve() : new Promise<void>((ok) => waiting.push({ count, ok }))),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
