// The AWS half of the ECR Public login: credentials (OIDC → STS, or the default chain), then
// GetAuthorizationToken in us-east-1, each retried, all within the phase deadline.
import type { Settings } from '../runner/inputs.js';
import { assumeRoleWithIdToken, maskingProvider, type AwsCredentials } from './credentials.js';
import { explainEcrError, isRetryable } from './explain-error.js';
import {
  decodeAuthorizationToken,
  ECR_PUBLIC_REGION,
  type RegistryLogin,
} from './authorization-token.js';
import { retry } from '../net/retry.js';

type AwsSdk = typeof import('./sdk.js');

export interface EcrAuthContext {
  sdk: Promise<AwsSdk>;
  /** Fetches one OIDC token (with its own transport; retried by the caller). */
  fetchIdToken: () => Promise<string>;
  setSecret: (value: string) => void;
  onRetry: (line: string) => void;
  onFailure: (error: unknown, what?: string) => void;
  info: (line: string) => void;
  debug: (line: string) => void;
  deadline: number;
  signal: AbortSignal;
  /** Per-request timeout; the deadline bounds the whole phase. */
  requestTimeoutMs: number;
  agents?: { http: import('node:http').Agent; https: import('node:https').Agent };
  env: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
}

const stsRegion = (env: EcrAuthContext['env']): string =>
  env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';

export async function getEcrPublicLogin(
  settings: Settings,
  ctx: EcrAuthContext,
): Promise<RegistryLogin & { via: string }> {
  // One handler (timeouts, proxy-aware agents) for the STS and ECR Public clients.
  const requestHandler = ctx.sdk.then(
    (sdk) =>
      new sdk.NodeHttpHandler({
        connectionTimeout: Math.min(ctx.requestTimeoutMs, 5000),
        requestTimeout: ctx.requestTimeoutMs,
        httpAgent: ctx.agents?.http,
        httpsAgent: ctx.agents?.https,
      }),
  );
  requestHandler.catch(() => undefined); // awaited below; a path that fails first must not crash on it
  const retryOptions = {
    maxAttempts: settings.retryMaxAttempts,
    deadline: ctx.deadline,
    isRetryable,
    onRetry: ctx.onRetry,
    onFailure: ctx.onFailure,
    sleep: ctx.sleep,
  };

  let credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  let via: string;
  if (settings.roleToAssume) {
    const region = stsRegion(ctx.env);
    const assumed = await assumeRoleWithIdToken(
      {
        roleArn: settings.roleToAssume,
        roleSessionName: settings.roleSessionName,
        durationSeconds: settings.roleDurationSeconds,
      },
      {
        ...retryOptions,
        fetchIdToken: ctx.fetchIdToken,
        setSecret: ctx.setSecret,
        assumeRole: async (params) =>
          (await ctx.sdk).fromWebToken({
            ...params,
            clientConfig: { region, maxAttempts: 1, requestHandler: await requestHandler },
          })(),
      },
    );
    ctx.info(
      `Assumed ${settings.roleToAssume} as ${assumed.claims.sub ?? 'this job'} (STS in ${region}).`,
    );
    const { sub, aud, repository, ref } = assumed.claims;
    ctx.debug(
      `OIDC token claims: ${JSON.stringify({ sub, aud, repository, ref })}; AWS session expires ${assumed.expiration?.toISOString() ?? '(not given)'}`,
    );
    credentials = assumed;
    via = `role ${settings.roleToAssume}`;
  } else {
    const sdk = await ctx.sdk;
    credentials = maskingProvider(
      sdk.fromNodeProviderChain(),
      ctx.setSecret,
    ) as () => Promise<AwsCredentials>;
    via = 'the AWS credentials in the environment';
  }

  const sdk = await ctx.sdk;
  const client = new sdk.ECRPUBLICClient({
    region: ECR_PUBLIC_REGION,
    credentials,
    maxAttempts: 1,
    requestHandler: await requestHandler,
  });
  try {
    const data = await retry(
      async () => {
        const { authorizationData } = await client.send(new sdk.GetAuthorizationTokenCommand({}), {
          abortSignal: ctx.signal,
        });
        // Mask before anything else touches it: the token and the password inside it.
        if (authorizationData?.authorizationToken)
          ctx.setSecret(authorizationData.authorizationToken);
        return authorizationData ?? {};
      },
      { ...retryOptions, what: 'ECR Public GetAuthorizationToken' },
    );
    const login = decodeAuthorizationToken(data);
    ctx.debug(
      `ECR Public token: user ${login.username}, expires ${login.expiresAt?.toISOString() ?? '(not given)'}`,
    );
    ctx.setSecret(login.password);
    return { ...login, via };
  } catch (error) {
    throw explainEcrError(error, via, ctx.env);
  } finally {
    client.destroy();
  }
}
