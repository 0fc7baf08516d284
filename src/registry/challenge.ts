// The registry's answer to an unauthenticated request: `WWW-Authenticate: Bearer realm=…,service=…,
// scope=…` (a token service to ask) or `Basic realm=…` (send the credentials on each request).
import { ECR_PUBLIC_REGISTRY } from './names.js';

export interface Challenge {
  scheme: 'bearer' | 'basic';
  /** Lower-cased parameter names: realm, service, scope, error… */
  params: Record<string, string>;
}

/**
 * Challenges known in advance, saving the anonymous round trip that would ask for them: ECR
 * Public's documented one (one `aws` scope, so one token covers every repository).
 */
const KNOWN_CHALLENGES: Record<string, Challenge> = {
  [ECR_PUBLIC_REGISTRY]: {
    scheme: 'bearer',
    params: { realm: 'https://public.ecr.aws/token/', service: 'public.ecr.aws', scope: 'aws' },
  },
};

/** The challenge `host` is known to send, when it is one of the known registries. */
export const knownChallenge = (host: string): Challenge | undefined =>
  Object.hasOwn(KNOWN_CHALLENGES, host) ? KNOWN_CHALLENGES[host] : undefined;

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
 * The scopes to ask a Bearer token for when reading `repository`: pull on that repository, after
 * the registry's own scope when it is not per repository (ECR Public says `aws`), as docker asks.
 */
export function pullScopes(challenge: Challenge, repository: string): string[] {
  const scope = challenge.params.scope;
  const pull = `repository:${repository}:pull`;
  return scope && !scope.startsWith('repository:') ? [scope, pull] : [pull];
}
