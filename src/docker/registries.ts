// Registry names the action knows. A module of its own so the post bundle can use them
// without loading input parsing (and the proxy code it pulls in).
export const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';
export const DOCKER_HUB = 'docker.io';

/** Where an ECR pull-through cache rule puts its upstream's repositories. */
export interface PullThroughCache {
  /** The rule's repository prefix (`ecr-public`): repositories live under `<host>/<namespace>/`. */
  namespace: string;
  /** The rule's upstream: ECR Public keeps official images at `docker/library`, Docker Hub at `library`. */
  upstream: 'ecr-public' | 'docker-hub';
}

/** A registry this step logs in to: its host, and for an ECR private registry its cache rule. */
export interface LoggedInRegistry {
  host: string;
  cache?: PullThroughCache;
}

/**
 * Where Docker official images live on a registry this step logged in to (the `library-prefix`
 * output): `<prefix>/<image>:<tag>` pulls Docker Hub's `<image>:<tag>`. Empty for a registry with
 * no such mirror. Every feature that maps an image to the mirror goes through this one function.
 */
export function libraryPrefix(registry: string | LoggedInRegistry): string {
  const { host, cache } = typeof registry === 'string' ? { host: registry } : registry;
  if (cache) {
    return `${host}/${cache.namespace}/${cache.upstream === 'docker-hub' ? 'library' : 'docker/library'}`;
  }
  if (host === ECR_PUBLIC_REGISTRY) return `${ECR_PUBLIC_REGISTRY}/docker/library`;
  if (host === DOCKER_HUB) return `${DOCKER_HUB}/library`;
  return '';
}
