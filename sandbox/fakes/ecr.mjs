// @ts-check
// ECR's (private registries') GetAuthorizationToken over awsJson1_1, authenticated with SigV4
// (signing name `ecr`) by the session credentials the STS fake issued. Every region answers, for
// the session's own account, with a fresh password each call, as ECR does.
import { randomUUID } from 'node:crypto';
import { randomAlnum } from './random.mjs';
import { verifySigV4 } from './sigv4.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 * @typedef {import('./sessions.mjs').Session} Session
 */

export const SIGNING_NAME = 'ecr';
export const ACTION = 'ecr:GetAuthorizationToken';
// The only operation the action calls; any other target is answered as unknown.
const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

/**
 * Whether a session may call an action: null when allowed, else AWS's AccessDenied message.
 * The IAM policy evaluator plugs in here (the same hook the ECR Public fake judges by).
 * @typedef {(session: Session, action: string, resource?: string) => string | null} Authorize
 */

/**
 * One token the fake issued.
 * @typedef {object} IssuedToken
 * @property {string} authorizationToken base64("AWS:" + password)
 * @property {string} password what `docker login -u AWS` must send to the registry
 * @property {string} registry the host proxyEndpoint names, `<account>.dkr.ecr.<region>.amazonaws.com`
 */

/**
 * @param {object} deps
 * @param {import('./sessions.mjs').SessionStore} deps.sessions
 * @param {Authorize} deps.authorize
 * @param {number} deps.tokenLifetimeSeconds
 * @param {(token: IssuedToken) => void} deps.onToken
 * @param {() => number} deps.now epoch ms
 * @returns {Service}
 */
export function ecrService(deps) {
  return {
    handle(req) {
      const type = String(req.headers['content-type'] ?? '');
      if (
        req.method !== 'POST' ||
        !type.startsWith('application/x-amz-json-1.1') ||
        req.headers['x-amz-target'] !== TARGET
      ) {
        return error(404, 'UnknownOperationException', '', true);
      }
      const nowMs = deps.now();
      const session = authenticate(req, deps.sessions, nowMs);
      if ('status' in session) return session;
      if (!isJsonObject(req.body)) {
        return error(400, 'SerializationException', 'Request body must be a JSON object.');
      }
      const denied = deps.authorize(session.session, ACTION, '*');
      if (denied) return error(400, 'AccessDeniedException', denied);

      const account = session.session.roleArn.split(':')[4];
      const registry = `${account}.dkr.ecr.${session.region}.amazonaws.com`;
      const password = randomAlnum(64);
      const authorizationToken = Buffer.from(`AWS:${password}`).toString('base64');
      deps.onToken({ authorizationToken, password, registry });
      return json(200, {
        authorizationData: [
          {
            authorizationToken,
            expiresAt: (nowMs + deps.tokenLifetimeSeconds * 1000) / 1000,
            proxyEndpoint: `https://${registry}`,
          },
        ],
      });
    },

    failure(failure) {
      if (failure === 'throttle') return error(400, 'ThrottlingException', 'Rate exceeded');
      if (typeof failure === 'object') return error(failure.status, failure.code, failure.message);
      return failure === 503
        ? error(503, 'ServiceUnavailableException', 'Service Unavailable', true)
        : error(500, 'ServerException', 'Internal server error.');
    },
  };
}

/**
 * The signed request's live session and signing region, or the front end's refusal.
 * @param {import('./http.mjs').FakeRequest} req
 * @param {import('./sessions.mjs').SessionStore} sessions
 * @param {number} nowMs
 * @returns {{ session: Session, region: string } | FakeResponse}
 */
function authenticate(req, sessions, nowMs) {
  const verdict = verifySigV4(req, {
    service: SIGNING_NAME,
    secretFor: (id) => sessions.get(id)?.secretAccessKey,
    nowMs,
  });
  if (!verdict.ok) {
    const status = verdict.code === 'IncompleteSignatureException' ? 400 : 403;
    return error(status, verdict.code, verdict.message, true);
  }
  const session = /** @type {Session} */ (sessions.get(verdict.auth.accessKeyId));
  // Session keys are useless without their token; a wrong or missing one is an unknown client.
  if (req.headers['x-amz-security-token'] !== session.sessionToken) {
    return error(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      true,
    );
  }
  if (session.expiresAtMs <= nowMs) {
    return error(
      403,
      'ExpiredTokenException',
      'The security token included in the request is expired',
      true,
    );
  }
  return { session, region: verdict.auth.region };
}

/** @param {Buffer} body */
function isJsonObject(body) {
  try {
    const input = JSON.parse(body.toString('utf8') || 'null');
    return typeof input === 'object' && input !== null && !Array.isArray(input);
  } catch {
    return false;
  }
}

/**
 * An awsJson error; the shared front end's (auth, routing) carry a namespace suffix in
 * x-amzn-ErrorType, which clients must strip.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {boolean} [frontEnd]
 * @returns {FakeResponse}
 */
function error(status, code, message, frontEnd = false) {
  const errorType = frontEnd
    ? `${code}:http://internal.amazon.com/coral/com.amazon.coral.service/`
    : code;
  return json(status, { __type: code, message }, { 'x-amzn-errortype': errorType });
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {FakeResponse}
 */
function json(status, body, headers = {}) {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}
