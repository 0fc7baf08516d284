// Which registry stand-in served the manifests of a pull: their access logs, read and forgotten.
import type { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export function clearRequests(sb: Sandbox): void {
  sb.registries.ecrPublic.clearRequests();
  sb.registries.dockerHub.clearRequests();
}

/**
 * `repository status` of each manifest request each stand-in saw since the last look (401s are
 * only the auth challenge); `distinct` drops repeats (a client may ask twice).
 */
export function servedManifests(sb: Sandbox, distinct = false) {
  const pick = (name: 'ecrPublic' | 'dockerHub') => {
    const seen = sb.registries[name]
      .requests()
      .filter((r) => r.kind === 'manifests' && r.status !== 401)
      .map((r) => `${r.repository} ${r.status}`);
    return distinct ? [...new Set(seen)] : seen;
  };
  const seen = { ecr: pick('ecrPublic'), hub: pick('dockerHub') };
  clearRequests(sb);
  return seen;
}
