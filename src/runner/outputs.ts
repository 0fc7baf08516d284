// The step's outputs, computed from what was logged in.
import { ECR_PUBLIC_REGISTRY, libraryPrefix } from '../docker/registries.js';
import { buildkitdConfig } from '../images/buildkit.js';
import type { OutputName } from './action-inputs.js';

/** One value for every output of action.yml. */
export type Outputs = Record<OutputName, string>;

export function computeOutputs(r: {
  loggedIn: string[];
  ecrExpiresAt?: Date;
  fallbackUsed: boolean;
  /** `fallback-library-prefix`: the prefix when the fallback registry is not Docker Hub. */
  fallbackLibraryPrefix?: string;
}): Outputs {
  const registry = r.loggedIn.includes(ECR_PUBLIC_REGISTRY)
    ? ECR_PUBLIC_REGISTRY
    : (r.loggedIn[0] ?? '');
  const prefix = registry ? libraryPrefix(registry) || (r.fallbackLibraryPrefix ?? '') : '';
  return {
    registry,
    'library-prefix': prefix,
    'fallback-used': String(r.fallbackUsed),
    registries: r.loggedIn.join(','),
    'expires-at': r.loggedIn.includes(ECR_PUBLIC_REGISTRY)
      ? (r.ecrExpiresAt?.toISOString() ?? '')
      : '',
    // Filled in by the image resolution when `images` or `rewrite` is set.
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': buildkitdConfig(prefix),
  };
}
