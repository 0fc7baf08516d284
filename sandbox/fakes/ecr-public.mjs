// @ts-check
// ECR Public's GetAuthorizationToken over awsJson1_1, authenticated with SigV4 by the session
// credentials the STS fake issued. Only us-east-1 serves it, as in AWS.
import { randomUUID } from 'node:crypto';
import { verifySigV4 } from './sigv4.mjs';
import { denial } from './trust.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 */

export const SIGNING_NAME = 'ecr-public';
export const HOME_REGION = 'us-east-1';
// The only operation the action calls; any other target is answered as unknown.
const TARGET = 'SpencerFrontendService.GetAuthorizationToken';

/**
 * @param {object} deps
 * @param {import('./sessions.mjs').SessionStore} deps.sessions
 * @param {() => string} deps.password the registry password inside base64("AWS:" + password)
 * @param {number} deps.tokenLifetimeSeconds
 * @param {(authorizationToken: string) => void} deps.onToken
 * @param {() => number} deps.now epoch ms
 * @returns {Service}
 */
export function ecrPublicService(deps) {
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
      const verdict = verifySigV4(req, {
        service: SIGNING_NAME,
        secretFor: (id) => deps.sessions.get(id)?.secretAccessKey,
        nowMs,
      });
      if (!verdict.ok) {
        const status = verdict.code === 'IncompleteSignatureException' ? 400 : 403;
        return error(status, verdict.code, verdict.message, true);
      }
      const session = /** @type {import('./sessions.mjs').Session} */ (
        deps.sessions.get(verdict.auth.accessKeyId)
      );
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
      if (verdict.auth.region !== HOME_REGION) {
        return error(
          400,
          'UnsupportedCommandException',
          'The action is not supported in this Region.',
        );
      }
      let input;
      try {
        input = JSON.parse(req.body.toString('utf8') || 'null');
      } catch {
        input = null;
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return error(400, 'SerializationException', 'Request body must be a JSON object.');
      }
      // ECR Public also needs sts:GetServiceBearerToken behind the scenes: a classic setup mistake.
      for (const action of ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']) {
        const denied = denial(session, action);
        if (denied) return error(403, 'AccessDeniedException', denied);
      }

      const authorizationToken = Buffer.from(`AWS:${deps.password()}`).toString('base64');
      deps.onToken(authorizationToken);
      return json(200, {
        authorizationData: {
          authorizationToken,
          expiresAt: (nowMs + deps.tokenLifetimeSeconds * 1000) / 1000,
        },
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
 * An awsJson error. Errors raised by AWS's shared front end (auth, routing) carry a namespace
 * suffix in x-amzn-ErrorType, which clients must strip.
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
