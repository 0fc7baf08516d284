// Image references: distribution's reference grammar, and Docker's "familiar" normalisation.
// Hand-written (30 lines of regex): the npm port of the grammar (@swimlane/docker-reference)
// predates distribution's current one (no [IPv6] hosts, an empty '-' separator) and throws
// errors that cannot say which part is wrong.
import { DOCKER_HUB, DOCKER_HUB_ALIASES } from '../registry/names.js';

export interface ImageReference {
  /** Registry host[:port]; Docker Hub and its aliases are `docker.io`. */
  registry: string;
  /** Repository path; Docker Hub's one-component names get `library/`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH = `${NAME_COMPONENT}(?:/${NAME_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;
/** The algorithms go-digest registers by default, and their hex lengths (lower case only). */
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha512: 128 };
/** distribution refuses a whole reference of 64 hex digits: it reads as an image ID. */
const IMAGE_ID = /^[a-f0-9]{64}$/;

/** Why a reference is not valid; undefined when it is. */
export function referenceProblem(text: string): string | undefined {
  const m = REFERENCE.exec(text);
  if (!m) {
    if (REFERENCE.test(text.toLowerCase())) return 'a repository name must be lower-case';
    return 'not an image reference (expected [registry/]name[:tag][@sha256:digest])';
  }
  if (IMAGE_ID.test(text)) return 'a name of 64 hex digits is refused (it reads as an image ID)';
  // distribution counts the path only: `library/<name>` for a Docker Hub name without a slash.
  if (split(m[1]).repository.length > NAME_MAX) {
    return `the repository path is longer than ${NAME_MAX} characters`;
  }
  return m[3] === undefined ? undefined : digestProblem(m[3]);
}

/** Why a digest is not one go-digest accepts by default; undefined when it is. */
function digestProblem(digest: string): string | undefined {
  const [algorithm, hex] = [
    digest.slice(0, digest.indexOf(':')),
    digest.slice(digest.indexOf(':') + 1),
  ];
  const length = DIGEST_HEX[algorithm];
  if (length === undefined)
    return `the digest algorithm ${algorithm} is not supported (sha256, sha512)`;
  if (hex.length !== length || !/^[0-9a-f]*$/.test(hex)) {
    return `a ${algorithm} digest is ${length} lower-case hex digits`;
  }
  return undefined;
}

/** Parses and normalises a reference (as `docker pull` reads it); throws on an invalid one. */
export function parseReference(text: string): ImageReference {
  const problem = referenceProblem(text);
  if (problem) throw new Error(problem);
  const [, name, tag, digest] = REFERENCE.exec(text) as RegExpExecArray;
  return { ...split(name), tag, digest };
}

/** A name's registry and repository path, normalised as docker's splitDockerDomain does. */
function split(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const hasDomain =
    slash > 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const registry = hasDomain ? first.toLowerCase() : DOCKER_HUB;
  let repository = hasDomain ? name.slice(slash + 1) : name;
  if (DOCKER_HUB_ALIASES.has(registry) && !repository.includes('/'))
    repository = `library/${repository}`;
  return { registry: DOCKER_HUB_ALIASES.has(registry) ? DOCKER_HUB : registry, repository };
}

/** The name of a Docker official image (`library/<name>` on Docker Hub), else undefined. */
export function officialName(ref: ImageReference): string | undefined {
  if (ref.registry !== DOCKER_HUB) return undefined;
  const m = /^library\/([^/]+)$/.exec(ref.repository);
  return m?.[1];
}

/** `:tag` and/or `@digest`, as in the reference. */
export const referenceSuffix = (ref: ImageReference): string =>
  `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;

/** The fully qualified form, `docker.io/library/nginx:latest`; a reference with neither gets `latest`. */
export function qualified(ref: ImageReference): string {
  const suffix = ref.tag || ref.digest ? referenceSuffix(ref) : ':latest';
  return `${ref.registry}/${ref.repository}${suffix}`;
}

/** What to ask a registry's manifest endpoint for: the digest when there is one (it wins), else the tag. */
export const manifestReference = (ref: ImageReference): string => ref.digest ?? ref.tag ?? 'latest';
