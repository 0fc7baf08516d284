// The AWS half of a registry login: credentials (OIDC → STS, or the SDK's default chain), then
// GetAuthorizationToken, each retried, all within the `timeout-seconds` deadline. Who sends the
// calls, our own requests or the AWS SDK, is direct-rule's decision (said in the debug log);
// the retries, masking and messages around them are the same for both.
import { ActionError } from '../common/errors.js';
import type { PreconnectingAgent } from '../net/preconnect.js';
import type { ProxyAgents } from '../net/proxy.js';
import { proxyConfigured, proxyEnvProblem } from '../net/proxy-env.js';
import { retry, withDeadline, type RetryOptions } from '../net/retry.js';
import type { AwsSettings } from './settings.js';
import type { TokenSource } from './token-source.js';
import type { NetworkSettings } from '../net/settings.js';
import type { Runtime } from '../runner/runtime.js';
import {
  decodeAuthorizationToken,
  type AuthorizationData,
  type RegistryLogin,
} from './authorization-token.js';
import type { AwsCalls, Credentials } from './calls.js';
import { assumeRoleWithIdToken } from './credentials.js';
import { awsRoute, stsRegion, type AwsEndpoints, type AwsRoute } from './direct-rule.js';
import { explainEcrError, isRetryable } from './explain-error.js';
import { sdkCalls } from './sdk-calls.js';
import { fetchIdToken } from '../net/oidc-token.js';
import type { PhaseTimer } from '../common/timings.js';

type AwsSdk = typeof import('./sdk.js');
type Env = Record<string, string | undefined>;

/** Upper bound for one HTTP request; the phase deadline (`timeout-seconds`) bounds them all. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface PasswordDeps {
  aws: AwsSettings;
  network: NetworkSettings;
  /** Loads the AWS SDK chunk, asked only when direct-rule sends the calls through the SDK. */
  loadSdk: () => Promise<AwsSdk>;
  env: Env;
  runtime: Pick<Runtime, 'setSecret' | 'info' | 'debug'>;
  /** Epoch ms by which the whole phase must be done. */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
  /** Sees the time OIDC, STS and ECR Public took, for the step summary. */
  timing?: PhaseTimer;
}

const timed = <T>(deps: PasswordDeps, phase: string, fn: () => Promise<T>): Promise<T> =>
  deps.timing ? deps.timing.time(phase, fn) : fn();

/** Once the request sent in this turn is out: what is only needed for its answer loads then. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** What one attempt of the phase needs: the deps plus its abort signal, calls and retry rules. */
interface Phase extends PasswordDeps {
  signal: AbortSignal;
  agents?: ProxyAgents;
  calls: Promise<AwsCalls>;
  retry: Omit<RetryOptions, 'what'> & Required<Pick<RetryOptions, 'onRetry' | 'onFailure'>>;
}

export type { TokenSource };
export type RegistryPassword = RegistryLogin & { via: string };

/** The registry password from AWS, within the deadline; names the proxy when it is misconfigured. */
export function awsRegistryPassword(
  source: TokenSource,
  deps: PasswordDeps,
): Promise<RegistryPassword> {
  const { network } = deps;
  const proxyProblem = proxyEnvProblem(deps.env, network.httpProxy);
  if (proxyProblem) {
    return Promise.reject(
      new ActionError(
        proxyProblem,
        'Fix the proxy variable in the job or runner environment, or set the `http-proxy` input.',
      ),
    );
  }
  const run = (agents?: ProxyAgents) =>
    withDeadline(
      `Logging in to ${source.service}`,
      deps.deadline,
      network.timeoutSeconds,
      (signal, onFailure) =>
        passwordFromAws(source, startPhase(source, deps, signal, onFailure, agents)),
    );
  // The tunnelling agents (and tls) load only when a proxy is set: the OIDC request needs them.
  if (!proxyConfigured(deps.env, network.httpProxy)) return run();
  return import('../net/proxy.js').then((m) =>
    run(m.proxyAgents(deps.env, network.httpProxy, REQUEST_TIMEOUT_MS)),
  );
}

function startPhase(
  source: TokenSource,
  deps: PasswordDeps,
  signal: AbortSignal,
  onFailure: (error: unknown, what?: string) => void,
  agents?: ProxyAgents,
): Phase {
  const route = awsRoute({
    env: deps.env,
    roleToAssume: Boolean(deps.aws.roleToAssume),
    endpoint: source.endpoint,
  });
  deps.runtime.debug(
    `${source.service}: ${route.direct ? 'our own AWS requests' : 'the AWS SDK'} (${route.why}).`,
  );
  const early = agents ? undefined : preconnect(route.direct ? route : route.endpoints, deps);
  const calls = callsFor(route, source, deps, { signal, agents, early });
  calls.catch(() => undefined); // awaited later; a path that fails first must not crash on it
  const retry = {
    maxAttempts: deps.network.retryMaxAttempts,
    deadline: deps.deadline,
    isRetryable,
    onRetry: deps.runtime.info,
    onFailure,
    sleep: deps.sleep,
  };
  return { ...deps, signal, agents, calls, retry };
}

interface Connect {
  signal: AbortSignal;
  /** A proxy's tunnelling agents, when one is set. */
  agents?: ProxyAgents;
  /** Otherwise the agent holding the early connections. */
  early?: Promise<PreconnectingAgent>;
}

/** Our own requests, or the SDK's (loaded now, once the first request is out). */
async function callsFor(
  route: AwsRoute,
  source: TokenSource,
  deps: PasswordDeps,
  c: Connect,
): Promise<AwsCalls> {
  const setSecret = deps.runtime.setSecret;
  const connect = c.early ? c.early.then((https) => ({ https })) : Promise.resolve(c.agents);
  connect.catch(() => undefined); // awaited by the first call; a path that fails first never asks
  if (route.direct) {
    await nextTurn();
    const { directCalls } = await import('./direct-calls.js');
    const { sts, registry } = route;
    const timeoutMs = REQUEST_TIMEOUT_MS;
    return directCalls({
      sts,
      registry,
      source,
      agents: connect,
      timeoutMs,
      signal: c.signal,
      setSecret,
    });
  }
  const sdk = nextTurn().then(deps.loadSdk);
  sdk.catch(() => undefined); // awaited by the first call
  const requestHandler = Promise.all([sdk, connect]).then(([loaded, agents]) =>
    newRequestHandler(loaded, c.agents?.http, agents?.https),
  );
  requestHandler.catch(() => undefined);
  return sdkCalls({
    sdk,
    requestHandler,
    source,
    stsRegion: stsRegion(deps.env),
    env: deps.env,
    setSecret,
  });
}

/**
 * Without a proxy: once the OIDC request is out (next turn), load the TLS stack and connect to
 * STS and the token service while it is answered.
 */
async function preconnect(
  endpoints: AwsEndpoints,
  deps: PasswordDeps,
): Promise<PreconnectingAgent> {
  await nextTurn();
  const { PreconnectingAgent } = await import('../net/preconnect.js');
  const agent = new PreconnectingAgent();
  if (deps.aws.roleToAssume) agent.preconnect(endpoints.sts);
  agent.preconnect(endpoints.registry);
  return agent;
}

/** One handler (time-outs, proxy-aware or preconnecting agents) for the STS and ECR clients. */
const newRequestHandler = (
  sdk: AwsSdk,
  httpAgent?: ProxyAgents['http'],
  httpsAgent?: ProxyAgents['https'],
) =>
  new sdk.NodeHttpHandler({
    connectionTimeout: Math.min(REQUEST_TIMEOUT_MS, 5000),
    requestTimeout: REQUEST_TIMEOUT_MS,
    httpAgent,
    httpsAgent,
  });

async function passwordFromAws(source: TokenSource, phase: Phase): Promise<RegistryPassword> {
  const { credentials, via } = phase.aws.roleToAssume
    ? await assumeRole(phase.aws, phase)
    : await environmentCredentials(phase);
  const { endpoint } = source;
  const service = endpoint.kind === 'ecr-public' ? 'ECR Public' : `ECR (${endpoint.region})`;
  try {
    const login = await timed(phase, source.service, () => tokenLogin(phase, service, credentials));
    return { ...login, via };
  } catch (error) {
    throw explainEcrError(error, via, phase.env, source);
  } finally {
    void phase.calls.then(
      (calls) => calls.close(),
      () => undefined,
    );
  }
}

/** `role-to-assume`: a fresh OIDC token per STS attempt, then AssumeRoleWithWebIdentity. */
async function assumeRole(settings: AwsSettings, phase: Phase) {
  const region = stsRegion(phase.env);
  const assumed = await assumeRoleWithIdToken(
    {
      roleArn: settings.roleToAssume,
      roleSessionName: settings.roleSessionName,
      durationSeconds: settings.roleDurationSeconds,
    },
    {
      ...phase.retry,
      setSecret: phase.runtime.setSecret,
      fetchIdToken: () =>
        timed(phase, 'OIDC', () =>
          fetchIdToken(phase.env, {
            audience: settings.audience,
            timeoutMs: REQUEST_TIMEOUT_MS,
            signal: phase.signal,
            agents: phase.agents,
          }),
        ),
      assumeRole: (params) =>
        timed(phase, 'STS', async () => (await phase.calls).assumeRole(params)),
    },
  );
  phase.runtime.info(
    `Assumed ${settings.roleToAssume} as ${assumed.claims.sub ?? 'this job'} (STS in ${region}).`,
  );
  const { sub, aud, repository, ref } = assumed.claims;
  phase.runtime.debug(
    `OIDC token claims: ${JSON.stringify({ sub, aud, repository, ref })}; AWS session expires ${assumed.expiration?.toISOString() ?? '(not given)'}`,
  );
  return { credentials: assumed as Credentials, via: `role ${settings.roleToAssume}` };
}

/** No role: whatever the SDK's default chain finds (env, profile, web identity file, instance). */
async function environmentCredentials(phase: Phase) {
  const calls = await phase.calls;
  if (!calls.defaultChain) throw new Error('the default credential chain is the SDK path only');
  const credentials = await calls.defaultChain();
  return { credentials, via: 'the AWS credentials in the environment' };
}

/** One GetAuthorizationToken, retried; the token is masked on arrival, then decoded. */
async function tokenLogin(
  phase: Phase,
  service: string,
  credentials: Credentials,
): Promise<RegistryLogin> {
  const calls = await phase.calls;
  const data = await retry<AuthorizationData>(
    async () => {
      const authorizationData = await calls.authorizationToken(credentials, phase.signal);
      // Mask before anything else touches it: the token and the password inside it.
      if (authorizationData?.authorizationToken)
        phase.runtime.setSecret(authorizationData.authorizationToken);
      return authorizationData ?? {};
    },
    { ...phase.retry, what: `${service} GetAuthorizationToken` },
  );
  const login = decodeAuthorizationToken(data, new Date(), service);
  phase.runtime.setSecret(login.password);
  phase.runtime.debug(
    `${service} token: user ${login.username}, expires ${login.expiresAt?.toISOString() ?? '(not given)'}`,
  );
  return login;
}
