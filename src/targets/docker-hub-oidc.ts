// Docker Hub with an OIDC connection (`fallback-oidc-connection-id`): a second GitHub ID token,
// asked for with Docker's audience, exchanged (RFC 8693) at Docker's identity service for a
// short-lived token that logs in as the organization. Wire format and its sources, and what is
// not public (error bodies above all): docs/docker-hub-oidc.md.
import { repositoryPattern } from '../aws/explain-error.js';
import { ActionError, describeError } from '../common/errors.js';
import { show } from '../common/text.js';
import { HttpError, postForm } from '../net/get-json.js';
import {
  decodeClaims,
  explainOidcError,
  fetchIdToken,
  type IdTokenClaims,
} from '../net/oidc-token.js';
import { proxyConfigured, proxyEnvProblem, ProxyError } from '../net/proxy-env.js';
import type { ProxyAgents } from '../net/proxy.js';
import { retry, withDeadline } from '../net/retry.js';
import { DOCKER_HUB, libraryPrefix } from '../registry/names.js';
import type { InputReader } from '../runner/input-reader.js';
import { parseFallbackRegistry } from './registry-token.js';
import type { CredentialDeps, LoginTarget, RegistryCredential } from './target.js';

type Env = Record<string, string | undefined>;

/** The exchange's origin, and the audience of the GitHub token it accepts. */
export const DOCKER_IDENTITY = 'https://identity.docker.com';
/** Another origin for the exchange (the sandbox; a test double); the audience stays Docker's. */
export const IDENTITY_URL_ENV = 'DOCKER_IDENTITY_URL';
/** The variable docker/login-action reads, so a workflow can switch actions as it is. */
export const CONNECTION_ENV = 'DOCKERHUB_OIDC_CONNECTIONID';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const REQUEST_TIMEOUT_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export interface OidcConnection {
  /** The Docker organization: the username docker logs in with. */
  organization: string;
  connectionId: string;
  /** The lifetime asked for, in seconds. */
  expiresIn: number;
}

/** The connection ID from the input or the step's env; undefined when neither is set. */
export function parseDockerHubOidc(inputs: InputReader, env: Env): LoginTarget | undefined {
  const input = inputs.read('fallback-oidc-connection-id').trim();
  const expiresIn = inputs.integer('fallback-oidc-expires-in', 300, 21600);
  const connectionId = input || (env[CONNECTION_ENV] ?? '').trim();
  if (!connectionId) return undefined;
  const where = input ? `'fallback-oidc-connection-id'` : CONNECTION_ENV;
  const organization = inputs.read('fallback-username');
  const token = inputs.read('fallback-token');
  if (!input && !organization && !token) {
    // A job-wide variable meant for another step must not break a step without a fallback.
    inputs.notes.push(
      `${CONNECTION_ENV} is set but 'fallback-username' is empty, so there is no fallback.`,
    );
    return undefined;
  }
  connectionProblems(inputs, { where, connectionId, organization, token });
  return dockerHubOidcTarget({ organization, connectionId, expiresIn });
}

function connectionProblems(
  inputs: InputReader,
  c: { where: string; connectionId: string; organization: string; token: string },
): void {
  if (!UUID.test(c.connectionId)) {
    inputs.problems.push(
      `${c.where} must be a Docker OIDC connection ID, a UUID such as 5f0c2a6e-8d1b-4c3a-9e7f-2b6d4a1c8e90 (Docker Home: your organization, OIDC connections): got ${show(c.connectionId)}`,
    );
  }
  if (!c.organization) {
    inputs.problems.push(
      `${c.where} is set but 'fallback-username' is empty: it must be the Docker organization the connection belongs to`,
    );
  }
  if (c.token) {
    inputs.problems.push(
      `'fallback-token' and ${c.where} are both set: log in to Docker Hub one way, with an organization access token or with the OIDC connection`,
    );
  }
  const { host } = parseFallbackRegistry(inputs);
  if (host && host !== DOCKER_HUB) {
    inputs.problems.push(
      `${c.where} logs in to Docker Hub only, but 'fallback-registry' is ${host}: leave 'fallback-registry' at docker.io`,
    );
  }
}

export function dockerHubOidcTarget(c: OidcConnection): LoginTarget {
  return {
    kind: 'docker-hub-oidc',
    host: DOCKER_HUB,
    label: 'Docker Hub',
    libraryPrefix: libraryPrefix(DOCKER_HUB),
    usesAws: false,
    credential: (deps) => exchangeCredential(c, deps),
    refusedFix: `Docker Hub refused the token exchanged through OIDC connection ${c.connectionId}: check that 'fallback-username' (${c.organization}) is the organization that owns the connection.`,
  };
}

/** What one exchange attempt needs. */
interface Exchange extends CredentialDeps {
  signal: AbortSignal;
  agents?: ProxyAgents;
  failed: (error: unknown, what?: string) => void;
}

/** GitHub ID token → Docker's exchange, retried as one unit, within the deadline. */
async function exchangeCredential(
  c: OidcConnection,
  deps: CredentialDeps,
): Promise<RegistryCredential> {
  const proxyProblem = proxyEnvProblem(deps.env, deps.network.httpProxy);
  if (proxyProblem) {
    throw new ActionError(
      proxyProblem,
      'Fix the proxy variable in the job or runner environment, or set the `http-proxy` input.',
    );
  }
  // The tunnelling agents (and tls) load only when a proxy is set: main's first request needs neither.
  const agents = proxyConfigured(deps.env, deps.network.httpProxy)
    ? (await import('../net/proxy.js')).proxyAgents(
        deps.env,
        deps.network.httpProxy,
        REQUEST_TIMEOUT_MS,
      )
    : undefined;
  const { token, sentAt, sub } = await withDeadline(
    "Getting a Docker Hub token (GitHub OIDC token, then Docker's token exchange)",
    deps.deadline,
    deps.network.timeoutSeconds,
    (signal, failed) => exchangeWithRetries(c, { ...deps, signal, agents, failed }),
  );
  return {
    username: c.organization,
    password: token,
    // Only `access_token` is read: the lifetime is the one asked for, counted from the request.
    expiresAt: new Date(sentAt + c.expiresIn * 1000),
    via: `OIDC connection ${c.connectionId} (organization ${c.organization}, as ${sub || 'this job'})`,
  };
}

async function exchangeWithRetries(c: OidcConnection, x: Exchange) {
  let stage: 'oidc' | 'docker' = 'oidc';
  let claims: IdTokenClaims = {};
  try {
    return await retry(
      async () => {
        stage = 'oidc';
        const idToken = await fetchIdToken(x.env, {
          audience: DOCKER_IDENTITY,
          timeoutMs: REQUEST_TIMEOUT_MS,
          signal: x.signal,
          agents: x.agents,
          forWhat: 'the Docker Hub OIDC connection',
        });
        x.runtime.setSecret(idToken);
        claims = decodeClaims(idToken);
        stage = 'docker';
        const timed = () => exchange(c, idToken, x);
        const answer = await (x.timing ? x.timing.time('Docker exchange', timed) : timed());
        return { ...answer, sub: claims.sub ?? '' };
      },
      {
        what: "Docker's OIDC token exchange",
        maxAttempts: x.network.retryMaxAttempts,
        deadline: x.deadline,
        isRetryable: isRetryableExchange,
        serverDelayMs: (e) =>
          e instanceof HttpError && e.retryAfterSeconds !== undefined
            ? e.retryAfterSeconds * 1000
            : undefined,
        onRetry: x.runtime.info,
        onFailure: (e) =>
          x.failed(e, stage === 'oidc' ? 'GitHub OIDC token request' : "Docker's token exchange"),
        sleep: x.sleep,
      },
    );
  } catch (error) {
    throw stage === 'oidc' ? explainOidcError(error) : explainExchangeError(error, c, claims);
  }
}

/** One POST of the exchange; the token is masked before anything else sees it. */
async function exchange(c: OidcConnection, idToken: string, x: Exchange) {
  const form = new URLSearchParams({
    grant_type: GRANT,
    subject_token_type: ID_TOKEN_TYPE,
    subject_token: idToken,
    connection_id: c.connectionId,
    expires_in: String(c.expiresIn),
  });
  const sentAt = Date.now();
  const body = await postForm(exchangeUrl(x.env), form, {
    headers: { 'user-agent': 'ecr-public-login' },
    timeoutMs: REQUEST_TIMEOUT_MS,
    signal: x.signal,
    agents: x.agents,
  });
  const token = (body as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new ActionError(
      "Docker's token exchange answered without an access_token.",
      'Retry the job; if it keeps happening, set `fallback-token` (an organization access token) instead until Docker fixes it.',
    );
  }
  x.runtime.setSecret(token);
  return { token, sentAt };
}

function exchangeUrl(env: Env): URL {
  const origin = env[IDENTITY_URL_ENV] || DOCKER_IDENTITY;
  try {
    return new URL('/oauth/token', origin);
  } catch {
    throw new ActionError(
      `${IDENTITY_URL_ENV} is not a URL: got ${show(origin)}.`,
      `Unset ${IDENTITY_URL_ENV} to use ${DOCKER_IDENTITY}.`,
    );
  }
}

/** Throttling, 5xx and connection trouble; never a refusal (400, 401, 403). */
export function isRetryableExchange(error: unknown): boolean {
  if (error instanceof ActionError) return false;
  if (error instanceof HttpError) return error.status === 429 || error.status >= 500;
  if (error instanceof ProxyError) return error.status === undefined || error.status >= 500;
  return NETWORK_CODES.has(String((error as { code?: unknown } | null)?.code ?? ''));
}

/** Docker's own words: OAuth's `error` code and its text, else the raw body, bounded. */
export function dockerSays(error: HttpError): { code: string; text: string } {
  let parsed: { error?: unknown; error_description?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(error.body) ?? {};
  } catch {
    // not JSON: the raw body is quoted
  }
  const code = typeof parsed.error === 'string' ? parsed.error : '';
  const described = [parsed.error_description, parsed.message].find(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  const text = (described ?? error.body).replace(/\s+/g, ' ').trim().slice(0, 300);
  return { code, text: text || '(no text)' };
}

/** A failed exchange: what Docker said, then what to check, by status and OAuth code. */
export function explainExchangeError(
  error: unknown,
  c: OidcConnection,
  claims: IdTokenClaims,
): ActionError {
  if (error instanceof ActionError) return error;
  if (!(error instanceof HttpError)) {
    const via = error instanceof ProxyError ? ' through the proxy' : '';
    return new ActionError(
      `Could not reach Docker's identity service${via} (${describeError(error)}).`,
      "It was retried within `timeout-seconds`: check www.dockerstatus.com, the runner's network and the proxy settings (HTTPS_PROXY, NO_PROXY, `http-proxy`).",
      { cause: error },
    );
  }
  const said = dockerSays(error);
  const what = `HTTP ${error.status}${said.code ? ` ${said.code}` : ''}: ${said.text}`;
  const base = `Docker's token exchange refused the job's OIDC token for connection ${c.connectionId} (${what}).`;
  const sub = claims.sub ?? '';
  if (isSubjectRefusal(error.status, said.code)) {
    return new ActionError(
      `${base} The token's sub claim is "${sub}".`,
      `A ruleset of the OIDC connection must match this sub: in Docker Home (organization ${c.organization}, OIDC connections, ${c.connectionId}) give a ruleset the subject "${repositoryPattern(sub)}" (or the exact sub), with the repositories this job pulls as resources.`,
      { cause: error },
    );
  }
  return new ActionError(base, exchangeFix(error.status, c), { cause: error });
}

const isSubjectRefusal = (status: number, code: string): boolean =>
  status === 403 || code === 'access_denied' || code === 'unauthorized_client';

function exchangeFix(status: number, c: OidcConnection): string {
  if (status === 429) {
    return 'Docker throttled the exchange and it was retried until the deadline: run the job again later, or raise `timeout-seconds`.';
  }
  if (status >= 500) {
    return "Docker's identity service failed and was retried: check www.dockerstatus.com and run the job again; `fallback-token` (an organization access token) does not need the exchange.";
  }
  return `Check that connection ${c.connectionId} exists and is active in the organization ${c.organization} (Docker Home, OIDC connections; the feature needs a Team or Business plan), that \`fallback-oidc-expires-in\` (${c.expiresIn}) is within what the connection allows, and that the runner's clock is right.`;
}
