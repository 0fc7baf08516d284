// @ts-check
// STS GetCallerIdentity, which configure-aws-credentials calls to check the credentials it got
// (the bench runs that action): SigV4-signed by an STS session's keys, answered with the
// assumed role as the real service does.
import { verifySigV4 } from './sigv4.mjs';

/**
 * @param {import('./http.mjs').FakeRequest} req
 * @param {{ sessions: import('./sessions.mjs').SessionStore, now: () => number }} deps
 * @param {(status: number, code: string, message: string) => import('./http.mjs').FakeResponse} error
 * @param {(status: number, render: (requestId: string) => string) => import('./http.mjs').FakeResponse} xml
 */
export function getCallerIdentity(req, deps, error, xml) {
  const nowMs = deps.now();
  const verdict = verifySigV4(req, {
    service: 'sts',
    secretFor: (id) => deps.sessions.get(id)?.secretAccessKey,
    nowMs,
  });
  if (!verdict.ok) return error(403, verdict.code, verdict.message);
  const session = deps.sessions.get(verdict.auth.accessKeyId);
  if (!session || req.headers['x-amz-security-token'] !== session.sessionToken) {
    return error(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  }
  if (session.expiresAtMs <= nowMs) {
    return error(403, 'ExpiredToken', 'The security token included in the request is expired');
  }
  const account = session.assumedRoleArn.split(':')[4];
  return xml(
    200,
    (requestId) => `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${session.assumedRoleArn}</Arn>
    <UserId>AROA${account}:${session.assumedRoleArn.split('/').at(-1)}</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
  );
}
