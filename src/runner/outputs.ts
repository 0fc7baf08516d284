// The step's outputs, computed from what was logged in.
import { libraryPrefix, type LoggedInRegistry } from '../docker/registries.js';
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
}): Outputs {
  const targetIn = r.loggedIn.includes(r.target.host);
  const registry = targetIn ? r.target.host : (r.loggedIn[0] ?? '');
  return {
    registry,
    'library-prefix': targetIn ? libraryPrefix(r.target) : registry ? libraryPrefix(registry) : '',
    'fallback-used': String(r.fallbackUsed),
    registries: r.loggedIn.join(','),
    'expires-at': targetIn ? (r.ecrExpiresAt?.toISOString() ?? '') : '',
    'docker-mirror': r.dockerMirror ?? '',
  };
}
