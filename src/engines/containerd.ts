// containerd (nerdctl, ctr --hosts-dir, the CRI plugin when its config_path names the folder):
// docker.io/hosts.toml in the hosts directory, pointing at the library prefix with the path
// override a mirror with a path needs (docs/engines.md). Root's file: edited as root, with a
// ledger so two jobs share it and the last one out puts the original bytes back.
//
// Credentials: none written. containerd has no credential file (ctr takes --user for every
// host, Docker Hub included); the only way to give it one is a static Authorization header in
// this file: a live token in /etc that outlives a killed job, expires under long jobs, and on
// the stand-in covers one repository per token. So the mirror is used anonymously, which
// public.ecr.aws serves (at its anonymous rate); any other registry is declined with a warning,
// since its mirror would refuse every pull and containerd would fall back to Docker Hub unseen.
import { ENGINE_STATE_KEYS } from './state-keys.js';
import { join } from 'node:path';
import { ActionError } from '../common/errors.js';
import { ECR_PUBLIC_REGISTRY, splitPrefix } from '../registry/names.js';
import type { EngineDeps, EngineRow, MirrorSource } from './engine.js';
import { jobOfStepId } from './job.js';
import type { HostsEditResult, HostsOwner } from './hosts-edit.js';

export const CONTAINERD_STATE_KEY = ENGINE_STATE_KEYS.containerd;
export const DEFAULT_HOSTS_DIR = '/etc/containerd/certs.d';

/** The mirror as containerd asks it: `https://host/v2/<path without /library>` (names carry `library/`). */
export function mirrorUrl(prefix: string): string | undefined {
  const { host, path } = splitPrefix(prefix);
  if (!path.endsWith('library')) return undefined;
  const rest = path.replace(/\/?library$/, '');
  return `https://${host}/v2${rest ? `/${rest}` : ''}`;
}

export function hostsToml(url: string): string {
  return [
    '# ecr-public-login: Docker official images through the logged-in registry for the jobs in',
    '# hosts.toml.ecr-public-login.json; the last job out puts back what was here.',
    'server = "https://registry-1.docker.io"',
    '',
    `[host.${JSON.stringify(url)}]`,
    '  capabilities = ["pull", "resolve"]',
    '  override_path = true',
    '',
  ].join('\n');
}

const fileOf = (deps: EngineDeps): string => join(deps.hostsDir, 'docker.io', 'hosts.toml');
const ownerOf = (deps: EngineDeps): HostsOwner => ({
  id: deps.stepId,
  job: jobOfStepId(deps.stepId),
});

function urlFor(prefix: string): string {
  const url = mirrorUrl(prefix);
  const { host } = splitPrefix(prefix);
  if (url && host === ECR_PUBLIC_REGISTRY) return url;
  throw new ActionError(
    `containerd would pull from ${prefix} without a credential (this step writes none into ${DEFAULT_HOSTS_DIR}: containerd can only hold one there, as a static header), and ${host} refuses anonymous pulls.`,
    'Pull `${{ steps.<id>.outputs.library-prefix }}/<image>` with nerdctl instead (it reads the docker login), or log in to public.ecr.aws.',
  );
}

async function setUp(source: MirrorSource, deps: EngineDeps): Promise<string> {
  const url = urlFor(source.prefix);
  const file = fileOf(deps);
  // Before the edit: post removes our entry whatever happens next.
  deps.runtime.saveState(CONTAINERD_STATE_KEY, JSON.stringify({ file, owner: ownerOf(deps) }));
  const result = await deps.hostsEdit({
    op: 'add',
    file,
    text: hostsToml(url),
    owner: ownerOf(deps),
  });
  if (result.pruned.length)
    deps.runtime.info(`mirror containerd: forgot jobs that are gone: ${result.pruned.join(', ')}.`);
  deps.runtime.info(
    `mirror containerd: nerdctl (and ctr --hosts-dir ${deps.hostsDir}) pull docker.io/library images from ${url} (${file}; anonymous pulls).`,
  );
  return file;
}

const RESTORED: Record<NonNullable<HostsEditResult['restored']>, (file: string) => string> = {
  exact: (file) => `${file} put back as it was`,
  shared: (file) => `left ${file} to the other jobs still using it (the last one puts it back)`,
  changed: (file) => `left ${file} as it is: it was rewritten during the job`,
  absent: (file) => `${file} no longer had this job's entry`,
};

async function undo(deps: EngineDeps): Promise<string[]> {
  let record: { file?: unknown; owner?: HostsOwner };
  try {
    record = JSON.parse(deps.runtime.getState(CONTAINERD_STATE_KEY) || 'null') ?? {};
  } catch {
    return [];
  }
  if (typeof record.file !== 'string' || !record.owner) return [];
  const result = await deps.hostsEdit({ op: 'remove', file: record.file, owner: record.owner });
  return [`mirror containerd: ${RESTORED[result.restored ?? 'absent'](record.file)}.`];
}

export const containerdRow: EngineRow = {
  name: 'containerd',
  inAuto: true,
  present: (deps) =>
    ['nerdctl', 'ctr', 'containerd'].some((c) => deps.onPath(c)) ||
    deps.fs.existsSync(deps.hostsDir),
  setUp,
  undo,
};
