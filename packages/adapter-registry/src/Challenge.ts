/** What a registry asks for in `WWW-Authenticate` on a 401. */
export type Challenge =
  | { readonly _tag: 'Bearer'; readonly realm: string; readonly service?: string; readonly scope?: string }
  | { readonly _tag: 'Basic'; readonly realm?: string }
  | { readonly _tag: 'None' };

// auth-param = token "=" ( token / quoted-string ); quoted strings may hold commas and escaped quotes.
const param = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

/**
 * Parses one `WWW-Authenticate` header value.
 *
 * @example
 * parseChallenge('Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"')
 * // { _tag: 'Bearer', realm: 'https://auth.example/token', service: 'registry', scope: 'repository:a/b:pull' }
 */
export const parseChallenge = (header: string | undefined): Challenge => {
  if (header === undefined) return { _tag: 'None' };
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const scheme = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of trimmed.slice(space < 0 ? trimmed.length : space).matchAll(param)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  if (scheme === 'bearer' && params['realm'] !== undefined) {
    return {
      _tag: 'Bearer',
      realm: params['realm'],
      ...(params['service'] !== undefined ? { service: params['service'] } : {}),
      ...(params['scope'] !== undefined ? { scope: params['scope'] } : {}),
    };
  }
  if (scheme === 'basic') return { _tag: 'Basic', ...(params['realm'] !== undefined ? { realm: params['realm'] } : {}) };
  return { _tag: 'None' };
};

/** The token scope for one repository: `repository:team/app:pull,push`. */
export const repositoryScope = (repository: string, actions: readonly ('pull' | 'push')[]): string =>
  `repository:${repository}:${actions.join(',')}`;

/**
 * Merges scopes so one token covers them all: actions on the same resource are joined
 * (`repository:a:pull` + `repository:a:push` -> `repository:a:pull,push`), in a stable order.
 */
export const mergeScopes = (scopes: readonly string[]): readonly string[] => {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter((s) => s !== '')) {
    const last = scope.lastIndexOf(':');
    if (last < 0) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(',')) if (a !== '') actions.add(a);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`);
};
