// Registry names the action knows. A module of its own so the post bundle can use them
// without loading input parsing (and the proxy code it pulls in).
export const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';
export const DOCKER_HUB = 'docker.io';
