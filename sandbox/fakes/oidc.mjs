// @ts-check
// GitHub Actions' ID token service (what ACTIONS_ID_TOKEN_REQUEST_URL points at), plus the issuer's
// discovery document and JWKS on the same server.
import { GITHUB_ISSUER } from './claims.mjs';
import { signJwt } from './jwt.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 */

export const TOKEN_PATH = '/token';
export const JWKS_PATH = '/.well-known/jwks';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * @param {object} deps
 * @param {string} deps.requestToken the bearer a job gets as ACTIONS_ID_TOKEN_REQUEST_TOKEN
 * @param {import('./jwt.mjs').SigningKey} deps.key
 * @param {(audience: string | undefined) => Record<string, unknown>} deps.claimsFor
 * @param {(jwt: string) => void} deps.onIssued
 * @returns {Service}
 */
export function oidcService({ requestToken, key, claimsFor, onIssued }) {
  return {
    isOperation: (req) => req.url.pathname === TOKEN_PATH,

    handle(req) {
      const { pathname, searchParams, origin } = req.url;
      if (pathname === JWKS_PATH) return json(200, { keys: [key.jwk] });
      if (pathname === DISCOVERY_PATH) return json(200, discovery(origin));
      if (pathname !== TOKEN_PATH) return json(404, { message: 'Not Found' });
      if (req.method !== 'GET') return json(405, { message: 'Method Not Allowed' });
      if (req.headers.authorization !== `Bearer ${requestToken}`) {
        // The runner's token service answers 401 for a missing or foreign bearer.
        return json(401, { message: 'Unauthorized: the bearer is not the job request token' });
      }
      if (!searchParams.get('api-version')) {
        return json(400, { message: 'No api-version was supplied for the request.' });
      }
      const jwt = signJwt(claimsFor(searchParams.get('audience') || undefined), key);
      onIssued(jwt);
      return json(200, { value: jwt });
    },

    failure(failure) {
      if (failure === 'throttle') return json(429, { message: 'Too Many Requests' });
      if (typeof failure === 'object') return json(failure.status, { message: failure.message });
      return json(failure, { message: failure === 503 ? 'Service Unavailable' : 'Internal Error' });
    },
  };
}

/**
 * The issuer stays GitHub's real one (tokens carry it); only jwks_uri points at this server.
 * @param {string} origin
 */
function discovery(origin) {
  return {
    issuer: GITHUB_ISSUER,
    jwks_uri: origin + JWKS_PATH,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
    claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'sha'],
  };
}

/**
 * @param {number} status
 * @param {unknown} body
 * @returns {FakeResponse}
 */
function json(status, body) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}
