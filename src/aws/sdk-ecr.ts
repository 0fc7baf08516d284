// ECR (private registries) GetAuthorizationToken, in a chunk of its own that sdk.ts loads only
// for a pull-through cache target: the ECR Public path never loads or compiles it.
export { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
