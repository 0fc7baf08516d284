// @ts-check
// Docker Hub's pull rate limit as the Docker Hub stand-in reports it: `ratelimit-limit`,
// `ratelimit-remaining` (both "N;w=21600") and `docker-ratelimit-source` on manifest answers,
// a GET of a manifest counting as a pull and a HEAD not, and the documented check repository
// ratelimitpreview/test answered by the front itself. Sources: docs/docker-hub-oidc.md.
import { verify } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyPath } from './registries.mjs';

export const PREVIEW_REPOSITORY = 'ratelimitpreview/test';
export const WINDOW_SECONDS = 21600;

/**
 * @typedef {import('./fakes/http.mjs').FakeResponse} FakeResponse
 * @typedef {{ method: string, pathname: string, authorization: string, ip: string,
 *   publicKey: import('node:crypto').KeyObject }} ManifestRequest
 * @typedef {{ answer: FakeResponse } | { headers: (status: number) => Record<string, string> }} Outcome
 */

/** Per-source pull counts and the switches tests turn. */
export class HubRateLimit {
  /** Pulls per window for anonymous clients (per IP). */
  anonymousLimit = 100;
  /** Pulls per window for a personal (free) account. */
  userLimit = 200;
  /** Accounts with no limit (paid plans, organizations): their answers carry no headers. */
  unlimited = new Set();
  /** Delay before a manifest HEAD is answered, to show a check adds no time to a login. */
  delayMs = 0;
  /** false: no rate-limit headers at all (as for images Docker exempts). */
  enabled = true;
  /** @type {Map<string, number>} */
  #used = new Map();

  /**
   * @param {string | null} user null for anonymous
   * @param {string} ip
   * @returns {Record<string, string>}
   */
  headers(user, ip) {
    const limit =
      user === null ? this.anonymousLimit : this.unlimited.has(user) ? null : this.userLimit;
    if (!this.enabled || limit === null) return {};
    const remaining = Math.max(0, limit - (this.#used.get(sourceKey(user, ip)) ?? 0));
    return {
      'ratelimit-limit': `${limit};w=${WINDOW_SECONDS}`,
      'ratelimit-remaining': `${remaining};w=${WINDOW_SECONDS}`,
      'docker-ratelimit-source': user ?? ip,
    };
  }

  /**
   * @param {string | null} user
   * @param {string} ip
   */
  countPull(user, ip) {
    const key = sourceKey(user, ip);
    this.#used.set(key, (this.#used.get(key) ?? 0) + 1);
  }

  reset() {
    this.#used.clear();
    this.delayMs = 0;
    this.enabled = true;
    this.unlimited.clear();
  }

  /**
   * The front's hook for a Docker Hub request: null when it is not a manifest request, the
   * whole answer for the preview repository, else the headers to add to the stand-in's answer.
   * @param {ManifestRequest} req
   * @returns {Promise<Outcome | null>}
   */
  async manifest(req) {
    const { kind, repository } = classifyPath(req.pathname);
    if (kind !== 'manifests' || !['GET', 'HEAD'].includes(req.method)) return null;
    if (req.method === 'HEAD' && this.delayMs > 0) await sleep(this.delayMs);
    const user = bearerUser(req.authorization, req.publicKey);
    if (repository === PREVIEW_REPOSITORY) return { answer: this.#preview(req, user) };
    return {
      headers: (status) => {
        if (status === 401) return {};
        if (req.method === 'GET' && status === 200) this.countPull(user ?? null, req.ip);
        return this.headers(user ?? null, req.ip);
      },
    };
  }

  /**
   * @param {ManifestRequest} req
   * @param {string | null | undefined} user undefined: no valid bearer token
   * @returns {FakeResponse}
   */
  #preview(req, user) {
    if (user === undefined) {
      const scope = `repository:${PREVIEW_REPOSITORY}:pull`;
      return {
        status: 401,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="${scope}"`,
        },
        body: JSON.stringify({
          errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
        }),
      };
    }
    if (req.method === 'GET') this.countPull(user, req.ip);
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-distribution-api-version': 'registry/2.0',
        ...this.headers(user, req.ip),
      },
      body: '',
    };
  }
}

/**
 * @param {string | null} user
 * @param {string} ip
 */
const sourceKey = (user, ip) => (user === null ? `ip:${ip}` : `user:${user}`);

/**
 * Who a bearer token from the stand-in's token endpoint was issued to: its `sub`, null for an
 * anonymous token, undefined when there is no token or it is forged or expired.
 * @param {string} authorization
 * @param {import('node:crypto').KeyObject} publicKey the token endpoint's key
 * @returns {string | null | undefined}
 */
export function bearerUser(authorization, publicKey) {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const parts = match ? match[1].split('.') : [];
  if (parts.length !== 3) return undefined;
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const key = { key: publicKey, dsaEncoding: /** @type {const} */ ('ieee-p1363') };
  if (!verify('sha256', input, key, signature)) return undefined;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (typeof claims.exp !== 'number' || Date.now() / 1000 >= claims.exp) return undefined;
  return claims.sub ? String(claims.sub) : null;
}
