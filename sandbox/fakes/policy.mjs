// @ts-check
// A small IAM policy evaluator: the slice of IAM's logic the shipped trust and permission
// policies use. Anything outside that slice throws instead of guessing, so a policy the fakes
// cannot judge fails loudly rather than being silently allowed.
//
// Supported: Effect Allow/Deny (an explicit Deny wins over any Allow, nothing allowed is an
// implicit deny); Action/NotAction and Resource/NotResource with `*` and `?` wildcards (actions
// case-insensitive, resources case-sensitive); Principal `*` or {Federated|AWS|Service: ...};
// Condition operators StringEquals, StringNotEquals, StringLike, StringNotLike, each optionally
// with the ForAnyValue: or ForAllValues: set prefix. Not supported (throws): NotPrincipal, other
// operators, the IfExists suffix, policy variables (`${...}`) in resources or values.

/**
 * @typedef {Record<string, unknown>} Statement
 * @typedef {{ Version?: string, Statement: Statement | Statement[] }} PolicyDocument
 * @typedef {object} Request
 * @property {string} action e.g. `sts:AssumeRoleWithWebIdentity`
 * @property {string} [resource] ARN, default `*`
 * @property {Record<string, string>} [principal] e.g. `{ Federated: 'arn:aws:iam::1:oidc-provider/x' }`
 *   (only trust policies are asked with one)
 * @property {Record<string, string | string[]>} [context] condition keys, case-insensitive names
 * @typedef {'Allow' | 'ExplicitDeny' | 'ImplicitDeny'} Decision
 */

const OPERATORS =
  /^(?:(ForAnyValue|ForAllValues):)?(StringEquals|StringNotEquals|StringLike|StringNotLike)$/;

/**
 * @param {PolicyDocument[]} documents every policy that applies (identity or trust)
 * @param {Request} request
 * @returns {Decision}
 */
export function evaluate(documents, request) {
  let allowed = false;
  for (const statement of documents.flatMap((doc) => asList(doc.Statement))) {
    if (!statementMatches(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'ExplicitDeny';
    if (statement.Effect !== 'Allow')
      throw new Error(`Effect must be Allow or Deny, not ${String(statement.Effect)}`);
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/**
 * @param {Statement} statement
 * @param {Request} request
 */
function statementMatches(statement, request) {
  if ('NotPrincipal' in statement) throw new Error('NotPrincipal is not supported');
  const action = request.action.toLowerCase();
  const resource = request.resource ?? '*';
  return (
    either(statement, 'Action', 'NotAction', (pattern) =>
      wildcard(pattern.toLowerCase(), action),
    ) &&
    either(
      statement,
      'Resource',
      'NotResource',
      (pattern) => wildcard(noVariables(pattern), resource),
      true,
    ) &&
    principalMatches(statement.Principal, request.principal) &&
    conditionsHold(statement.Condition, request.context ?? {})
  );
}

/**
 * A statement has the positive element or its Not form; `optional` lets trust policies omit Resource.
 * @param {Statement} statement
 * @param {string} positive
 * @param {string} negative
 * @param {(pattern: string) => boolean} matches
 * @param {boolean} [optional]
 */
function either(statement, positive, negative, matches, optional = false) {
  if (positive in statement) return strings(statement[positive], positive).some(matches);
  if (negative in statement) return !strings(statement[negative], negative).some(matches);
  if (optional) return true;
  throw new Error(`a statement needs ${positive} or ${negative}`);
}

/**
 * @param {unknown} principal the statement's Principal
 * @param {Record<string, string> | undefined} caller
 */
function principalMatches(principal, caller) {
  if (principal === undefined) return caller === undefined;
  if (caller === undefined) throw new Error('an identity policy must not name a Principal');
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null)
    throw new Error('Principal must be * or an object');
  return Object.entries(caller).some(([type, id]) =>
    strings(
      /** @type {Record<string, unknown>} */ (principal)[type] ?? [],
      `Principal.${type}`,
    ).some((p) => p === '*' || p === id),
  );
}

/**
 * Every operator, and every key under it, must hold (AND); a key's values are alternatives (OR).
 * @param {unknown} condition
 * @param {Record<string, string | string[]>} context
 */
function conditionsHold(condition, context) {
  if (condition === undefined) return true;
  const keys = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), asList(v)]));
  return Object.entries(/** @type {Record<string, Record<string, unknown>>} */ (condition)).every(
    ([operator, tests]) =>
      Object.entries(tests).every(([key, values]) =>
        operatorHolds(operator, keys.get(key.toLowerCase()), strings(values, key).map(noVariables)),
      ),
  );
}

/**
 * @param {string} operator
 * @param {string[] | undefined} actual the context key's values; undefined when the request lacks it
 * @param {string[]} expected
 */
function operatorHolds(operator, actual, expected) {
  const parsed = OPERATORS.exec(operator);
  if (!parsed) throw new Error(`condition operator ${operator} is not supported`);
  const [, set, base] = parsed;
  const negated = base.includes('Not');
  const like = base.endsWith('Like');
  const one = (/** @type {string} */ value) =>
    expected.some((pattern) => (like ? wildcard(pattern, value) : pattern === value));
  const hit = (/** @type {string} */ value) => (negated ? !one(value) : one(value));
  if (set === 'ForAnyValue') return (actual ?? []).some(hit);
  if (set === 'ForAllValues') return (actual ?? []).every(hit);
  // A single-valued operator on an absent key: only the negated forms hold.
  if (actual === undefined) return negated;
  if (actual.length !== 1) throw new Error('a multivalued key needs ForAnyValue: or ForAllValues:');
  return hit(actual[0]);
}

/**
 * IAM wildcards: `*` any run of characters (also `:` and `/`), `?` exactly one; case-sensitive.
 * @param {string} pattern
 * @param {string} value
 */
export function wildcard(pattern, value) {
  const source = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** @param {string} text */
function noVariables(text) {
  if (text.includes('${')) throw new Error(`policy variables are not supported: ${text}`);
  return text;
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {string[]}
 */
function strings(value, what) {
  const list = asList(value);
  if (!list.every((v) => typeof v === 'string')) throw new Error(`${what} must be strings`);
  return /** @type {string[]} */ (list);
}

/**
 * @template T
 * @param {T | T[] | undefined} value
 * @returns {T[]}
 */
function asList(value) {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
