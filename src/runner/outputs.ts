// The step's outputs, computed from what was logged in.
import { DOCKER_HUB, ECR_PUBLIC_REGISTRY } from '../docker/registries.js';
import type { OutputName } from './action-inputs.js';

/** One value for every output of action.yml. */
export type Outputs = Record<OutputName, string>;

/** Where Docker official images live on a registry, when it mirrors them. */
export function libraryPrefix(registry: string): string {
  if (registry === ECR_PUBLIC_REGISTRY) return `${ECR_PUBLIC_REGISTRY}/docker/library`;
  if (registry === DOCKER_HUB) return `${DOCKER_HUB}/library`;
  return '';
}

export function computeOutputs(r: {
  loggedIn: string[];
  ecrExpiresAt?: Date;
  fallbackUsed: boolean;
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
  };
}
