// Which requests the mirror answers, and where each goes upstream. The daemon asks a mirror for
// Docker Hub paths (/v2/library/<name>/...); the logged-in registry keeps the same images under
// its library prefix (public.ecr.aws/docker/library/<name>).
import { splitPrefix } from '../registry/names.js';

export interface Upstream {
  /** `https://public.ecr.aws` */
  origin: string;
  /** The repository path official images live under there: `docker/library`. */
  library: string;
}

export type Route =
  | { kind: 'ping' }
  | { kind: 'forward'; repository: string; path: string }
  | { kind: 'refuse'; status: 404 | 405; code: string; message: string };

// Grammar of the distribution spec: one path component, a tag, a digest.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

/** A registry's library prefix (`host[:port]/path`, the `library-prefix` output) as an upstream. */
export function upstreamOf(libraryPrefix: string): Upstream | undefined {
  const { host, path } = splitPrefix(libraryPrefix);
  return host && path ? { origin: `https://${host}`, library: path } : undefined;
}

const notFound = (message: string): Route => ({
  kind: 'refuse',
  status: 404,
  code: 'NAME_UNKNOWN',
  message,
});

/** The route for one request line; `rawPath` is the request target as sent (query ignored). */
export function route(method: string | undefined, rawPath: string, up: Upstream): Route {
  if (method !== 'GET' && method !== 'HEAD') {
    return { kind: 'refuse', status: 405, code: 'UNSUPPORTED', message: 'this mirror only pulls' };
  }
  const path = rawPath.split('?')[0];
  if (path === '/v2/' || path === '/v2') return { kind: 'ping' };
  // Split before decoding, so an encoded slash cannot smuggle in another repository.
  const parts = path.split('/');
  if (parts.length !== 6 || parts[0] !== '' || parts[1] !== 'v2') return notFound('not a pull');
  const [, , namespace, name, kind, reference] = parts;
  if (namespace !== 'library' || !COMPONENT.test(name)) {
    return notFound('only Docker official images (library/<name>) are mirrored');
  }
  const valid =
    kind === 'manifests'
      ? TAG.test(reference) || DIGEST.test(reference)
      : kind === 'blobs' && DIGEST.test(reference);
  if (!valid) return notFound('not a manifest or blob of an official image');
  const repository = `${up.library}/${name}`;
  return { kind: 'forward', repository, path: `/v2/${repository}/${kind}/${reference}` };
}
