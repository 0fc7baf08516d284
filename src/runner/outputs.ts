// The step's outputs, computed from what was logged in.
import { ECR_PUBLIC_REGISTRY, libraryPrefix } from '../docker/registries.js';
import type { OutputName } from './action-inputs.js';

/** One value for every output of action.yml. */
export type Outputs = Record<OutputName, string>;

export function computeOutputs(r: {
  loggedIn: string[];
  ecrExpiresAt?: Date;
  fallbackUsed: boolean;
  /** The job-scoped mirror's URL when docker-mirror is active. */
  dockerMirror?: string;
}): Outputs {
  const registry = r.loggedIn.includes(ECR_PUBLIC_REGISTRY)
    ? ECR_PUBLIC_REGISTRY
    : (r.loggedIn[0] ?? '');
  return {
    registry,
    'library-prefix': registry ? libraryPrefix(registry) : '',
    'fallback-used': String(r.fallbackUsed),
    registries: r.loggedIn.join(','),
    'expires-at': r.loggedIn.includes(ECR_PUBLIC_REGISTRY)
      ? (r.ecrExpiresAt?.toISOString() ?? '')
      : '',
    'docker-mirror': r.dockerMirror ?? '',
  };
}
