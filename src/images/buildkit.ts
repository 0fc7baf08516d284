// BuildKit's registry mirror for docker.io, from the logged-in registry's library prefix:
// `public.ecr.aws/docker/library` serves `docker.io/library/*`, so the mirror is
// `public.ecr.aws/docker` (BuildKit ≥ 0.12 accepts a mirror with a path).
import { DOCKER_HUB } from '../registry/names.js';

/** TOML for setup-buildx-action's `buildkitd-config-inline`; '' when there is no mirror. */
export function buildkitdConfig(libraryPrefix: string): string {
  const mirror = libraryPrefix.replace(/\/library$/, '');
  if (!libraryPrefix || mirror === libraryPrefix || mirror === DOCKER_HUB) return '';
  return `[registry."docker.io"]\n  mirrors = [${JSON.stringify(mirror)}]\n`;
}
