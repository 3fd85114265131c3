import { readFile } from 'node:fs/promises';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { RegistryError } from './RegistryError.js';

/** A user name and secret for one registry. Harbor robot accounts (`robot$proj+ci`) are plain user names here. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Where a registry's credentials come from: none, given directly, or docker's config.json and its helpers. */
export type CredentialSource = (registry: string) => Promise<Either<RegistryError, BasicCredentials | undefined>>;

/**
 * Runs `docker-credential-<helper> get` with the registry on stdin and returns its stdout. Injected so tests
 * need no helper binary; the default runs it through execa with an argument array, never a shell.
 */
export type HelperRunner = (helper: string, registry: string) => Promise<{ readonly exitCode: number; readonly stdout: string; readonly stderr: string }>;

export const runCredentialHelper: HelperRunner = async (helper, registry) => {
  const { execa } = await import('execa');
  const result = await execa(`docker-credential-${helper}`, ['get'], { input: registry, reject: false, timeout: 30_000 });
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : 1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? result.shortMessage ?? ''),
  };
};

interface DockerConfig {
  readonly auths?: Record<string, { readonly auth?: string; readonly username?: string; readonly password?: string; readonly identitytoken?: string }>;
  readonly credsStore?: string;
  readonly credHelpers?: Record<string, string>;
}

// docker keys Docker Hub under its v1 URL; other registries under their host, sometimes written as a URL.
const hubKeys = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
const keysFor = (registry: string): readonly string[] =>
  registry === 'docker.io' || registry === 'registry-1.docker.io' ? hubKeys : [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/`, `https://${registry}/v2/`, `https://${registry}/v1/`];

const normaliseKey = (key: string): string => key.replace(/^https?:\/\//, '').replace(/\/(v1|v2)?\/?$/, '');

/** Decodes `auth` (base64 of `user:password`); the user is everything before the first colon, `$` included. */
const decodeAuth = (auth: string): BasicCredentials | undefined => {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon <= 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
};

const fromHelper = async (run: HelperRunner, helper: string, registry: string): Promise<Either<RegistryError, BasicCredentials | undefined>> => {
  const key = registry === 'docker.io' ? hubKeys[0]! : registry;
  const result = await run(helper, key);
  if (result.exitCode !== 0) {
    // The helper protocol's answer for "nothing stored": anonymous access, not an error.
    if (/credentials not found/i.test(result.stdout + result.stderr)) return right(undefined);
    return left({ _tag: 'CredentialHelperFailed', helper, registry, message: (result.stderr || result.stdout).trim() || `exit code ${result.exitCode}` });
  }
  try {
    const parsed = JSON.parse(result.stdout) as { Username?: unknown; Secret?: unknown };
    if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string') throw new Error('no Username and Secret');
    return right({ username: parsed.Username, password: parsed.Secret });
  } catch (e) {
    return left({ _tag: 'CredentialHelperFailed', helper, registry, message: `unreadable answer (${(e as Error).message})` });
  }
};

/**
 * Credentials the way docker finds them: `credHelpers[registry]`, else `auths[registry]` (`auth` or
 * `username`/`password`), else `credsStore`, else anonymous.
 *
 * @example
 * const credentials = dockerConfigCredentials({ path: `${home}/.docker/config.json` });
 */
export const dockerConfigCredentials = (options: { readonly path: string; readonly runHelper?: HelperRunner }): CredentialSource => {
  const run = options.runHelper ?? runCredentialHelper;
  let config: Promise<Either<RegistryError, DockerConfig>> | undefined;
  const load = (): Promise<Either<RegistryError, DockerConfig>> =>
    (config ??= readFile(options.path, 'utf8').then(
      (text): Either<RegistryError, DockerConfig> => {
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
          return right(parsed as DockerConfig);
        } catch (e) {
          return left({ _tag: 'BadCredentialsFile', path: options.path, message: (e as Error).message });
        }
      },
      (e: NodeJS.ErrnoException): Either<RegistryError, DockerConfig> =>
        e.code === 'ENOENT' ? right({}) : left({ _tag: 'BadCredentialsFile', path: options.path, message: e.message }),
    ));
  return async (registry) => {
    const loaded = await load();
    if (loaded._tag === 'Left') return loaded;
    const cfg = loaded.right;
    const keys = keysFor(registry);
    const helpers = cfg.credHelpers ?? {};
    const helper = Object.entries(helpers).find(([k]) => keys.includes(k) || normaliseKey(k) === registry)?.[1];
    if (typeof helper === 'string' && helper !== '') return fromHelper(run, helper, registry);
    const auths = cfg.auths ?? {};
    const entry = Object.entries(auths).find(([k]) => keys.includes(k) || normaliseKey(k) === registry)?.[1];
    if (entry !== undefined && typeof entry === 'object' && entry !== null) {
      if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = decodeAuth(entry.auth);
        if (decoded) return right(decoded);
        return left({ _tag: 'BadCredentialsFile', path: options.path, message: `the auth entry for ${registry} is not base64 of user:password` });
      }
      if (typeof entry.username === 'string' && typeof entry.password === 'string') {
        return right({ username: entry.username, password: entry.password });
      }
    }
    if (typeof cfg.credsStore === 'string' && cfg.credsStore !== '') return fromHelper(run, cfg.credsStore, registry);
    return right(undefined);
  };
};

/** Fixed credentials per registry host, e.g. from flags or the environment. */
export const staticCredentials = (byRegistry: Readonly<Record<string, BasicCredentials>>): CredentialSource =>
  async (registry) => right(Object.prototype.hasOwnProperty.call(byRegistry, registry) ? byRegistry[registry] : undefined);

/** Anonymous everywhere. */
export const anonymous: CredentialSource = async () => right(undefined);
