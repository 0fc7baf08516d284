// @ts-check
// ECR's (private registries') GetAuthorizationToken over awsJson1_1, authenticated with SigV4
// (signing name `ecr`) by the session credentials the STS fake issued. Every region answers, for
// the session's own account, with a fresh password each call, as ECR does.
import { acceptCall, error, failureResponse, json } from './aws-json.mjs';
import { randomAlnum } from './random.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
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
      const nowMs = deps.now();
      const auth = acceptCall(req, {
        target: TARGET,
        service: SIGNING_NAME,
        sessions: deps.sessions,
        nowMs,
      });
      if ('status' in auth) return auth;
      const denied = deps.authorize(auth.session, ACTION, '*');
      if (denied) return error(400, 'AccessDeniedException', denied);

      const account = auth.session.roleArn.split(':')[4];
      const registry = `${account}.dkr.ecr.${auth.region}.amazonaws.com`;
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

    failure: failureResponse,
  };
}
