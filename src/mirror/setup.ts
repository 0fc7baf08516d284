// Main's side of docker-mirror: start the mirror, add it to the daemon's registry-mirrors, reload
// the daemon and see it listed. Any failure is a warning that leaves nothing half-changed.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { configDir, readConfig } from '../docker/config-file.js';
import { daemonSocket } from '../docker/daemon.js';
import { libraryPrefix, type LoggedInRegistry } from '../registry/names.js';
import { ActionError, describeError } from '../common/errors.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { Runtime } from '../runner/runtime.js';
import { MIRROR_STATE_KEY, type MirrorRecord } from './record.js';
import { findDaemon, processStart, type ProcFs } from './daemon-process.js';
import type { JobRef, MirrorLife } from './job-watch.js';
import { runEdit, type PrivilegeDeps } from './privileged.js';
import { spawnMirrorProcess, stopMirrorProcess, type PendingMirror } from './process.js';
import { CONFIRM_TIMEOUT_MS, waitForMirror } from './daemon-wait.js';
import { undoDockerMirror } from './undo.js';
import { upstreamOf } from './routes.js';

/** What the entry knows: where node and the mirror bundle are, whether we are root. */
export interface MirrorHost extends Omit<PrivilegeDeps, 'exec'> {
  platform: NodeJS.Platform;
  proc?: ProcFs;
}

export interface MirrorDeps extends MirrorHost, PrivilegeDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  now?: () => number;
  /** The job's runner process (tests); main's parent when unset. */
  parentPid?: number;
  startOf?: (pid: number) => string | undefined;
}

const HOW =
  'Pull `${{ steps.<id>.outputs.library-prefix }}/<image>` instead, or see "No file changes: docker-mirror" in the README.';

/** Why the mirror cannot be set up here; undefined when it can be tried. */
function findLocalDaemon(deps: MirrorDeps): LocalDaemon {
  if (deps.platform !== 'linux') {
    throw new ActionError(
      `docker-mirror needs a Linux runner; this one runs ${deps.platform}.`,
      HOW,
    );
  }
  const socket = daemonSocket(
    deps.env,
    readConfig(configDir(deps.env)).currentContext as string | undefined,
  );
  const daemon = socket && findDaemon(socket, deps.proc);
  if (!socket || !daemon) {
    throw new ActionError(
      `docker-mirror needs the Docker daemon to run on this machine, and ${socket ? `no dockerd here serves ${socket}` : `docker talks to ${deps.env.DOCKER_HOST || `context ${deps.env.DOCKER_CONTEXT}`}`} (a remote or rootless daemon's config cannot be changed by this step).`,
      HOW,
    );
  }
  return { socket, ...daemon };
}

type LocalDaemon = { socket: string; pid: number; configFile: string };

/** The job's mirror process, spawned before the credential exists (it waits for it on stdin). */
export interface EarlyMirror {
  daemon: LocalDaemon;
  logFile: string;
  life: Omit<MirrorLife, 'lifetimeMs'>;
  process: PendingMirror;
}

/**
 * Spawns the mirror while the credential is being fetched, so node's start-up is off the step's
 * path; undefined when it cannot run here (startDockerMirror then says why).
 */
export function spawnDockerMirror(
  registry: LoggedInRegistry,
  deps: MirrorDeps,
): EarlyMirror | undefined {
  const prefix = libraryPrefix(registry);
  if (!upstreamOf(prefix)) return undefined;
  try {
    const daemon = findLocalDaemon(deps);
    const { logFile, life } = placeOf(daemon, deps);
    const process = spawnMirrorProcess({ ...deps, libraryPrefix: prefix, logFile, life });
    return { daemon, logFile, life, process };
  } catch {
    return undefined;
  }
}

/** Starts the job's mirror and returns its URL, or undefined (with a warning saying why). */
export async function startDockerMirror(
  registry: LoggedInRegistry,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
  early?: EarlyMirror,
): Promise<string | undefined> {
  const { runtime } = deps;
  const prefix = libraryPrefix(registry);
  if (!upstreamOf(prefix)) {
    runtime.notice(
      `docker-mirror is not active: ${registry.host} has no copy of the Docker official images.`,
    );
    return undefined;
  }
  try {
    return await runtime.group('Start the docker mirror', () =>
      setUp(prefix, credentials, deps, early),
    );
  } catch (error) {
    runtime.warning(
      `docker-mirror is not active (the login itself succeeded): ${describeError(error)}`,
      'docker-mirror not active',
    );
    return undefined;
  }
}

async function setUp(
  prefix: string,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
  early?: EarlyMirror,
): Promise<string> {
  const now = deps.now ?? Date.now;
  const started = now();
  const record = await startMirror(credentials, early ?? spawnNow(prefix, deps));
  deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record)); // before the edit, so post undoes it whatever happens
  const mirrorMs = now() - started;
  await addToDaemon(record, deps);
  const total = now() - started;
  deps.runtime.info(
    `docker-mirror: the daemon now pulls Docker official images through ${record.url} from ${prefix} (log: ${record.logFile}); ready in ${total} ms (mirror ${mirrorMs} ms, daemon config and reload ${total - mirrorMs} ms).`,
  );
  return record.url;
}

/**
 * The process that started this step: on GitHub's runner, Runner.Worker, which runs every step
 * of the job and ends with it (the listener outlives jobs; a step's own processes end with it).
 */
function jobOf(deps: MirrorDeps): JobRef | undefined {
  const pid = deps.parentPid ?? process.ppid;
  const start = pid > 1 ? (deps.startOf ?? processStart)(pid) : undefined;
  return start === undefined ? undefined : { pid, start };
}

/** Where the mirror logs and what its life is tied to (the job, the daemon config). */
function placeOf(daemon: LocalDaemon, deps: MirrorDeps) {
  const logFile = join(
    deps.env.RUNNER_TEMP || tmpdir(),
    `ecr-public-login-mirror-${process.pid}.log`,
  );
  const { configFile, pid: daemonPid, socket } = daemon;
  return { logFile, life: { configFile, daemonPid, socket, job: jobOf(deps) } };
}

function spawnNow(prefix: string, deps: MirrorDeps): EarlyMirror {
  const daemon = findLocalDaemon(deps);
  const { logFile, life } = placeOf(daemon, deps);
  const process = spawnMirrorProcess({ ...deps, libraryPrefix: prefix, logFile, life });
  return { daemon, logFile, life, process };
}

/** Hands the spawned mirror its credential and waits until it listens. */
async function startMirror(
  credentials: RegistryCredentials,
  { daemon, logFile, life, process }: EarlyMirror,
): Promise<MirrorRecord> {
  const { pid, port } = await process.ready(credentials).catch((error: unknown) => {
    throw new ActionError(
      `the mirror process did not start (${describeError(error)}); its log: ${logFile}.`,
      HOW,
    );
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    pid,
    url,
    logFile,
    configFile: daemon.configFile,
    daemonPid: daemon.pid,
    socket: daemon.socket,
    job: life.job,
  };
}

/** Our entry in the daemon's config, the reload, and the daemon's word that it uses the mirror. */
async function addToDaemon(record: MirrorRecord, deps: MirrorDeps): Promise<void> {
  const { url, configFile, pid, daemonPid, socket, job } = record;
  const request = { op: 'add' as const, file: configFile, url, pid, daemonPid, socket, job };
  const { pruned = [], orphans = [] } = await runEdit(request, deps).catch(
    async (error: unknown) => {
      // A failed add wrote nothing: no config names the port, so the mirror can simply stop.
      await stopMirrorProcess(pid, deps.proc);
      deps.runtime.saveState(MIRROR_STATE_KEY, '');
      throw error;
    },
  );
  if (pruned.length)
    deps.runtime.info(
      `Removed mirror entries left by runs that died or whose job had ended: ${pruned.join(', ')}${orphans.length ? ` (and stopped their mirrors, pids ${orphans.join(', ')})` : ''}.`,
    );
  if (!(await waitForMirror(socket, url, true, deps.now))) {
    const error = new ActionError(
      `the daemon did not list ${url} among its mirrors within ${CONFIRM_TIMEOUT_MS / 1000} s of reloading ${configFile} (see the daemon's log: a key in the file that is also a dockerd flag makes it refuse the reload).`,
      HOW,
    );
    // The first failure is the one to report. The state stays for post unless the undo is done.
    await undoDockerMirror(record, deps, () => undefined).then(
      () => deps.runtime.saveState(MIRROR_STATE_KEY, ''),
      () => undefined,
    );
    throw error;
  }
}
