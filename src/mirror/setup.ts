// Main's side of docker-mirror: start the mirror, add it to the daemon's registry-mirrors, reload
// the daemon and see it listed. Any failure is a warning that leaves nothing half-changed.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { configDir, readConfig } from '../docker/config-file.js';
import { daemonMirrorsAt, daemonSocket, daemonTarget } from '../docker/daemon.js';
import { libraryPrefix, type LoggedInRegistry } from '../registry/names.js';
import { ActionError, describeError } from '../common/errors.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { Runtime } from '../runner/runtime.js';
import { MIRROR_STATE_KEY, type MirrorRecord } from './record.js';
import { findDaemon, processStart, type ProcFs } from './daemon-process.js';
import type { JobRef, MirrorLife } from './job-watch.js';
import { runEdit, type PrivilegeDeps } from './privileged.js';
import { startMirrorProcess, stopMirrorProcess } from './process.js';
import { PORT_TAKEN } from './serve.js';
import { CONFIRM_TIMEOUT_MS, waitForMirror } from './daemon-wait.js';
import { undoDockerMirror } from './undo.js';
import { upstreamOf } from './routes.js';

/** What the entry knows: where node and the mirror bundle are, whether we are root. */
export interface MirrorHost extends Omit<PrivilegeDeps, 'exec'> {
  platform: NodeJS.Platform;
  proc?: ProcFs;
  /** The process whose end is the job's end (a runner hook's Runner.Worker); main's parent when unset. */
  parentPid?: number;
}

export interface MirrorDeps extends MirrorHost, PrivilegeDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  now?: () => number;
  startOf?: (pid: number) => string | undefined;
  /** `mirror-port`: a fixed port, perhaps named by the daemon's own flags; unset: a free one. */
  port?: number;
}

const HOW =
  'Pull `${{ steps.<id>.outputs.library-prefix }}/<image>` instead, or see "No file changes: docker-mirror" in the README.';

/** Why the mirror cannot be set up here; undefined when it can be tried. */
function findLocalDaemon(deps: MirrorDeps): { socket: string; pid: number; configFile: string } {
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

/** Starts the job's mirror and returns its URL, or undefined (with a warning saying why). */
export async function startDockerMirror(
  registry: LoggedInRegistry,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
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
    return await runtime.group('Start the docker mirror', () => setUp(prefix, credentials, deps));
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
): Promise<string> {
  const named = deps.port === undefined ? undefined : await daemonNamingPort(deps.port, deps);
  if (named) return startConfigured(prefix, credentials, named, deps);
  return editDaemon(prefix, credentials, deps).catch((error: unknown) => {
    if (deps.port === undefined || !(error instanceof ActionError)) throw error;
    throw new ActionError(error.message, `${error.fix ?? ''} ${flagFix(deps.port)}`.trim());
  });
}

const flagFix = (port: number) =>
  `Or name the mirror in the daemon's own flags once: --registry-mirror=http://127.0.0.1:${port} (ARC: the dind container's args; a host: "registry-mirrors" in its daemon.json), then restart the daemon.`;

/** The daemon's address when its own mirrors list http://127.0.0.1:<port>; else undefined. */
async function daemonNamingPort(port: number, deps: MirrorDeps): Promise<string | undefined> {
  const context = readConfig(configDir(deps.env)).currentContext as string | undefined;
  const target = daemonTarget(deps.env, context, deps.platform);
  if (!target) return undefined;
  const mirrors = await daemonMirrorsAt(target, 2_000).catch(() => [] as string[]);
  const url = `http://127.0.0.1:${port}`;
  return mirrors.some((m) => m.replace(/\/+$/, '') === url) ? target.url : undefined;
}

/** The daemon already names the port: start the mirror there; no edit, no signal, no root. */
async function startConfigured(
  prefix: string,
  credentials: RegistryCredentials,
  daemonUrl: string,
  deps: MirrorDeps,
): Promise<string> {
  const started = (deps.now ?? Date.now)();
  const life = { configFile: '', daemonPid: 0, socket: '', job: jobOf(deps), configured: true };
  const record = await startMirror(prefix, credentials, life, deps);
  deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record));
  deps.runtime.info(
    `docker-mirror: the daemon at ${daemonUrl} already lists ${record.url} among its registry mirrors (its own flags), so this step only started the mirror there: no config edit, no reload. Docker official images now come from ${prefix} (log: ${record.logFile}); ready in ${(deps.now ?? Date.now)() - started} ms.`,
  );
  return record.url;
}

/** Today's way: a mirror, then our entry in the local daemon's config and a reload. */
async function editDaemon(
  prefix: string,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
): Promise<string> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { configFile, pid: daemonPid, socket } = findLocalDaemon(deps);
  const life = { configFile, daemonPid, socket, job: jobOf(deps) };
  const record = await startMirror(prefix, credentials, life, deps);
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

async function startMirror(
  prefix: string,
  credentials: RegistryCredentials,
  life: Omit<MirrorLife, 'lifetimeMs'>,
  deps: MirrorDeps,
): Promise<MirrorRecord> {
  const logFile = join(
    deps.env.RUNNER_TEMP || tmpdir(),
    `ecr-public-login-mirror-${process.pid}.log`,
  );
  const { pid, port } = await startMirrorProcess({
    ...deps,
    libraryPrefix: prefix,
    credentials,
    logFile,
    life,
  }).catch((error: unknown) => {
    throw notStarted(error, logFile, deps.port);
  });
  const { configFile, daemonPid, socket, job, configured } = life;
  const url = `http://127.0.0.1:${port}`;
  return {
    pid,
    url,
    logFile,
    configFile,
    daemonPid,
    socket,
    job,
    ...(configured && { configured }),
  };
}

/** A port someone else holds is named as such: pulls must never go to a process we do not know. */
function notStarted(error: unknown, logFile: string, port: number | undefined): ActionError {
  if (port !== undefined && describeError(error).includes(PORT_TAKEN)) {
    return new ActionError(
      `mirror-port ${port}: another process already listens on 127.0.0.1:${port}, and docker-mirror never shares its port with a process it does not know (pulls would go wherever that process sends them).`,
      `Find it (\`ss -ltnp 'sport = :${port}'\`) and stop it, or choose a free mirror-port and name that one in the daemon's --registry-mirror flag.`,
    );
  }
  return new ActionError(
    `the mirror process did not start (${describeError(error)}); its log: ${logFile}.`,
    HOW,
  );
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
