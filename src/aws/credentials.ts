// Short-lived AWS credentials: the job's OIDC token exchanged with STS, or the SDK's default chain.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { explainStsError, isRetryable } from './explain-error.js';
import { decodeClaims, explainOidcError, type IdTokenClaims } from '../net/oidc-token.js';
import { retry } from '../net/retry.js';

export type AwsCredentials = AwsCredentialIdentity;

export interface WebTokenParams {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds: number;
}

export interface AssumeRoleDeps {
  /** One fresh OIDC token per call: a retried STS call must not reuse an old one. */
  fetchIdToken: () => Promise<string>;
  /** One AssumeRoleWithWebIdentity call (the SDK's fromWebToken with retries off). */
  assumeRole: (params: WebTokenParams) => Promise<AwsCredentials>;
  setSecret: (value: string) => void;
  onRetry: (line: string) => void;
  onFailure?: (error: unknown, what: string) => void;
  maxAttempts: number;
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
}

export function maskCredentials(
  c: AwsCredentials,
  setSecret: (value: string) => void,
): AwsCredentials {
  setSecret(c.accessKeyId);
  setSecret(c.secretAccessKey);
  if (c.sessionToken) setSecret(c.sessionToken);
  return c;
}

/** OIDC token → STS AssumeRoleWithWebIdentity, retried as one unit with a fresh token each time. */
export async function assumeRoleWithIdToken(
  role: Omit<WebTokenParams, 'webIdentityToken'>,
  deps: AssumeRoleDeps,
): Promise<AwsCredentials & { claims: IdTokenClaims }> {
  let claims: IdTokenClaims = {};
  // Which half failed last, so the final error blames GitHub's token service or STS correctly.
  let stage: 'oidc' | 'sts' = 'oidc';
  return retry(
    async () => {
      stage = 'oidc';
      const token = await deps.fetchIdToken();
      deps.setSecret(token);
      claims = decodeClaims(token);
      stage = 'sts';
      const credentials = await deps.assumeRole({ ...role, webIdentityToken: token });
      return { ...maskCredentials(credentials, deps.setSecret), claims };
    },
    {
      what: 'Getting AWS credentials (GitHub OIDC token, then STS AssumeRoleWithWebIdentity)',
      maxAttempts: deps.maxAttempts,
      deadline: deps.deadline,
      isRetryable,
      onRetry: deps.onRetry,
      // Name the half that failed, so a deadline error says which call hung.
      onFailure: (error) =>
        deps.onFailure?.(
          error,
          stage === 'oidc' ? 'GitHub OIDC token request' : 'STS AssumeRoleWithWebIdentity',
        ),
      sleep: deps.sleep,
    },
  ).catch((error) => {
    throw stage === 'oidc' ? explainOidcError(error) : explainStsError(error, role.roleArn, claims);
  });
}

/** Wraps a provider so whatever it resolves is masked before anything can log it. */
export function maskingProvider(
  provider: AwsCredentialIdentityProvider,
  setSecret: (value: string) => void,
): AwsCredentialIdentityProvider {
  return async (options) => maskCredentials(await provider(options), setSecret);
}
