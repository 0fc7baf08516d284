// @ts-check
// AWS STS AssumeRoleWithWebIdentity over the awsQuery protocol (form-encoded POST, XML answers).
// Unsigned, like the real call; checks the token and the role's trust like the real service.
// Also GetCallerIdentity (caller-identity.mjs), signed with the session it issued.
import { randomUUID } from 'node:crypto';
import { getCallerIdentity } from './caller-identity.mjs';
import { decodeJwt, verifyJwt } from './jwt.mjs';
import { roleUniqueId } from './random.mjs';
import { permissionPoliciesOf, trustAllows } from './trust.mjs';

/**
 * @typedef {import('./endpoint.mjs').Service} Service
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 * @typedef {import('./trust.mjs').RoleConfig} RoleConfig
 */

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const DEFAULT_DURATION = 3600;
const DEFAULT_MAX_SESSION = 3600;

/**
 * @param {object} deps
 * @param {() => import('./jwt.mjs').RsaJwk[]} deps.jwks the issuer's keys (STS would fetch and cache them)
 * @param {string} deps.issuer the one OIDC provider registered in the fake account
 * @param {string[]} deps.audiences the provider's client ids (IAM checks aud against them)
 * @param {() => Record<string, RoleConfig>} deps.roles
 * @param {import('./sessions.mjs').SessionStore} deps.sessions
 * @param {(session: import('./sessions.mjs').Session) => void} deps.onSession
 * @param {() => number} deps.now epoch ms
 * @returns {Service}
 */
export function stsService(deps) {
  return {
    handle(req) {
      const params = readParams(req);
      const action = params.get('Action');
      if (!action) return error(400, 'MissingAction', 'Missing Action');
      if (params.get('Version') === VERSION && action === 'GetCallerIdentity') {
        return getCallerIdentity(req, deps, error, xml);
      }
      if (params.get('Version') !== VERSION || action !== 'AssumeRoleWithWebIdentity') {
        return error(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
        );
      }
      return assumeRoleWithWebIdentity(params, deps);
    },

    failure(failure) {
      if (failure === 'throttle') return error(400, 'Throttling', 'Rate exceeded');
      if (typeof failure === 'object') return error(failure.status, failure.code, failure.message);
      return failure === 503
        ? error(503, 'ServiceUnavailable', 'Service is unable to handle request.')
        : error(500, 'InternalFailure', 'An internal error has occurred.');
    },
  };
}

/** @typedef {Parameters<typeof stsService>[0]} Deps */

/**
 * Validation, then the token, then the role's trust, in the real service's order; the first
 * failure is the answer.
 * @param {URLSearchParams} params
 * @param {Deps} deps
 * @returns {FakeResponse}
 */
function assumeRoleWithWebIdentity(params, deps) {
  const request = validate(params);
  if ('status' in request) return request;
  const arn = ROLE_ARN.exec(request.roleArn);
  if (!arn) return error(400, 'ValidationError', 'Request ARN is invalid');
  const token = checkToken(request.token, deps);
  if ('status' in token) return token;
  const role = deps.roles()[request.roleArn];
  const providerArn = `arn:aws:iam::${arn[1]}:oidc-provider/${deps.issuer.replace(/^https:\/\//, '')}`;
  const refused = checkRole(role, token.claims, request.duration, providerArn);
  if (refused) return refused;
  return issueSession(
    request,
    { account: arn[1], roleName: arn[2], providerArn },
    token,
    /** @type {RoleConfig} */ (role),
    deps,
  );
}

/**
 * Shape checks come first and are reported together, like the real API's validation layer.
 * @param {URLSearchParams} params
 * @returns {FakeResponse | { roleArn: string, sessionName: string, token: string, duration: number }}
 */
function validate(params) {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const token = params.get('WebIdentityToken');
  const durationParam = params.get('DurationSeconds');
  const duration = durationParam === null ? DEFAULT_DURATION : Number(durationParam);
  const problems = [
    ...constrain('roleArn', roleArn, { min: 20, max: 2048 }),
    ...constrain('roleSessionName', sessionName, { min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
    ...constrain('webIdentityToken', token, { min: 4, max: 20000 }),
  ];
  if (durationParam !== null && !(Number.isInteger(duration) && duration >= 900)) {
    problems.push(
      `Value '${durationParam}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  } else if (duration > 43200) {
    problems.push(
      `Value '${durationParam}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
    );
  }
  if (problems.length > 0) {
    const n = problems.length;
    return error(
      400,
      'ValidationError',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
    );
  }
  return {
    roleArn: /** @type {string} */ (roleArn),
    sessionName: /** @type {string} */ (sessionName),
    token: /** @type {string} */ (token),
    duration,
  };
}

/**
 * The token: parsed, from the registered issuer, signed by its key, in time, for an audience.
 * @param {string} token
 * @param {Deps} deps
 * @returns {FakeResponse | { claims: Record<string, unknown>, audience: unknown }}
 */
function checkToken(token, deps) {
  const jwt = decodeJwt(token);
  if (!jwt) return error(400, 'InvalidIdentityToken', 'Could not parse the web identity token.');
  const claims = jwt.payload;
  if (claims.iss !== deps.issuer) {
    return error(
      400,
      'InvalidIdentityToken',
      `No OpenIDConnect provider found in your account for ${String(claims.iss)}`,
    );
  }
  const signature = verifyJwt(jwt, deps.jwks());
  if (signature === 'unknown-kid') {
    return error(
      400,
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  }
  if (signature !== 'ok') {
    return error(400, 'InvalidIdentityToken', 'The web identity token signature is invalid.');
  }
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) {
    // The real message really has no space before the second number.
    return error(
      400,
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time${String(claims.exp)}`,
    );
  }
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) {
    return error(400, 'InvalidIdentityToken', 'The web identity token is not yet valid (nbf).');
  }
  const tokenAud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const audience = tokenAud.find((aud) => deps.audiences.includes(/** @type {string} */ (aud)));
  if (audience === undefined) return error(400, 'InvalidIdentityToken', 'Incorrect token audience');
  return { claims, audience };
}

/**
 * @param {RoleConfig | undefined} role
 * @param {Record<string, unknown>} claims
 * @param {number} duration
 * @param {string} providerArn the OIDC provider the trust policy names as Federated principal
 * @returns {FakeResponse | null}
 */
function checkRole(role, claims, duration, providerArn) {
  // An unknown role and a trust mismatch look the same from outside, as in AWS.
  if (!role || !trustAllows(role, claims, providerArn)) {
    return error(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  }
  if (duration > (role.maxSessionDuration ?? DEFAULT_MAX_SESSION)) {
    return error(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return null;
}

/**
 * @param {{ roleArn: string, sessionName: string, duration: number }} request
 * @param {{ account: string, roleName: string, providerArn: string }} arn
 * @param {{ claims: Record<string, unknown>, audience: unknown }} token
 * @param {RoleConfig} role
 * @param {Deps} deps
 * @returns {FakeResponse}
 */
function issueSession(request, arn, token, role, deps) {
  const { roleArn, sessionName, duration } = request;
  const { account, roleName, providerArn } = arn;
  const { claims, audience } = token;
  const assumedRoleArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
  const session = deps.sessions.issue({
    roleArn,
    assumedRoleArn,
    expiresAtMs: deps.now() + duration * 1000,
    policies: permissionPoliciesOf(role),
  });
  deps.onSession(session);
  return xml(
    200,
    (requestId) => `<AssumeRoleWithWebIdentityResponse xmlns="${XMLNS}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${esc(String(claims.sub))}</SubjectFromWebIdentityToken>
    <Audience>${esc(String(audience))}</Audience>
    <AssumedRoleUser>
      <Arn>${esc(assumedRoleArn)}</Arn>
      <AssumedRoleId>${roleUniqueId()}:${esc(String(sessionName))}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${esc(session.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${esc(session.sessionToken)}</SessionToken>
      <Expiration>${isoSeconds(session.expiresAtMs)}</Expiration>
    </Credentials>
    <Provider>${esc(providerArn)}</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`,
  );
}

/**
 * awsQuery accepts the parameters as a form body (what the SDK sends) or a query string.
 * @param {import('./http.mjs').FakeRequest} req
 */
function readParams(req) {
  if (req.method === 'GET') return req.url.searchParams;
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(req.body.toString('utf8'));
}

/**
 * The API's per-member constraint messages.
 * @param {string} member
 * @param {string | null} value
 * @param {{ min: number, max: number, pattern?: string }} rule
 * @returns {string[]}
 */
function constrain(member, value, rule) {
  const at = `Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: Member must`;
  if (value === null) return [`${at} not be null`];
  if (value.length < rule.min) return [`${at} have length greater than or equal to ${rule.min}`];
  if (value.length > rule.max) return [`${at} have length less than or equal to ${rule.max}`];
  if (rule.pattern && !new RegExp(`^${rule.pattern}$`).test(value)) {
    return [`${at} satisfy regular expression pattern: ${rule.pattern}`];
  }
  return [];
}

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {FakeResponse}
 */
function error(status, code, message) {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xml(
    status,
    (requestId) => `<ErrorResponse xmlns="${XMLNS}">
  <Error>
    <Type>${type}</Type>
    <Code>${esc(code)}</Code>
    <Message>${esc(message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`,
  );
}

/**
 * @param {number} status
 * @param {(requestId: string) => string} render
 * @returns {FakeResponse}
 */
function xml(status, render) {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: render(requestId),
  };
}

/** @param {string} text */
function esc(text) {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch,
  );
}

/**
 * ISO 8601 without milliseconds, as STS writes Expiration.
 * @param {number} ms
 */
function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
