// The AWS calls of one login, one attempt each, whoever sends them: our own requests
// (direct-calls, when direct-rule says so) or the AWS SDK (sdk-calls). registry-password retries
// them within the deadline and explain-error words their failures, the same for both.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AuthorizationData } from './authorization-token.js';
import type { AwsCredentials, WebTokenParams } from './credentials.js';

/** Resolved credentials, or the SDK's default chain (resolved by the SDK at each call). */
export type Credentials = AwsCredentials | AwsCredentialIdentityProvider;

export interface AwsCalls {
  /** One STS AssumeRoleWithWebIdentity. */
  assumeRole(params: WebTokenParams): Promise<AwsCredentials>;
  /** One GetAuthorizationToken of the target's service; the token is masked when it arrives. */
  authorizationToken(
    credentials: Credentials,
    signal: AbortSignal,
  ): Promise<AuthorizationData | undefined>;
  /** The SDK's default credential chain (the SDK's calls only: there is no role to assume). */
  defaultChain?(): Promise<Credentials>;
  /** Frees what the calls opened. */
  close(): void;
}
