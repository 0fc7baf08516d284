// Classifies AWS and network failures (retry or not) and explains them in words a user can act on.
import { ActionError } from '../common/errors.js';
import { HttpError } from '../net/get-json.js';
import { isTransientNetworkError } from '../net/network-errors.js';
import { ProxyError } from '../net/proxy-env.js';
import type { TokenSource } from './token-source.js';
import type { IdTokenClaims } from '../net/oidc-token.js';

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_CODES = new Set([
  'Throttling',
  'TooManyRequests',
  'RequestLimitExceeded',
  'RequestThrottled',
  'IDPCommunicationError',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'Server',
  'RequestTimeout',
  'TimeoutError',
]);

/** The service's own error code (the SDK keeps it in `Code`; its class name may add `Exception`). */
const wireCode = (error: unknown): string => {
  const e = (error ?? {}) as SdkLikeError & { Code?: string };
  return e.Code || (e.name && e.name !== 'Error' ? e.name : (e.code ?? ''));
};
/** The code without an `Exception` suffix, for matching: `ExpiredTokenException` → `ExpiredToken`. */
const codeOf = (error: unknown): string => wireCode(error).replace(/(.)Exception$/, '$1');

/** Throttling, 5xx, connection trouble and STS's transient key-fetch failures; never AccessDenied or bad input. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ActionError) return false;
  if (error instanceof HttpError) return error.status === 429 || error.status >= 500;
  if (error instanceof ProxyError) return error.status === undefined || error.status >= 500;
  const e = (error ?? {}) as SdkLikeError;
  const code = codeOf(error);
  if (code === 'InvalidIdentityToken') return /retrieve verification key/i.test(e.message ?? '');
  if (RETRYABLE_CODES.has(code) || isTransientNetworkError(error)) return true;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500;
}

/** `repo:OWNER/REPO:*` for a sub of this repository, whatever its ref/environment/event part. */
export const repositoryPattern = (sub: string): string => {
  const m = /^(repo:[^:]+):/.exec(sub);
  return m ? `${m[1]}:*` : 'repo:OWNER/REPO:*';
};

const TRUST_FIX = (sub: string) =>
  `The role's trust policy must allow this token: Principal {"Federated": "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"}, Action sts:AssumeRoleWithWebIdentity, Condition StringEquals "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" and StringLike "token.actions.githubusercontent.com:sub": "${repositoryPattern(sub)}" (or the exact sub).`;

/** "Code: message" as the service sent it. */
const where = (error: unknown): string =>
  `${wireCode(error) || 'Error'}: ${(error as SdkLikeError)?.message ?? String(error)}`;

/** An ActionError for a failed AssumeRoleWithWebIdentity, keeping STS's code and message. */
export function explainStsError(
  error: unknown,
  roleArn: string,
  claims: IdTokenClaims,
): ActionError {
  if (error instanceof ActionError) return error;
  const code = codeOf(error);
  const message = (error as SdkLikeError)?.message ?? '';
  const sub = claims.sub ?? '';
  const base = `STS AssumeRoleWithWebIdentity failed for ${roleArn} (${where(error)}).`;
  switch (code) {
    case 'AccessDenied':
      return new ActionError(
        `${base} The token's sub claim is "${sub}".`,
        TRUST_FIX(sub) +
          (sub.includes('@')
            ? ' This repository uses the immutable sub form (OWNER@ID/REPO@ID): write the condition for that form.'
            : ''),
        { cause: error },
      );
    case 'InvalidIdentityToken':
      if (/audience/i.test(message)) {
        return new ActionError(
          `${base} The token's audience is "${[claims.aud].flat().join(',')}".`,
          "The IAM OIDC provider for token.actions.githubusercontent.com must list this audience as a client ID; the usual value is sts.amazonaws.com (the `audience` input's default).",
          { cause: error },
        );
      }
      if (/no openid ?connect provider/i.test(message)) {
        return new ActionError(
          base,
          "Create the IAM OIDC identity provider https://token.actions.githubusercontent.com with audience sts.amazonaws.com in the role's account (see the README).",
          { cause: error },
        );
      }
      return new ActionError(
        base,
        "Check the IAM OIDC identity provider for token.actions.githubusercontent.com in the role's account.",
        { cause: error },
      );
    case 'ExpiredToken':
      return new ActionError(
        base,
        "The job's OIDC token expired before STS saw it: check the runner's clock, or lower `timeout-seconds`/`retry-max-attempts` so retries do not outlive a token.",
        { cause: error },
      );
    case 'ValidationError':
      return new ActionError(
        base,
        /duration/i.test(message)
          ? "`role-duration-seconds` is longer than the role's maximum session duration: lower it, or raise the role's MaxSessionDuration."
          : 'Check `role-to-assume`, `role-session-name` and `role-duration-seconds`.',
        { cause: error },
      );
    case 'IDPRejectedClaim':
      return new ActionError(base, TRUST_FIX(sub), { cause: error });
    case 'ENOTFOUND':
      return unresolvedStsHost(error, base);
    default:
      return new ActionError(base, networkFix(error, 'STS'), { cause: error });
  }
}

/** STS's host does not resolve: almost always AWS_REGION naming no region (an AZ, a typo). */
function unresolvedStsHost(error: unknown, base: string): ActionError {
  const host = (error as { hostname?: string }).hostname ?? '';
  const region = /^sts\.([^.]+)\./.exec(host)?.[1];
  return new ActionError(
    `${base} The STS endpoint ${host || '(unknown host)'} does not resolve${region ? `: "${region}" (from AWS_REGION or AWS_DEFAULT_REGION) is not an AWS region` : ''}.`,
    "Set AWS_REGION to a region such as eu-west-1 (not an Availability Zone such as eu-west-1a), or unset it to use us-east-1; if the region is right, check the runner's DNS.",
    { cause: error },
  );
}

/** No credentials from the default chain; a named profile that does not exist is the usual cause. */
function noCredentials(error: unknown, env: Record<string, string | undefined>): ActionError {
  const profile = env.AWS_PROFILE;
  if (profile) {
    return new ActionError(
      `No AWS credentials were found for AWS_PROFILE "${profile}" (${where(error)}).`,
      `Define the profile "${profile}" in the AWS config or credentials file (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) before this step, unset AWS_PROFILE, or set \`role-to-assume\`.`,
      { cause: error },
    );
  }
  return new ActionError(
    `No AWS credentials were found (${where(error)}).`,
    "Set `role-to-assume` to use the job's OIDC token, or provide AWS credentials before this step.",
    { cause: error },
  );
}

/** An ActionError for a failed GetAuthorizationToken; the source says what its target needs. */
export function explainEcrError(
  error: unknown,
  credentialsFrom: string,
  env: Record<string, string | undefined>,
  source: TokenSource,
): ActionError {
  if (error instanceof ActionError) return error;
  const code = codeOf(error);
  const base = `${source.service} GetAuthorizationToken failed with ${credentialsFrom} (${where(error)}).`;
  const fix = (text: string) => new ActionError(base, text, { cause: error });
  if (code === 'CredentialsProviderError') return noCredentials(error, env);
  if (code === 'AccessDenied') return fix(source.accessFix);
  if (REJECTED_CREDENTIALS.includes(code)) {
    const rejected =
      'the AWS credentials were rejected: check that they are current and complete (access key, secret key and session token).';
    return fix(
      source.rejectedFix
        ? source.rejectedFix + rejected
        : rejected[0].toUpperCase() + rejected.slice(1),
    );
  }
  if (source.unresolvedFix && (error as SdkLikeError)?.code === 'ENOTFOUND') {
    return fix(source.unresolvedFix);
  }
  return fix(networkFix(error, source.service));
}

const REJECTED_CREDENTIALS = [
  'UnrecognizedClient',
  'InvalidSignature',
  'ExpiredToken',
  'InvalidClientTokenId',
];

function networkFix(error: unknown, service: string): string {
  if (error instanceof ProxyError) {
    return 'Check the proxy (HTTPS_PROXY / HTTP_PROXY, or the `http-proxy` input) and NO_PROXY.';
  }
  if (isRetryable(error)) {
    return `${service} looks unavailable or slow from this runner; it was retried. Check its status, the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY, \`http-proxy\`).`;
  }
  return `See the ${service} error above; the README's troubleshooting section lists the common causes.`;
}
