// @ts-check
// The slice of IAM role trust policies that GitHub OIDC roles use: StringLike on sub, StringEquals on aud.

/**
 * What the fake IAM knows about one role.
 * @typedef {object} RoleConfig
 * @property {string | string[]} sub  StringLike pattern(s) for `token.actions.githubusercontent.com:sub`
 * @property {string | string[]} [aud] StringEquals value(s) for `...:aud` (default: not checked by the role)
 * @property {number} [maxSessionDuration] seconds; IAM's default is 3600
 * @property {string[]} [permissions] IAM actions the role's policies allow (default: the two ECR Public login needs)
 */

export const DEFAULT_PERMISSIONS = Object.freeze([
  'ecr-public:GetAuthorizationToken',
  'sts:GetServiceBearerToken',
]);

/**
 * IAM StringLike: `*` matches any run of characters (also `:` and `/`), `?` exactly one; case-sensitive.
 * @param {string} pattern
 * @param {string} value
 */
export function stringLike(pattern, value) {
  const source = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/**
 * Whether the role's trust policy lets a token with these claims assume it.
 * @param {RoleConfig} role
 * @param {Record<string, unknown>} claims
 */
export function trustAllows(role, claims) {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  if (!asList(role.sub).some((pattern) => stringLike(pattern, sub))) return false;
  if (role.aud === undefined) return true;
  const tokenAud = asList(/** @type {string | string[] | undefined} */ (claims.aud));
  return asList(role.aud).some((aud) => tokenAud.includes(aud));
}

/**
 * AWS's AccessDenied message for an assumed role's call, or null when its policies allow it.
 * @param {{ assumedRoleArn: string, permissions: string[] }} session
 * @param {string} action
 * @param {string} [resource]
 */
export function denial(session, action, resource = '*') {
  if (session.permissions.includes(action)) return null;
  return `User: ${session.assumedRoleArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

/**
 * @template T
 * @param {T | T[] | undefined} value
 * @returns {T[]}
 */
export function asList(value) {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
