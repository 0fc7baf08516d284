// The registry's answer to an unauthenticated request: `WWW-Authenticate: Bearer realm=…,service=…,
// scope=…` (a token service to ask) or `Basic realm=…` (send the credentials on each request).

export interface Challenge {
  scheme: 'bearer' | 'basic';
  /** Lower-cased parameter names: realm, service, scope, error… */
  params: Record<string, string>;
}

// A parameter: name=token or name="quoted string" (backslash escapes; commas allowed inside).
const PARAM = /\s*([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;

/** The first Bearer or Basic challenge in a WWW-Authenticate value; undefined if there is none. */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  for (const value of [header ?? []].flat()) {
    const m = /^\s*(bearer|basic)\b\s*/i.exec(value);
    if (!m) continue;
    const params: Record<string, string> = {};
    PARAM.lastIndex = m[0].length;
    for (let p = PARAM.exec(value); p; p = PARAM.exec(value)) {
      params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
      if (PARAM.lastIndex >= value.length) break;
    }
    return { scheme: m[1].toLowerCase() as Challenge['scheme'], params };
  }
  return undefined;
}

/**
 * The scope to ask a Bearer token for when reading `repository`: the registry's own scope when it
 * is not per repository (ECR Public says `aws`, one token for everything), else pull on that repository.
 */
export function pullScope(challenge: Challenge, repository: string): string | undefined {
  const scope = challenge.params.scope;
  if (scope && !scope.startsWith('repository:')) return scope;
  return `repository:${repository}:pull`;
}
