// @ts-check
// Docker's OIDC token exchange (identity.docker.com/oauth/token, "OIDC connections"): a GitHub ID
// token in, a short-lived Docker Hub access token for the connection's organization out.
// Wire format and sources: docs/docker-hub-oidc.md. What is NOT public is marked there: the error
// bodies and status codes here are this fake's choice (RFC 6749/8693 shape plus a `message`).
import { GITHUB_ISSUER } from './claims.mjs';
import { decodeJwt, verifyJwt } from './jwt.mjs';
import { randomAlnum } from './random.mjs';

/** The audience Docker's clients request the GitHub ID token with. */
export const DOCKER_IDENTITY_AUDIENCE = 'https://identity.docker.com';
export const EXCHANGE_PATH = '/oauth/token';
export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
/** Lifetime bounds the public clients enforce (the newest allow up to 6 h; older ones 1 h). */
export const MIN_EXPIRES_IN = 300;
export const MAX_EXPIRES_IN = 21600;
export const DEFAULT_EXPIRES_IN = 300;

/**
 * @typedef {import('./endpoint.mjs').Service} Service
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 * @typedef {{ label?: string, subjects: string[] }} Ruleset
 * @typedef {object} Connection one OIDC connection as an organization owner set it up
 * @property {string} id a UUID (what DOCKERHUB_OIDC_CONNECTIONID holds)
 * @property {string} organization the Docker organization the token logs in as
 * @property {Ruleset[]} rulesets 1 to 5; a token is let in when any subject pattern matches its sub
 * @property {boolean} [active] false: deactivated (issues nothing); default true
 * @typedef {{ organization: string, accessToken: string, expiresAt: number, connectionId: string }} Issued
 */

/**
 * @param {object} deps
 * @param {() => import('./jwt.mjs').RsaJwk[]} deps.jwks GitHub's keys (the OIDC fake's)
 * @param {() => Connection[]} deps.connections
 * @param {(issued: Issued) => void} deps.onIssued e.g. make the token a Docker Hub password
 * @param {() => number} deps.now epoch ms
 * @param {string} [deps.audience] default DOCKER_IDENTITY_AUDIENCE
 * @param {number} [deps.maxExpiresIn] default MAX_EXPIRES_IN
 * @returns {Service}
 */
export function dockerOidcService(deps) {
  return {
    isOperation: (req) => req.url.pathname === EXCHANGE_PATH,
    handle(req) {
      if (req.url.pathname !== EXCHANGE_PATH) return json(404, { message: 'not found' });
      if (req.method !== 'POST') return refuse(405, 'invalid_request', 'only POST is supported');
      const form = readForm(req);
      if ('status' in form) return form;
      return exchange(form, deps);
    },
    failure(failure) {
      if (failure === 'throttle') {
        // The public clients retry a 429 only when it carries Retry-After (seconds).
        return { ...refuse(429, 'rate_limited', 'too many requests'), headers: retryAfter(1) };
      }
      if (typeof failure === 'object') return refuse(failure.status, failure.code, failure.message);
      return refuse(failure, 'server_error', failure === 503 ? 'unavailable' : 'internal error');
    },
  };
}

/**
 * The form body as the public clients send it (application/x-www-form-urlencoded).
 * @param {import('./http.mjs').FakeRequest} req
 * @returns {URLSearchParams | FakeResponse}
 */
function readForm(req) {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return refuse(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  return new URLSearchParams(req.body.toString('utf8'));
}

/**
 * Each refusal in the order a careful server checks: request shape, connection, token, rules.
 * @param {URLSearchParams} form
 * @param {Parameters<typeof dockerOidcService>[0]} deps
 * @returns {FakeResponse}
 */
function exchange(form, deps) {
  const request = checkRequest(form, deps.maxExpiresIn ?? MAX_EXPIRES_IN);
  if ('status' in request) return request;
  const connection = deps.connections().find((c) => c.id === request.connectionId);
  if (!connection) return refuse(400, 'invalid_request', 'connection not found');
  if (connection.active === false) return refuse(400, 'invalid_request', 'connection is inactive');
  const token = checkIdToken(request.subjectToken, deps);
  if ('status' in token) return token;
  const sub = String(token.claims.sub ?? '');
  if (!connection.rulesets.some((r) => r.subjects.some((p) => subjectMatches(p, sub)))) {
    return refuse(403, 'access_denied', `subject "${sub}" matches no ruleset of the connection`);
  }
  const expiresAt = deps.now() + request.expiresIn * 1000;
  const accessToken = randomAlnum(64);
  deps.onIssued({
    organization: connection.organization,
    accessToken,
    expiresAt,
    connectionId: connection.id,
  });
  return json(200, {
    access_token: accessToken,
    issued_token_type: TOKEN_TYPE_ACCESS_TOKEN,
    token_type: 'Bearer',
    expires_in: request.expiresIn,
  });
}

/**
 * @param {URLSearchParams} form
 * @param {number} maxExpiresIn
 * @returns {FakeResponse | { subjectToken: string, connectionId: string, expiresIn: number }}
 */
function checkRequest(form, maxExpiresIn) {
  const grant = form.get('grant_type');
  if (grant !== GRANT_TOKEN_EXCHANGE) {
    return refuse(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grant)}`);
  }
  if (form.get('subject_token_type') !== TOKEN_TYPE_ID_TOKEN) {
    return refuse(400, 'invalid_request', `subject_token_type must be ${TOKEN_TYPE_ID_TOKEN}`);
  }
  const subjectToken = form.get('subject_token') ?? '';
  const connectionId = form.get('connection_id') ?? '';
  if (!subjectToken) return refuse(400, 'invalid_request', 'subject_token is required');
  if (!connectionId) return refuse(400, 'invalid_request', 'connection_id is required');
  const raw = form.get('expires_in');
  const expiresIn = raw === null ? DEFAULT_EXPIRES_IN : Number(raw);
  if (!Number.isInteger(expiresIn) || expiresIn < MIN_EXPIRES_IN || expiresIn > maxExpiresIn) {
    const bounds = `between ${MIN_EXPIRES_IN} and ${maxExpiresIn}`;
    return refuse(400, 'invalid_request', `expires_in must be ${bounds} seconds`);
  }
  return { subjectToken, connectionId, expiresIn };
}

/**
 * GitHub's token: parsed, GitHub's issuer, signed by a key of its JWKS, in time, for Docker.
 * @param {string} token
 * @param {Parameters<typeof dockerOidcService>[0]} deps
 * @returns {FakeResponse | { claims: Record<string, unknown> }}
 */
function checkIdToken(token, deps) {
  const jwt = decodeJwt(token);
  if (!jwt) return refuse(400, 'invalid_request', 'subject_token is not a JWT');
  const claims = jwt.payload;
  if (claims.iss !== GITHUB_ISSUER) return refuse(400, 'invalid_request', 'untrusted issuer');
  if (verifyJwt(jwt, deps.jwks()) !== 'ok') {
    return refuse(400, 'invalid_request', 'subject_token signature is invalid');
  }
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) {
    return refuse(400, 'invalid_request', 'subject_token has expired');
  }
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) {
    return refuse(400, 'invalid_request', 'subject_token is not valid yet');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const wanted = deps.audience ?? DOCKER_IDENTITY_AUDIENCE;
  if (!audiences.includes(wanted)) {
    return refuse(400, 'invalid_request', `subject_token audience is not ${wanted}`);
  }
  return { claims };
}

/**
 * A ruleset subject pattern: `*` stands for any run of characters (also `/` and `:`, since
 * Docker's example `repo:my-org/*` matches every repository and ref of the organization).
 * @param {string} pattern
 * @param {string} sub
 */
export function subjectMatches(pattern, sub) {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(sub);
}

/**
 * An error in OAuth's shape (RFC 6749 5.2) with the text also as `message`, which
 * docker/oidc-action prints: which of the two Docker really sends is not public.
 * @param {number} status
 * @param {string} error
 * @param {string} description
 */
function refuse(status, error, description) {
  return json(status, { error, error_description: description, message: description });
}

/** @param {number} seconds */
const retryAfter = (seconds) => ({
  'content-type': 'application/json',
  'retry-after': String(seconds),
});

/**
 * @param {number} status
 * @param {unknown} body
 * @returns {FakeResponse}
 */
function json(status, body) {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
