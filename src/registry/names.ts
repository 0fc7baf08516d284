// Registry names the action knows. A module of its own so the post bundle can use them
// without loading input parsing (and the proxy code it pulls in).
export const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';
export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's registry API answers (`docker.io` is only a name). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** Names that all mean Docker Hub; references and inputs collapse them to `docker.io`. */
export const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([
  DOCKER_HUB,
  'index.docker.io',
  DOCKER_HUB_API_HOST,
  'registry.hub.docker.com',
]);

/** The one name of a registry host: Docker Hub's aliases become `docker.io`. */
export const canonicalHost = (host: string): string =>
  DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;

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

/** `host/path` of a library prefix, split at its first slash (`public.ecr.aws` + `docker/library`). */
export function splitPrefix(prefix: string): { host: string; path: string } {
  const slash = prefix.indexOf('/');
  return slash < 0
    ? { host: prefix, path: '' }
    : { host: prefix.slice(0, slash), path: prefix.slice(slash + 1).replace(/\/+$/, '') };
}

/** `host[:port]`, lower-cased, scheme and path removed; Docker Hub aliases collapse to docker.io. */
export function normalizeRegistry(value: string): string | undefined {
  const host = value
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/(v1|v2)?\/?$/, '');
  const name = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
  if (!name.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host)) return undefined;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port && !(Number(port) >= 1 && Number(port) <= 65535)) return undefined;
  return canonicalHost(host);
}

const LIBRARY_PREFIX =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;

/** Why a library prefix (`host[:port]/path`) is not one; undefined when it is. A trailing `/` is the caller's to drop. */
export function libraryPrefixProblem(prefix: string): string | undefined {
  if (LIBRARY_PREFIX.test(prefix)) return undefined;
  const shown = JSON.stringify(prefix.length > 80 ? `${prefix.slice(0, 80)}…` : prefix);
  return `must be a registry host and path such as harbor.example.com/dockerhub/library: got ${shown}`;
}
