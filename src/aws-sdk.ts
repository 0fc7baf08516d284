// The AWS SDK pieces the action uses, in one module that main loads lazily: the SDK is the
// largest part of the bundle, so it loads while the OIDC token request is in flight.
export { ECRPUBLICClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
export { fromWebToken } from '@aws-sdk/credential-providers';
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
export { NodeHttpHandler } from '@smithy/node-http-handler';
