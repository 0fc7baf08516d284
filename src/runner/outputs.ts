// The step's outputs, computed from what was logged in.
import { libraryPrefix, type LoggedInRegistry } from '../docker/registries.js';
import { buildkitdConfig } from '../images/buildkit.js';
import type { OutputName } from './action-inputs.js';

/** One value for every output of action.yml. */
export type Outputs = Record<OutputName, string>;

export function computeOutputs(r: {
  /** The registry logged in to with AWS (the `registry` input). */
  target: LoggedInRegistry;
  loggedIn: string[];
  ecrExpiresAt?: Date;
  fallbackUsed: boolean;
  /** The job-scoped mirror's URL when docker-mirror is active. */
  dockerMirror?: string;
  /** `fallback-library-prefix`: the prefix when the fallback registry is not Docker Hub. */
  fallbackLibraryPrefix?: string;
}): Outputs {
  const targetIn = r.loggedIn.includes(r.target.host);
  const registry = targetIn ? r.target.host : (r.loggedIn[0] ?? '');
  const prefix = targetIn
    ? libraryPrefix(r.target)
    : registry
      ? libraryPrefix(registry) || (r.fallbackLibraryPrefix ?? '')
      : '';
  return {
    registry,
    'library-prefix': prefix,
    'fallback-used': String(r.fallbackUsed),
    registries: r.loggedIn.join(','),
    'expires-at': targetIn ? (r.ecrExpiresAt?.toISOString() ?? '') : '',
    'docker-mirror': r.dockerMirror ?? '',
    // Filled in by the image resolution when `images` or `rewrite` is set.
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': buildkitdConfig(prefix),
  };
}
