// @ts-check
// What the fake IAM knows about a role, and its verdicts: the role's trust policy decides
// AssumeRoleWithWebIdentity, its permission policies decide each later call. Both are judged by
// policy.mjs; by default the policies are the shipped ones (sandbox/iam/shipped.mjs).
import { evaluate, wildcard } from './policy.mjs';

/**
 * @typedef {import('./policy.mjs').PolicyDocument} PolicyDocument
 * @typedef {import('./policy.mjs').Decision} Decision
 */

/**
 * A role as IAM stores it, or, for tests of the fakes themselves, a short hand-written one
 * (`sub` patterns, optional `aud`, a list of allowed actions) turned into the same documents.
 * @typedef {object} RoleConfig
 * @property {PolicyDocument} [trustPolicy]
 * @property {PolicyDocument[]} [permissionPolicies]
 * @property {string | string[]} [sub] StringLike pattern(s) for `token.actions.githubusercontent.com:sub`
 * @property {string | string[]} [aud] StringEquals value(s) for `...:aud` (default: not checked)
 * @property {string[]} [permissions] actions allowed on `*` (default: the two ECR Public login needs)
 * @property {number} [maxSessionDuration] seconds; IAM's default is 3600
 */

export const DEFAULT_PERMISSIONS = Object.freeze([
  'ecr-public:GetAuthorizationToken',
  'sts:GetServiceBearerToken',
]);
const ISSUER_HOST = 'token.actions.githubusercontent.com';

/** IAM StringLike matching (kept under its old name for the fakes' callers). */
export const stringLike = wildcard;

/**
 * Whether the role's trust policy lets a token with these claims in through this provider.
 * @param {RoleConfig} role
 * @param {Record<string, unknown>} claims
 * @param {string} providerArn the account's OIDC provider for the token's issuer
 */
export function trustAllows(role, claims, providerArn) {
  const decision = evaluate([trustPolicyOf(role)], {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: { Federated: providerArn },
    context: {
      [`${ISSUER_HOST}:sub`]: String(claims.sub ?? ''),
      [`${ISSUER_HOST}:aud`]: /** @type {string | string[]} */ (claims.aud ?? []),
    },
  });
  return decision === 'Allow';
}

/**
 * The permission policies a session of this role carries.
 * @param {RoleConfig} role
 * @returns {PolicyDocument[]}
 */
export function permissionPoliciesOf(role) {
  if (role.permissionPolicies) return role.permissionPolicies;
  const actions = role.permissions ?? [...DEFAULT_PERMISSIONS];
  return actions.length === 0
    ? []
    : [{ Statement: { Effect: 'Allow', Action: actions, Resource: '*' } }];
}

/**
 * The AccessDeniedException message AWS gives an assumed role, or null when the call is allowed.
 * @param {{ assumedRoleArn: string, policies: PolicyDocument[] }} session
 * @param {string} action
 * @param {string} [resource]
 */
export function denial(session, action, resource = '*') {
  const decision = evaluate(session.policies, { action, resource });
  if (decision === 'Allow') return null;
  const why =
    decision === 'ExplicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${session.assumedRoleArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/**
 * @param {RoleConfig} role
 * @returns {PolicyDocument}
 */
function trustPolicyOf(role) {
  if (role.trustPolicy) return role.trustPolicy;
  /** @type {Record<string, Record<string, string | string[]>>} */
  const condition = { StringLike: { [`${ISSUER_HOST}:sub`]: role.sub ?? [] } };
  if (role.aud !== undefined) condition.StringEquals = { [`${ISSUER_HOST}:aud`]: role.aud };
  return {
    Statement: {
      Effect: 'Allow',
      Principal: { Federated: '*' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: condition,
    },
  };
}
