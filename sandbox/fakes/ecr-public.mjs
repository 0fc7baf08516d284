// @ts-check
// ECR Public's GetAuthorizationToken over awsJson1_1, authenticated with SigV4 by the session
// credentials the STS fake issued. Only us-east-1 serves it, as in AWS.
import { acceptCall, error, failureResponse, json } from './aws-json.mjs';
import { denial } from './trust.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
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
      const nowMs = deps.now();
      const auth = acceptCall(req, {
        target: TARGET,
        service: SIGNING_NAME,
        sessions: deps.sessions,
        nowMs,
      });
      if ('status' in auth) return auth;
      const { session } = auth;
      if (auth.region !== HOME_REGION) {
        return error(
          400,
          'UnsupportedCommandException',
          'The action is not supported in this Region.',
        );
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

    failure: failureResponse,
  };
}
