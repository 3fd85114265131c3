import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { Challenge } from './Challenge.js';
import { mergeScopes, parseChallenge } from './Challenge.js';
import type { BasicCredentials, CredentialSource } from './Credentials.js';
import { anonymous } from './Credentials.js';
import type { RegistryError, RegistryErrorCode } from './RegistryError.js';
import { isRetryable } from './RegistryError.js';

/** How often and how long to retry a request that failed in a way that can pass (429, 5xx, a dropped connection). */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  readonly attempts?: number;
  /** The first wait; each next one doubles. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** No wait is longer than this, `Retry-After` included. Default 30 s. */
  readonly maxDelayMs?: number;
  /** Injected so tests of backoff are deterministic; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told about each retry, e.g. for a progress line. */
  readonly onRetry?: (error: RegistryError, delayMs: number, attempt: number) => void;
}

export interface RegistryClientOptions {
  /** Where credentials come from (docker's config.json, fixed ones, ...). Default anonymous. */
  readonly credentials?: CredentialSource;
  /**
   * Registries (`host:port`) that may be spoken to over plain HTTP or with an unverified certificate. Loopback
   * registries (127.0.0.0/8, ::1, localhost) may use plain HTTP without being named, as docker allows.
   */
  readonly insecure?: readonly string[];
  /** Extra CA certificates (PEM) trusted for HTTPS registries, e.g. a company CA that signed Harbor's certificate. */
  readonly ca?: string | Buffer;
  /** Connections per registry (keep-alive, reused). Default 16. */
  readonly connections?: number;
  readonly retry?: RetryOptions;
  readonly userAgent?: string;
  /** Clock for `Retry-After` dates; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Aborting it (SIGINT, SIGTERM) cancels every request in flight and fails every later one without asking:
   * both end `Cancelled` (`started: true`), and are not retried.
   */
  readonly signal?: AbortSignal;
}

export interface RegistryRequest {
  /** `host[:port]` as written in image names, e.g. `harbor.corp.local` or `127.0.0.1:5000` */
  readonly registry: string;
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** path and query, e.g. `/v2/team/app/manifests/1.0` */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A Buffer or string can be sent again after a 401; a stream cannot, so its token is fetched first. */
  readonly body?: Buffer | string | Readable;
  /** Token scopes this request needs, e.g. `repository:team/app:pull,push`. */
  readonly scopes: readonly string[];
  /** Status codes that are answers, not errors (404 for "absent" on a HEAD). Default 2xx. */
  readonly accept?: readonly number[];
}

export interface RegistryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
}

/** The transport: one keep-alive agent, auth by challenge, registry errors as values. */
export interface RegistryClient {
  send(req: RegistryRequest): Promise<Either<RegistryError, RegistryResponse>>;
  /** `send` with retries and backoff for errors that can pass; the request must be repeatable (no stream body). */
  sendWithRetry(req: RegistryRequest): Promise<Either<RegistryError, RegistryResponse>>;
  /** Runs `op` again while it fails in a way that can pass, waiting as `retry` says. */
  retrying<T>(op: () => Promise<Either<RegistryError, T>>): Promise<Either<RegistryError, T>>;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

/** Docker's default: plain HTTP is allowed for loopback registries. */
export const isLoopbackRegistry = (registry: string): boolean => {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
};

/** The host an image name's registry part is served from (Docker Hub's API lives on registry-1.docker.io). */
export const apiHost = (registry: string): string => (registry === 'docker.io' ? 'registry-1.docker.io' : registry);

const header = (headers: RegistryResponse['headers'], name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

const MAX_ERROR_BODY = 64 * 1024;

const readErrorCodes = async (body: RegistryResponse['body']): Promise<readonly RegistryErrorCode[]> => {
  try {
    let text = '';
    for await (const chunk of body) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length > MAX_ERROR_BODY) break;
    }
    body.destroy();
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.flatMap((e: unknown) => {
      if (typeof e !== 'object' || e === null) return [];
      const { code, message } = e as { code?: unknown; message?: unknown };
      return typeof code === 'string' ? [{ code, message: typeof message === 'string' ? message : '' }] : [];
    });
  } catch {
    return [];
  }
};

const errorMessage = (e: unknown): string => {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const message = err.cause?.message ?? err.message ?? String(e);
  return code && !message.includes(code) ? `${message} (${code})` : message;
};

// A TLS handshake answered by a plain-HTTP server: the registry does not speak HTTPS.
const speaksPlainHttp = (e: unknown): boolean => {
  const text = errorMessage(e);
  return /wrong version number|ERR_SSL_WRONG_VERSION_NUMBER|packet length too long|ECONNRESET|other side closed|UND_ERR_SOCKET/i.test(text);
};

type Scheme = 'https' | 'http';

interface Token {
  readonly value: string;
  /** When the token stops being valid (clock of `now`); a token is renewed a little before. */
  readonly expiresAt: number;
}

// The token spec's default lifetime when the service names none, and how early a token is renewed, so a
// streamed upload (which cannot be sent again after a 401) never starts with a token about to expire.
const DEFAULT_TOKEN_SECONDS = 60;
const RENEW_BEFORE_MS = 15_000;

/**
 * Creates the HTTP client every registry operation goes through.
 *
 * @example
 * const client = createRegistryClient({ credentials: dockerConfigCredentials({ path }), insecure: ['harbor.lab:8080'] });
 */
export const createRegistryClient = (options: RegistryClientOptions = {}): RegistryClient => {
  const credentialsOf = options.credentials ?? anonymous;
  const insecure = new Set(options.insecure ?? []);
  const now = options.now ?? Date.now;
  const connections = options.connections ?? 16;
  const userAgent = options.userAgent ?? 'imgalias';
  const retry = {
    attempts: options.retry?.attempts ?? 4,
    baseDelayMs: options.retry?.baseDelayMs ?? 200,
    maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
    sleep: options.retry?.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms))),
    onRetry: options.retry?.onRetry,
  };
  const verified = new Agent({
    connections,
    keepAliveTimeout: 30_000,
    ...(options.ca !== undefined ? { connect: { ca: options.ca } } : {}),
  });
  // Only for registries the user named as insecure: HTTPS without checking the certificate, as docker does.
  const unverified = new Agent({ connections, keepAliveTimeout: 30_000, connect: { rejectUnauthorized: false } });

  const schemes = new Map<string, Promise<Either<RegistryError, { scheme: Scheme; challenge: Challenge }>>>();
  const tokens = new Map<string, { promise: Promise<Either<RegistryError, Token>>; settled?: Either<RegistryError, Token> }>();
  const credentials = new Map<string, Promise<Either<RegistryError, BasicCredentials | undefined>>>();

  const dispatcherFor = (registry: string): Agent => (insecure.has(registry) ? unverified : verified);
  const plainAllowed = (registry: string): boolean => insecure.has(registry) || isLoopbackRegistry(registry);

  const credentialsFor = (registry: string): Promise<Either<RegistryError, BasicCredentials | undefined>> => {
    let c = credentials.get(registry);
    if (!c) {
      c = credentialsOf(registry);
      credentials.set(registry, c);
    }
    return c;
  };

  // Every request in flight listens for the abort: on a signal of the client's own, linked to the caller's once,
  // so many requests at a time neither warn of a listener leak nor touch the caller's signal.
  const cancel = options.signal === undefined ? undefined : new AbortController();
  if (cancel !== undefined && options.signal !== undefined) {
    setMaxListeners(0, cancel.signal);
    const caller = options.signal;
    if (caller.aborted) cancel.abort(caller.reason);
    else caller.addEventListener('abort', () => cancel.abort(caller.reason), { once: true });
  }
  const signal = cancel?.signal;
  // A function, not a narrowed property: the signal may fire during any await.
  const aborted = (): boolean => signal?.aborted === true;
  // undici does not end a request still connecting (a registry that accepted the connection and says nothing)
  // when its signal aborts, only at its connect timeout: race the signal, and drop a response that comes late.
  const untilAborted = (pending: Promise<Dispatcher.ResponseData>): Promise<Dispatcher.ResponseData> => {
    if (signal === undefined) return pending;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new Error('cancelled by the caller'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (res) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) res.body.destroy();
          else resolve(res);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };

  const ping = async (registry: string, scheme: Scheme): Promise<Dispatcher.ResponseData> => {
    const res = await untilAborted(request(`${scheme}://${apiHost(registry)}/v2/`, {
      method: 'GET',
      dispatcher: dispatcherFor(registry),
      headers: { 'user-agent': userAgent },
      ...(signal === undefined ? {} : { signal }),
    }));
    await res.body.dump();
    return res;
  };

  // HTTPS first; plain HTTP only where allowed and only when the server does not speak TLS at all (a
  // certificate the client does not trust is an error, never a reason to drop to plain HTTP).
  const probe = (registry: string): Promise<Either<RegistryError, { scheme: Scheme; challenge: Challenge }>> => {
    let p = schemes.get(registry);
    if (!p) {
      p = (async (): Promise<Either<RegistryError, { scheme: Scheme; challenge: Challenge }>> => {
        const challengeOf = (res: Dispatcher.ResponseData): Challenge =>
          res.statusCode === 401 ? parseChallenge(header(res.headers, 'www-authenticate')) : { _tag: 'None' };
        try {
          const res = await ping(registry, 'https');
          return right({ scheme: 'https', challenge: challengeOf(res) });
        } catch (e) {
          if (aborted()) return left({ _tag: 'Cancelled', started: true });
          if (!speaksPlainHttp(e)) return left({ _tag: 'Unreachable', registry, message: errorMessage(e) });
          if (!plainAllowed(registry)) return left({ _tag: 'InsecureRefused', registry });
          try {
            const res = await ping(registry, 'http');
            return right({ scheme: 'http', challenge: challengeOf(res) });
          } catch (e2) {
            if (aborted()) return left({ _tag: 'Cancelled', started: true });
            return left({ _tag: 'Unreachable', registry, message: errorMessage(e2) });
          }
        }
      })();
      schemes.set(registry, p);
      // A registry that was down may come back: do not remember failures.
      void p.then((r) => {
        if (r._tag === 'Left') schemes.delete(registry);
      });
    }
    return p;
  };

  const basicHeader = (c: BasicCredentials): string => `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

  const fetchToken = async (registry: string, challenge: Extract<Challenge, { _tag: 'Bearer' }>, scopes: readonly string[]): Promise<Either<RegistryError, Token>> => {
    const creds = await credentialsFor(registry);
    if (creds._tag === 'Left') return creds;
    const url = new URL(challenge.realm);
    if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const realmHost = url.host;
    if (url.protocol !== 'https:' && !(plainAllowed(registry) && (isLoopbackRegistry(realmHost) || insecure.has(realmHost)))) {
      return left({ _tag: 'InsecureRefused', registry: realmHost });
    }
    try {
      const res = await untilAborted(request(url, {
        method: 'GET',
        dispatcher: insecure.has(realmHost) ? unverified : verified,
        headers: { 'user-agent': userAgent, ...(creds.right ? { authorization: basicHeader(creds.right) } : {}) },
        ...(signal === undefined ? {} : { signal }),
      }));
      if (res.statusCode === 401 || res.statusCode === 403) {
        const codes = await readErrorCodes(res.body);
        return left({ _tag: 'Unauthorized', registry, detail: `the token service ${realmHost} answered ${res.statusCode}${codes.length ? ` (${codes.map((c) => c.code).join(', ')})` : ''}` });
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        const codes = await readErrorCodes(res.body);
        return left({ _tag: 'HttpStatus', registry: realmHost, method: 'GET', path: url.pathname, status: res.statusCode, codes });
      }
      const issued = now();
      const body = (await res.body.json()) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
      const value = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
      if (value === undefined) return left({ _tag: 'Unauthorized', registry, detail: `the token service ${realmHost} sent no token` });
      const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
      return right({ value, expiresAt: issued + seconds * 1000 });
    } catch (e) {
      if (aborted()) return left({ _tag: 'Cancelled', started: true });
      return left({ _tag: 'Unreachable', registry: realmHost, message: errorMessage(e) });
    }
  };

  const tokenFor = (registry: string, challenge: Extract<Challenge, { _tag: 'Bearer' }>, scopes: readonly string[], fresh: boolean): Promise<Either<RegistryError, Token>> => {
    const key = `${registry} ${scopes.join(' ')}`;
    const cached = fresh ? undefined : tokens.get(key);
    const expired = cached?.settled !== undefined && cached.settled._tag === 'Right' && cached.settled.right.expiresAt - RENEW_BEFORE_MS <= now();
    if (cached && !expired) return cached.promise;
    const entry: { promise: Promise<Either<RegistryError, Token>>; settled?: Either<RegistryError, Token> } = {
      promise: fetchToken(registry, challenge, scopes),
    };
    tokens.set(key, entry);
    void entry.promise.then((r) => {
      entry.settled = r;
      if (r._tag === 'Left' && tokens.get(key) === entry) tokens.delete(key);
    });
    return entry.promise;
  };

  const authorization = async (registry: string, challenge: Challenge, scopes: readonly string[], fresh: boolean): Promise<Either<RegistryError, string | undefined>> => {
    switch (challenge._tag) {
      case 'None':
        return right(undefined);
      case 'Basic': {
        const creds = await credentialsFor(registry);
        if (creds._tag === 'Left') return creds;
        return right(creds.right ? basicHeader(creds.right) : undefined);
      }
      case 'Bearer': {
        const token = await tokenFor(registry, challenge, scopes, fresh);
        return token._tag === 'Left' ? token : right(`Bearer ${token.right.value}`);
      }
    }
  };

  const cancelled: RegistryError = { _tag: 'Cancelled', started: true };
  const send = async (req: RegistryRequest): Promise<Either<RegistryError, RegistryResponse>> => {
    if (aborted()) return left(cancelled);
    const probed = await probe(req.registry);
    if (probed._tag === 'Left') return probed;
    const { scheme } = probed.right;
    let challenge = probed.right.challenge;
    let scopes = mergeScopes(req.scopes);
    const replayable = req.body === undefined || typeof req.body === 'string' || Buffer.isBuffer(req.body);
    for (let attempt = 0; ; attempt += 1) {
      const auth = await authorization(req.registry, challenge, scopes, attempt > 0);
      if (auth._tag === 'Left') return auth;
      let res: Dispatcher.ResponseData;
      try {
        res = await untilAborted(request(`${scheme}://${apiHost(req.registry)}${req.path}`, {
          method: req.method,
          dispatcher: dispatcherFor(req.registry),
          headers: { 'user-agent': userAgent, ...req.headers, ...(auth.right ? { authorization: auth.right } : {}) },
          ...(req.body !== undefined ? { body: req.body } : {}),
          // undici closes the connection after every HEAD unless told not to (a guard against servers that send a
          // body with one); registries answer HEAD without a body, and a new connection per HEAD costs the registry
          // an accept and a handshake's worth of CPU for what is its cheapest request.
          ...(req.method === 'HEAD' ? { reset: false } : {}),
          ...(signal === undefined ? {} : { signal }),
        }));
      } catch (e) {
        if (aborted()) return left(cancelled);
        return left({ _tag: 'Unreachable', registry: req.registry, message: errorMessage(e) });
      }
      const ok = (res.statusCode >= 200 && res.statusCode <= 299) || (req.accept ?? []).includes(res.statusCode);
      if (ok) return right({ status: res.statusCode, headers: res.headers, body: res.body });
      if (res.statusCode === 401 && attempt === 0 && replayable) {
        // The registry may want a wider scope than we asked for (e.g. pull on the mount source): ask for
        // the union with a fresh token, once.
        const next = parseChallenge(header(res.headers, 'www-authenticate'));
        await res.body.dump();
        if (next._tag !== 'None') {
          challenge = next;
          if (next._tag === 'Bearer' && next.scope !== undefined) scopes = mergeScopes([...scopes, next.scope]);
          continue;
        }
        return left({ _tag: 'Unauthorized', registry: req.registry, detail: `${req.method} ${req.path} answered 401` });
      }
      const codes = req.method === 'HEAD' ? [] : await readErrorCodes(res.body);
      if (req.method === 'HEAD') await res.body.dump();
      if (res.statusCode === 401) {
        return left({ _tag: 'Unauthorized', registry: req.registry, detail: `${req.method} ${req.path} answered 401${codes.length ? ` (${codes.map((c) => c.code).join(', ')})` : ''}` });
      }
      const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'), now());
      return left({
        _tag: 'HttpStatus',
        registry: req.registry,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        codes,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
  };

  const retrying = async <T>(op: () => Promise<Either<RegistryError, T>>): Promise<Either<RegistryError, T>> => {
    for (let attempt = 1; ; attempt += 1) {
      const result = await op();
      if (result._tag === 'Right' || !isRetryable(result.left) || attempt >= retry.attempts) return result;
      const backoff = retry.baseDelayMs * 2 ** (attempt - 1);
      const asked = result.left._tag === 'HttpStatus' ? result.left.retryAfterMs : undefined;
      const delay = Math.min(retry.maxDelayMs, asked ?? backoff);
      retry.onRetry?.(result.left, delay, attempt);
      await retry.sleep(delay);
    }
  };

  return {
    send,
    sendWithRetry: (req) => retrying(() => send(req)),
    retrying,
    close: async () => {
      // Once aborted, nothing in flight is worth waiting for (a connection still connecting would hold close()).
      if (aborted()) await Promise.all([verified.destroy(), unverified.destroy()]);
      else await Promise.all([verified.close(), unverified.close()]);
    },
  };
};
