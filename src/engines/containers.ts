// podman, buildah and skopeo (containers/image): a mirror for docker.io/library in a drop-in of
// the user's registries.conf.d, named for this step of this job. Never the user-level
// registries.conf itself: it would hide the system file and its short-name aliases
// (docs/engines.md). No reload: every command reads the files afresh.
import { ENGINE_STATE_KEYS } from './state-keys.js';
import { join } from 'node:path';
import { ActionError } from '../common/errors.js';
import { configDir, readConfig } from '../docker/config-file.js';
import { ECR_PUBLIC_REGISTRY, splitPrefix } from '../registry/names.js';
import type { EngineDeps, EngineRow, MirrorSource } from './engine.js';
import { makeDirs, readBytes, removeEmptyDirs, sha256, writeWhole } from './files.js';
import { jobOfStepId } from './job.js';

export const CONTAINERS_STATE_KEY = ENGINE_STATE_KEYS.containers;
const NAME = /^zz-ecr-public-login-(.+)\.conf$/;

interface ContainersRecord {
  file: string;
  sha256: string;
  createdDirs: string[];
}

/** The user-level drop-in folder containers/image reads after the system one. */
export const dropInDir = (home: string): string =>
  join(home, '.config/containers/registries.conf.d');

/** `zz-`: read last, so our entry for docker.io/library wins over an earlier drop-in's. */
const dropInName = (stepId: string): string => `zz-ecr-public-login-${stepId}.conf`;

export function dropInText(prefix: string, stepId: string): string {
  return [
    `# ecr-public-login, step ${stepId}: Docker official images through ${prefix}.`,
    '# The step removes this file after the job (or the next run does, once the job is gone).',
    '[[registry]]',
    'prefix = "docker.io/library"',
    'location = "docker.io/library"',
    '',
    '[[registry.mirror]]',
    `location = ${JSON.stringify(prefix)}`,
    '',
  ].join('\n');
}

/** Removes drop-ins of jobs that are gone (killed before their post step); returns them. */
export function sweepDropIns(deps: EngineDeps): string[] {
  const dir = dropInDir(deps.home);
  if (!deps.fs.existsSync(dir)) return [];
  const gone = deps.fs.readdirSync(dir).filter((name) => {
    const job = jobOfStepId(NAME.exec(name)?.[1] ?? '');
    return job !== undefined && !deps.isJobAlive(job);
  });
  for (const name of gone) deps.fs.unlinkSync(join(dir, name));
  return gone.map((name) => join(dir, name));
}

/** Where podman, buildah and skopeo will find the mirror's credential, or why they will not. */
export function credentialNote(source: MirrorSource, deps: EngineDeps): string {
  const { host } = splitPrefix(source.prefix);
  const dir = configDir(deps.env);
  const config = readConfig(dir);
  if (config.auths?.[host]?.auth) return `credentials from ${join(dir, 'config.json')}`;
  if (config.credHelpers?.[host])
    return `credentials from docker-credential-${config.credHelpers[host]}`;
  const why = config.credsStore
    ? `docker keeps the ${host} login in credsStore "${config.credsStore}", which they do not read`
    : `${join(dir, 'config.json')} holds no ${host} login`;
  if (host === ECR_PUBLIC_REGISTRY) return `anonymous pulls (${why})`;
  throw new ActionError(
    `podman, buildah and skopeo would find no credential for ${host} (${why}), so the mirror would refuse them and they would pull from Docker Hub.`,
    'Use `docker-config: isolated` (an inline login they read), or pull `${{ steps.<id>.outputs.library-prefix }}/<image>` after `podman login`.',
  );
}

async function setUp(source: MirrorSource, deps: EngineDeps): Promise<string> {
  const note = credentialNote(source, deps);
  const swept = sweepDropIns(deps);
  if (swept.length)
    deps.runtime.info(`Removed drop-ins of jobs that are gone: ${swept.join(', ')}.`);
  const dir = dropInDir(deps.home);
  const file = join(dir, dropInName(deps.stepId));
  const text = dropInText(source.prefix, deps.stepId);
  const createdDirs = makeDirs(deps.fs, dir);
  const record: ContainersRecord = { file, sha256: sha256(text), createdDirs };
  deps.runtime.saveState(CONTAINERS_STATE_KEY, JSON.stringify(record)); // before the write
  writeWhole(deps.fs, file, text, 0o644);
  deps.runtime.info(
    `mirror containers: podman, buildah and skopeo pull docker.io/library images from ${source.prefix} (${file}; ${note}).`,
  );
  return file;
}

function parseRecord(raw: string): ContainersRecord | undefined {
  try {
    const r = JSON.parse(raw) as Partial<ContainersRecord>;
    const ok = typeof r.file === 'string' && typeof r.sha256 === 'string';
    return ok ? { ...(r as ContainersRecord), createdDirs: r.createdDirs ?? [] } : undefined;
  } catch {
    return undefined;
  }
}

async function undo(deps: EngineDeps): Promise<string[]> {
  const record = parseRecord(deps.runtime.getState(CONTAINERS_STATE_KEY));
  if (!record) return [];
  const bytes = readBytes(deps.fs, record.file);
  const changed = bytes !== undefined && sha256(bytes) !== record.sha256;
  if (bytes !== undefined && !changed) deps.fs.unlinkSync(record.file);
  const dirs = removeEmptyDirs(deps.fs, record.createdDirs);
  const what = !bytes
    ? `${record.file} was already gone`
    : changed
      ? `left ${record.file} in place: it was changed during the job`
      : `removed ${record.file}`;
  return [
    `mirror containers: ${what}${dirs.length ? ` and the folders it needed (${dirs.join(', ')})` : ''}.`,
  ];
}

export const containersRow: EngineRow = {
  name: 'containers',
  inAuto: true,
  present: (deps) => ['podman', 'buildah', 'skopeo'].some((c) => deps.onPath(c)),
  setUp,
  undo,
};
