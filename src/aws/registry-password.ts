// The AWS half of a registry login: credentials (OIDC → STS, or the default chain), then
// GetAuthorizationToken, each retried, all within the `timeout-seconds` deadline.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
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
  ECR_PUBLIC_REGION,
  type AuthorizationData,
  type RegistryLogin,
} from './authorization-token.js';
import { assumeRoleWithIdToken, maskingProvider, type AwsCredentials } from './credentials.js';
import { explainEcrError, isRetryable } from './explain-error.js';
import { fetchIdToken } from '../net/oidc-token.js';
import type { PhaseTimer } from '../common/timings.js';

type AwsSdk = typeof import('./sdk.js');
type Env = Record<string, string | undefined>;
type Credentials = AwsCredentials | AwsCredentialIdentityProvider;

/** Upper bound for one HTTP request; the phase deadline (`timeout-seconds`) bounds them all. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface PasswordDeps {
  aws: AwsSettings;
  network: NetworkSettings;
  sdk: Promise<AwsSdk>;
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

/** What one attempt of the phase needs: the deps plus its abort signal, agents and retry rules. */
interface Phase extends PasswordDeps {
  signal: AbortSignal;
  agents?: ProxyAgents;
  retry: Omit<RetryOptions, 'what'> & Required<Pick<RetryOptions, 'onRetry' | 'onFailure'>>;
  requestHandler: Promise<InstanceType<AwsSdk['NodeHttpHandler']>>;
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
  const direct = agents ? undefined : preconnect(source, deps);
  const requestHandler = Promise.all([deps.sdk, direct]).then(([sdk, agent]) =>
    newRequestHandler(sdk, agents, agent),
  );
  requestHandler.catch(() => undefined); // awaited later; a path that fails first must not crash on it
  const retry = {
    maxAttempts: deps.network.retryMaxAttempts,
    deadline: deps.deadline,
    isRetryable,
    onRetry: deps.runtime.info,
    onFailure,
    sleep: deps.sleep,
  };
  return { ...deps, signal, agents, retry, requestHandler };
}

/**
 * Without a proxy: once the OIDC request is out (next turn), load the TLS stack and connect to
 * STS and ECR Public while it is answered.
 */
async function preconnect(source: TokenSource, deps: PasswordDeps): Promise<PreconnectingAgent> {
  await new Promise((resolve) => setImmediate(resolve));
  const { awsOrigins, PreconnectingAgent } = await import('../net/preconnect.js');
  const agent = new PreconnectingAgent();
  const origins = awsOrigins(deps.env, stsRegion(deps.env));
  if (deps.aws.roleToAssume) agent.preconnect(origins.sts);
  // A pull-through cache's ECR endpoint is not preconnected (yet): only ECR Public's.
  if (source.endpoint.kind === 'ecr-public') agent.preconnect(origins.ecrPublic);
  return agent;
}

/** One handler (time-outs, proxy-aware or preconnecting agents) for the STS and ECR clients. */
const newRequestHandler = (sdk: AwsSdk, agents?: ProxyAgents, direct?: PreconnectingAgent) =>
  new sdk.NodeHttpHandler({
    connectionTimeout: Math.min(REQUEST_TIMEOUT_MS, 5000),
    requestTimeout: REQUEST_TIMEOUT_MS,
    httpAgent: agents?.http,
    httpsAgent: agents?.https ?? direct,
  });

async function passwordFromAws(source: TokenSource, phase: Phase): Promise<RegistryPassword> {
  const { credentials, via } = phase.aws.roleToAssume
    ? await assumeRole(phase.aws, phase)
    : await environmentCredentials(phase);
  const { endpoint } = source;
  try {
    const login = await timed(phase, source.service, () =>
      endpoint.kind === 'ecr-public'
        ? ecrPublicPassword(phase, credentials)
        : ecrPrivatePassword(endpoint, phase, credentials),
    );
    return { ...login, via };
  } catch (error) {
    throw explainEcrError(error, via, phase.env, source);
  }
}

const stsRegion = (env: Env): string => env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';

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
        timed(phase, 'STS', async () =>
          (await phase.sdk).fromWebToken({
            ...params,
            clientConfig: { region, maxAttempts: 1, requestHandler: await phase.requestHandler },
          })(),
        ),
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
  const sdk = await phase.sdk;
  const credentials = maskingProvider(sdk.fromNodeProviderChain(), phase.runtime.setSecret);
  return { credentials: credentials as Credentials, via: 'the AWS credentials in the environment' };
}

/** ECR Public GetAuthorizationToken (us-east-1 only). */
async function ecrPublicPassword(phase: Phase, credentials: Credentials): Promise<RegistryLogin> {
  const sdk = await phase.sdk;
  const client = new sdk.ECRPUBLICClient({
    region: ECR_PUBLIC_REGION,
    credentials,
    maxAttempts: 1,
    requestHandler: await phase.requestHandler,
  });
  return tokenLogin(phase, 'ECR Public', client, async (signal) => {
    const command = new sdk.GetAuthorizationTokenCommand({});
    return (await client.send(command, { abortSignal: signal })).authorizationData;
  });
}

/** ECR GetAuthorizationToken in the registry's region, on the endpoint its host form implies. */
async function ecrPrivatePassword(
  target: { region: string; fips: boolean; dualStack: boolean },
  phase: Phase,
  credentials: Credentials,
): Promise<RegistryLogin> {
  const ecr = await (await phase.sdk).loadEcrSdk();
  // An endpoint override (a VPC endpoint, the sandbox) is the endpoint: the SDK refuses FIPS or
  // dual-stack flags next to one.
  const overridden = Boolean(phase.env.AWS_ENDPOINT_URL_ECR || phase.env.AWS_ENDPOINT_URL);
  const client = new ecr.ECRClient({
    region: target.region,
    useFipsEndpoint: target.fips && !overridden,
    useDualstackEndpoint: target.dualStack && !overridden,
    credentials,
    maxAttempts: 1,
    requestHandler: await phase.requestHandler,
  });
  return tokenLogin(phase, `ECR (${target.region})`, client, async (signal) => {
    const command = new ecr.GetAuthorizationTokenCommand({});
    return (await client.send(command, { abortSignal: signal })).authorizationData?.[0];
  });
}

/** One GetAuthorizationToken, retried; the token is masked on arrival, then decoded. */
async function tokenLogin(
  phase: Phase,
  service: string,
  client: { destroy(): void },
  send: (signal: AbortSignal) => Promise<AuthorizationData | undefined>,
): Promise<RegistryLogin> {
  try {
    const data = await retry(
      async () => {
        const authorizationData = await send(phase.signal);
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
  } finally {
    client.destroy();
  }
}
