// @ts-check
// What the awsJson1_1 fakes (ECR Public, ECR) share: the front end's SigV4 and session checks,
// the error and answer formats, and the answers to injected faults.
import { randomUUID } from 'node:crypto';
import { verifySigV4 } from './sigv4.mjs';

/**
 * @typedef {import('./http.mjs').FakeRequest} FakeRequest
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 * @typedef {import('./sessions.mjs').Session} Session
 */

/**
 * What every awsJson1_1 operation of the fakes checks first, in the real front end's order: the
 * X-Amz-Target, the SigV4 signature and session, then a JSON object body.
 * @param {FakeRequest} req
 * @param {{ target: string, service: string, sessions: import('./sessions.mjs').SessionStore, nowMs: number }} o
 * @returns {{ session: Session, region: string } | FakeResponse}
 */
export function acceptCall(req, { target, ...signing }) {
  if (!isOperation(req, target)) return error(404, 'UnknownOperationException', '', true);
  const auth = authenticate(req, signing);
  if ('status' in auth) return auth;
  if (!isJsonObject(req.body)) {
    return error(400, 'SerializationException', 'Request body must be a JSON object.');
  }
  return auth;
}

/**
 * The signed request's live session and signing region, or the front end's refusal.
 * @param {FakeRequest} req
 * @param {{ service: string, sessions: import('./sessions.mjs').SessionStore, nowMs: number }} o
 * @returns {{ session: Session, region: string } | FakeResponse}
 */
export function authenticate(req, { service, sessions, nowMs }) {
  const verdict = verifySigV4(req, {
    service,
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

/**
 * Whether the request is a POST of awsJson1_1 for this X-Amz-Target.
 * @param {FakeRequest} req
 * @param {string} target
 */
export function isOperation(req, target) {
  const type = String(req.headers['content-type'] ?? '');
  return (
    req.method === 'POST' &&
    type.startsWith('application/x-amz-json-1.1') &&
    req.headers['x-amz-target'] === target
  );
}

/** @param {Buffer} body */
export function isJsonObject(body) {
  try {
    const input = JSON.parse(body.toString('utf8') || 'null');
    return typeof input === 'object' && input !== null && !Array.isArray(input);
  } catch {
    return false;
  }
}

/**
 * The service's answer to an injected fault.
 * @param {import('./endpoint.mjs').ErrorFailure} failure
 * @returns {FakeResponse}
 */
export function failureResponse(failure) {
  if (failure === 'throttle') return error(400, 'ThrottlingException', 'Rate exceeded');
  if (typeof failure === 'object') return error(failure.status, failure.code, failure.message);
  return failure === 503
    ? error(503, 'ServiceUnavailableException', 'Service Unavailable', true)
    : error(500, 'ServerException', 'Internal server error.');
}

/**
 * An awsJson error. Errors raised by AWS's shared front end (auth, routing) carry a namespace
 * suffix in x-amzn-ErrorType, which clients must strip.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {boolean} [frontEnd]
 * @returns {FakeResponse}
 */
export function error(status, code, message, frontEnd = false) {
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
export function json(status, body, headers = {}) {
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
