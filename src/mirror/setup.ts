// Main's side of docker-mirror: the mirror spawned while the login is out (spawn.ts), then, with
// the credential, listening, added to the daemon's registry-mirrors, the daemon reloaded and seen
// to list it. Any failure is a warning that leaves nothing half-changed; a failed login, nothing.
import { watchReloads, type DaemonReloads } from '../docker/daemon-events.js';
import { libraryPrefix, type LoggedInRegistry } from '../registry/names.js';
import { ActionError, describeError } from '../common/errors.js';
import type { RegistryCredentials } from '../registry/client.js';
import { MIRROR_STATE_KEY, type MirrorRecord } from './record.js';
import { runEdit } from './privileged.js';
import { stopMirrorProcess } from './process.js';
import { CONFIRM_TIMEOUT_MS, reloadShows } from './daemon-wait.js';
import {
  abandon,
  HOW,
  notStarted,
  spawnFor,
  withFlagFix,
  type MirrorDeps,
  type Spawned,
} from './spawn.js';
import { undoDockerMirror } from './undo.js';
import { upstreamOf } from './routes.js';

export type { MirrorDeps, MirrorHost } from './spawn.js';

/** docker-mirror begun before the login has its credential: the mirror process spawned, waiting. */
export interface BegunDockerMirror {
  /**
   * Hands the mirror the credential while the login checks it: it listens, and no daemon names
   * it until start(); a failed check cancels it, so nothing is left.
   */
  handOver(credentials: RegistryCredentials): void;
  /** Hands it the credential, then the daemon's part: its URL, or undefined (a warning says why). */
  start(credentials: RegistryCredentials): Promise<string | undefined>;
  /** The login failed: the waiting process is killed and its log removed; nothing else changed. */
  cancel(): Promise<void>;
}

/**
 * Spawns the job's mirror now, so node's start-up overlaps the login: it waits on stdin and
 * serves nothing until start() gives it the credential. A failure here is start()'s to report.
 */
export function beginDockerMirror(registry: LoggedInRegistry, deps: MirrorDeps): BegunDockerMirror {
  const prefix = libraryPrefix(registry);
  if (!upstreamOf(prefix)) {
    const notice = `docker-mirror is not active: ${registry.host} has no copy of the Docker official images.`;
    return {
      handOver: () => undefined,
      start: async () => void deps.runtime.notice(notice),
      cancel: async () => undefined,
    };
  }
  const spawned = spawnFor(prefix, deps);
  spawned.catch(() => undefined); // reported by start(), or dropped by cancel()
  let told: Promise<MirrorRecord> | undefined;
  const tell = (credentials: RegistryCredentials) => {
    told ??= spawned.then((s) => listening(s, credentials, deps));
    told.catch(() => undefined); // reported by start(), or dropped by cancel()
    return told;
  };
  return {
    handOver: (credentials) => void tell(credentials),
    start: (credentials) => start(spawned, tell(credentials), deps),
    cancel: () => spawned.then(abandon, () => undefined),
  };
}

/** Starts the job's mirror and returns its URL, or undefined (with a warning saying why). */
export const startDockerMirror = (
  registry: LoggedInRegistry,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
): Promise<string | undefined> => beginDockerMirror(registry, deps).start(credentials);

async function start(
  spawned: Promise<Spawned>,
  told: Promise<MirrorRecord>,
  deps: MirrorDeps,
): Promise<string | undefined> {
  const { runtime } = deps;
  try {
    return await runtime.group('Start the docker mirror', () => setUp(spawned, told, deps));
  } catch (error) {
    runtime.warning(
      `docker-mirror is not active (the login itself succeeded): ${describeError(error)}`,
      'docker-mirror not active',
    );
    return undefined;
  }
}

async function setUp(
  pending: Promise<Spawned>,
  told: Promise<MirrorRecord>,
  deps: MirrorDeps,
): Promise<string> {
  const spawned = await pending;
  if (spawned.configuredAt) return startConfigured(spawned, told, deps);
  return withFlagFix(deps.port, () => editDaemon(spawned, told, deps));
}

/** The daemon already names the port: start the mirror there; no edit, no signal, no root. */
async function startConfigured(
  spawned: Spawned,
  told: Promise<MirrorRecord>,
  deps: MirrorDeps,
): Promise<string> {
  const started = (deps.now ?? Date.now)();
  const record = await told;
  deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record));
  deps.runtime.info(
    `docker-mirror: the daemon at ${spawned.configuredAt} already lists ${record.url} among its registry mirrors (its own flags), so this step only started the mirror there: no config edit, no reload. Docker official images now come from ${spawned.prefix} (log: ${record.logFile}); ready in ${(deps.now ?? Date.now)() - started} ms.`,
  );
  return record.url;
}

/** Today's way: a mirror, then our entry in the local daemon's config and a reload. */
async function editDaemon(
  spawned: Spawned,
  told: Promise<MirrorRecord>,
  deps: MirrorDeps,
): Promise<string> {
  const now = deps.now ?? Date.now;
  const started = now();
  // Opened while the mirror takes its credential, so the reload's event is seen when it comes.
  const watch = watchReloads(spawned.life.socket, 2_000).catch(() => undefined);
  const record = await told.catch(async (error: unknown) => {
    (await watch)?.close();
    throw error;
  });
  deps.runtime.saveState(MIRROR_STATE_KEY, JSON.stringify(record)); // before the edit, so post undoes it whatever happens
  const mirrorMs = now() - started;
  await addToDaemon(record, deps, watch);
  const total = now() - started;
  deps.runtime.info(
    `docker-mirror: the daemon now pulls Docker official images through ${record.url} from ${spawned.prefix} (log: ${record.logFile}); ready in ${total} ms (mirror ${mirrorMs} ms, daemon config and reload ${total - mirrorMs} ms).`,
  );
  return record.url;
}

/** Hands the spawned mirror its credential; what post needs once it listens. */
async function listening(
  { child, logFile, life }: Spawned,
  credentials: RegistryCredentials,
  deps: MirrorDeps,
): Promise<MirrorRecord> {
  const { pid, port } = await child.ready(credentials).catch((error: unknown) => {
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

/** Our entry in the daemon's config, the reload, and the daemon's word that it uses the mirror. */
async function addToDaemon(
  record: MirrorRecord,
  deps: MirrorDeps,
  watch: Promise<DaemonReloads | undefined>,
): Promise<void> {
  const reloads = await watch;
  try {
    await addEntry(record, deps);
    if (!(await reloadShows(reloads, record.socket, record.url, true, deps.now)))
      await notListed(record, deps);
  } finally {
    reloads?.close();
  }
}

async function addEntry(record: MirrorRecord, deps: MirrorDeps): Promise<void> {
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
}

/** The reload did not take our entry: the first failure is the one reported. */
async function notListed(record: MirrorRecord, deps: MirrorDeps): Promise<never> {
  const error = new ActionError(
    `the daemon did not list ${record.url} among its mirrors within ${CONFIRM_TIMEOUT_MS / 1000} s of reloading ${record.configFile} (see the daemon's log: a key in the file that is also a dockerd flag makes it refuse the reload).`,
    HOW,
  );
  // The state stays for post unless the undo is done.
  await undoDockerMirror(record, deps, () => undefined).then(
    () => deps.runtime.saveState(MIRROR_STATE_KEY, ''),
    () => undefined,
  );
  throw error;
}
