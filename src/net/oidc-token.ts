// The job's GitHub OIDC token, for whoever federates it: STS (AWS credentials), Docker's identity
// service (a Docker Hub token). Not AWS-specific, so it sits with the other network calls.
import { ActionError, describeError } from '../common/errors.js';
import { getJson, HttpError, type GetOptions } from './get-json.js';
import { ProxyError } from './proxy-env.js';

type Env = Record<string, string | undefined>;

export const NO_ID_TOKEN_FIX =
  'Give the job `permissions: id-token: write` (with `contents: read`). Workflows triggered by pull requests from forks never get an OIDC token: set `fallback-username` and `fallback-token`, or skip this step for forks.';

export interface IdTokenRequest {
  audience: string;
  timeoutMs: number;
  signal?: AbortSignal;
  agents?: GetOptions['agents'];
  /** What needs the token, for the error when the job has none (default `'role-to-assume'`). */
  forWhat?: string;
}

/** Fetches one ID token from the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL). */
export async function fetchIdToken(env: Env, r: IdTokenRequest): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new ActionError(
      `This job has no GitHub OIDC token (${url ? 'ACTIONS_ID_TOKEN_REQUEST_TOKEN' : 'ACTIONS_ID_TOKEN_REQUEST_URL'} is not set), so ${r.forWhat ?? "'role-to-assume'"} cannot be used.`,
      NO_ID_TOKEN_FIX,
    );
  }
  const target = new URL(url);
  target.searchParams.set('audience', r.audience);
  let body: unknown;
  try {
    body = await getJson(target, {
      headers: { authorization: `Bearer ${bearer}` },
      timeoutMs: r.timeoutMs,
      signal: r.signal,
      agents: r.agents,
    });
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      throw new ActionError(
        `GitHub refused the OIDC token request (HTTP ${error.status}).`,
        NO_ID_TOKEN_FIX,
        { cause: error },
      );
    }
    throw error;
  }
  const value = (body as { value?: unknown } | null)?.value;
  if (typeof value !== 'string' || value.split('.').length !== 3) {
    throw new ActionError(
      'The OIDC token service answered without a token (no "value" JWT in its JSON).',
    );
  }
  return value;
}

/** A failure to get a token from GitHub's token service, after its retries. */
export function explainOidcError(error: unknown): ActionError {
  if (error instanceof ActionError) return error;
  if (error instanceof ProxyError) {
    return new ActionError(
      `Could not reach GitHub's token service through the proxy (${describeError(error)}).`,
      'Check the proxy (HTTPS_PROXY / HTTP_PROXY, or the `http-proxy` input) and NO_PROXY.',
      { cause: error },
    );
  }
  return new ActionError(
    `Could not get the job's OIDC token from GitHub's token service (${describeError(error)}).`,
    "GitHub's token service was unavailable or unreachable from this runner (it was retried): check githubstatus.com, the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY, `http-proxy`).",
    { cause: error },
  );
}

export interface IdTokenClaims {
  sub?: string;
  aud?: string | string[];
  iss?: string;
  exp?: number;
  repository?: string;
  ref?: string;
}

/** Reads the (non-secret) claims of a JWT for error messages; no verification. */
export function decodeClaims(jwt: string): IdTokenClaims {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as IdTokenClaims) : {};
  } catch {
    return {};
  }
}
