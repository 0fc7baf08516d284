// @ts-check
// The claims of a GitHub Actions ID token, derived from repository and ref like GitHub does.
import { randomUUID } from 'node:crypto';
import { randomDigits, randomHex } from './random.mjs';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Claims to put in (or, with value undefined, leave out of) every token. `repository` and `ref`
 * drive the derived claims (sub, repository_owner, workflow refs) unless those are given too.
 * @typedef {Record<string, unknown>} ClaimOverrides
 */

/**
 * Per-run values that stay the same for every token of one fake "job", as on a real runner.
 * @returns {Record<string, string>}
 */
export function jobIdentity() {
  const sha = randomHex(40);
  return {
    sha,
    workflow_sha: sha,
    job_workflow_sha: sha,
    run_id: randomDigits(10),
    run_number: randomDigits(3),
    run_attempt: '1',
    repository_id: randomDigits(9),
    repository_owner_id: randomDigits(8),
    actor_id: randomDigits(8),
  };
}

/**
 * @param {object} input
 * @param {ClaimOverrides} input.base      claims fixed when the fakes started
 * @param {ClaimOverrides} input.overrides claims set for the current test (setClaims)
 * @param {string | undefined} input.audience the `audience` query parameter, if any
 * @param {number} input.lifetimeSeconds
 * @param {number} input.nowSeconds
 * @returns {Record<string, unknown>}
 */
export function buildClaims({ base, overrides, audience, lifetimeSeconds, nowSeconds }) {
  const given = { ...base, ...overrides };
  const repository = String(given.repository ?? 'octo-org/app');
  const ref = String(given.ref ?? 'refs/heads/main');
  const owner = repository.split('/')[0];
  const workflowRef = `${repository}/.github/workflows/ci.yml@${ref}`;
  /** @type {Record<string, unknown>} */
  const claims = {
    jti: randomUUID(),
    sub: `repo:${repository}:ref:${ref}`,
    // GitHub's default audience is the owner's URL; AWS needs `sts.amazonaws.com` asked for.
    aud: audience || `https://github.com/${owner}`,
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'false',
    repository,
    repository_owner: owner,
    repository_visibility: 'public',
    actor: owner,
    workflow: 'ci',
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
    event_name: 'push',
    runner_environment: 'github-hosted',
    iss: GITHUB_ISSUER,
    nbf: nowSeconds,
    iat: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
  };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}
