// Registry names the action knows. A module of its own so the post bundle can use them
// without loading input parsing (and the proxy code it pulls in).
export const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';
export const DOCKER_HUB = 'docker.io';

/**
 * Where Docker official images live on a registry this step logged in to (the `library-prefix`
 * output): `<prefix>/<image>:<tag>` pulls Docker Hub's `<image>:<tag>`. Empty for a registry with
 * no such mirror. Every feature that maps an image to the mirror goes through this one function.
 */
export function libraryPrefix(registry: string): string {
  if (registry === ECR_PUBLIC_REGISTRY) return `${ECR_PUBLIC_REGISTRY}/docker/library`;
  if (registry === DOCKER_HUB) return `${DOCKER_HUB}/library`;
  return '';
}
