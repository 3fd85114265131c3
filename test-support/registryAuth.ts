/**
 * What the secured test registries need, made inside the test: a self-signed certificate (openssl), an
 * htpasswd file with bcrypt lines (htpasswd -B from apache2-utils), and a token server that implements the
 * distribution token flow (GET realm?service=&scope=, basic credentials, a JWT signed with node:crypto and
 * verified by the registry against the certificate in its rootcertbundle). Everything listens on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificate {
  readonly certificate: string;
  readonly key: string;
  readonly certificatePem: string;
  readonly keyPem: string;
}

/** A self-signed certificate for 127.0.0.1 (and `localhost`), valid one day, written into `dir`. */
export async function makeCertificate(dir: string, name: string): Promise<Certificate> {
  const certificate = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', key, '-out', certificate,
    '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { certificate, key, certificatePem: await readFile(certificate, 'utf8'), keyPem: await readFile(key, 'utf8') };
}

/** An htpasswd file with one bcrypt line per user, made by `htpasswd -B` (apache2-utils). */
export async function makeHtpasswd(dir: string, users: Readonly<Record<string, string>>): Promise<string> {
  const path = join(dir, 'htpasswd');
  let first = true;
  for (const [user, password] of Object.entries(users)) {
    await run('htpasswd', [first ? '-Bbc' : '-Bb', path, user, password]);
    first = false;
  }
  return path;
}

export interface TokenRequest {
  /** the user that authenticated, or undefined for an anonymous request */
  readonly user: string | undefined;
  readonly service: string | null;
  readonly scopes: readonly string[];
  /** what the token granted, e.g. `repository:a/b:pull,push` */
  readonly granted: readonly string[];
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token` */
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** every token request so far, in order */
  readonly requests: TokenRequest[];
  close(): Promise<void>;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * Starts a token server. `users` may authenticate with basic credentials and get every action they ask for
 * on repositories matching `pushable` (default all), pull elsewhere; anonymous requests get pull only on
 * repositories matching `anonymousPull` (default none). A wrong password is a 401, as in Harbor.
 */
export async function startTokenServer(options: {
  readonly users: Readonly<Record<string, string>>;
  readonly signer: Certificate;
  readonly service?: string;
  readonly anonymousPull?: RegExp;
}): Promise<TokenServer> {
  const service = options.service ?? 'imgalias-test-registry';
  const issuer = 'imgalias-test-token-server';
  const requests: TokenRequest[] = [];
  const der = options.signer.certificatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let user: string | undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const text = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = text.indexOf(':');
      const name = text.slice(0, colon);
      if (colon < 0 || options.users[name] === undefined || options.users[name] !== text.slice(colon + 1)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'wrong user name or password' }] }));
        requests.push({ user: name, service: url.searchParams.get('service'), scopes: url.searchParams.getAll('scope'), granted: [] });
        return;
      }
      user = name;
    }
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== '');
    const access = scopes.flatMap((scope) => {
      const [type, ...rest] = scope.split(':');
      const actions = (rest.pop() ?? '').split(',');
      const name = rest.join(':');
      const allowed = actions.filter((a) =>
        user !== undefined ? true : a === 'pull' && options.anonymousPull !== undefined && options.anonymousPull.test(name),
      );
      return type && name && allowed.length > 0 ? [{ type, name, actions: allowed }] : [];
    });
    requests.push({
      user,
      service: url.searchParams.get('service'),
      scopes,
      granted: access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`),
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(options.signer.keyPem);
    const token = `${signingInput}.${base64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
