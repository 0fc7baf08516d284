// A registry logged in to with a username and a token from the inputs (`fallback-registry`,
// `fallback-username`, `fallback-token`): Docker Hub with an organization access token, or any
// registry with a robot account. Official images live where `fallback-library-prefix` says,
// or at Docker Hub's own `docker.io/library`.
import { show } from '../common/text.js';
import {
  DOCKER_HUB,
  ECR_PUBLIC_REGISTRY,
  libraryPrefix,
  libraryPrefixProblem,
  normalizeRegistry,
} from '../registry/names.js';
import type { InputReader } from '../runner/input-reader.js';
import type { LoginTarget } from './target.js';

export function registryTokenTarget(
  host: string,
  username: string,
  token: string,
  prefix: string,
): LoginTarget {
  return {
    kind: 'registry-token',
    host,
    label: host === DOCKER_HUB ? 'Docker Hub' : host,
    libraryPrefix: libraryPrefix(host) || prefix,
    usesAws: false,
    credential: async () => ({ username, password: token, via: 'the fallback credentials' }),
    refusedFix:
      'Check `fallback-username` (for a Docker Hub organization access token: the organization name) and `fallback-token`.',
  };
}

/** The fallback's registry and library prefix; problems go to the reader. */
export function parseFallbackRegistry(inputs: InputReader): { host?: string; prefix: string } {
  const raw = inputs.read('fallback-registry');
  const host = normalizeRegistry(raw);
  if (!host) {
    inputs.problems.push(
      `'fallback-registry' must be a registry host such as docker.io: got ${show(raw)}`,
    );
  } else if (host === ECR_PUBLIC_REGISTRY) {
    inputs.problems.push(
      `'fallback-registry' cannot be ${ECR_PUBLIC_REGISTRY}: it is the registry the fallback stands in for`,
    );
  }
  const prefix = inputs.read('fallback-library-prefix').replace(/\/+$/, '');
  const problem = prefix && libraryPrefixProblem(prefix);
  if (problem) inputs.problems.push(`'fallback-library-prefix' ${problem}`);
  return { host, prefix };
}

/** `fallback-username` + `fallback-token`; undefined (with a note) when the token is missing. */
export function parseRegistryToken(inputs: InputReader): LoginTarget | undefined {
  const { host, prefix } = parseFallbackRegistry(inputs);
  const username = inputs.read('fallback-username');
  const token = inputs.read('fallback-token');
  if (token && !username) {
    inputs.problems.push(
      `'fallback-token' is set but 'fallback-username' is empty; for a Docker Hub organization access token the username is the organization name`,
    );
  }
  if (username && !token) {
    inputs.notes.push(
      `'fallback-username' is set but 'fallback-token' is empty, so there is no fallback (secrets are not passed to workflows run from forks).`,
    );
  }
  if (!(token && username && host)) return undefined;
  if (prefix && host === DOCKER_HUB) inputs.notes.push(ignoredPrefix(prefix));
  return registryTokenTarget(host, username, token, prefix);
}

/** Docker Hub keeps its own official images: a prefix elsewhere would be a mistake to use. */
const ignoredPrefix = (prefix: string) =>
  `'fallback-library-prefix' (${prefix}) is ignored: 'fallback-registry' is Docker Hub, where official images are docker.io/library. Set 'fallback-registry' to the registry that prefix is on, or remove 'fallback-library-prefix'.`;
