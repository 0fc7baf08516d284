// The AWS SDK pieces the action uses, in one module that main loads lazily: the SDK is the
// largest part of the bundle, so it loads while the OIDC token request is in flight.
// Each piece comes from its own package (not @aws-sdk/credential-providers, whose index
// drags in Cognito, SSO and the rest).
export { ECRPUBLICClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
export { fromWebToken } from '@aws-sdk/credential-provider-web-identity';
export { defaultProvider as fromNodeProviderChain } from '@aws-sdk/credential-provider-node';
export { TimedHttpHandler as NodeHttpHandler } from './request-handler.js';
