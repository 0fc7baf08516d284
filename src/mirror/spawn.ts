// Main's docker-mirror before the login has its credential: where the mirror will serve (the
// daemon's own flags for `mirror-port`, else our entry in the local daemon's config) and its
// process, spawned so node's start-up overlaps the login, waiting for the credential on stdin.
import fs from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ActionError, describeError } from '../common/errors.js';
import { configDir, readConfig } from '../docker/config-file.js';
import { daemonMirrorsAt, daemonSocket, daemonTarget } from '../docker/daemon.js';
import type { Runtime } from '../runner/runtime.js';
import { findDaemon, processStart, type ProcFs } from './daemon-process.js';
import type { JobRef, MirrorLife } from './job-watch.js';
import type { PrivilegeDeps } from './privileged.js';
import { spawnMirrorProcess, type PendingMirror } from './process.js';
import { PORT_TAKEN } from './protocol.js';

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

export const HOW =
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

/** The mirror process waiting for its credential, and where it will serve. */
export interface Spawned {
  prefix: string;
  logFile: string;
  life: Omit<MirrorLife, 'lifetimeMs'>;
  child: PendingMirror;
  /** `mirror-port`: the daemon's address when its own flags already name the port (no edit). */
  configuredAt?: string;
}

/** The daemon's own flags name `mirror-port`: the mirror goes there; else ours in its config. */
export async function spawnFor(prefix: string, deps: MirrorDeps): Promise<Spawned> {
  const named = deps.port === undefined ? undefined : await daemonNamingPort(deps.port, deps);
  if (named) {
    const life = { configFile: '', daemonPid: 0, socket: '', job: jobOf(deps), configured: true };
    return { ...spawnMirror(prefix, life, deps), configuredAt: named };
  }
  return withFlagFix(deps.port, async () => {
    const { configFile, pid: daemonPid, socket } = findLocalDaemon(deps);
    return spawnMirror(prefix, { configFile, daemonPid, socket, job: jobOf(deps) }, deps);
  });
}

/** A failure to set up with `mirror-port` also names the daemon flag that would do instead. */
export async function withFlagFix<T>(port: number | undefined, fn: () => Promise<T>): Promise<T> {
  return fn().catch((error: unknown) => {
    if (port === undefined || !(error instanceof ActionError)) throw error;
    throw new ActionError(error.message, `${error.fix ?? ''} ${flagFix(port)}`.trim());
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

function spawnMirror(
  prefix: string,
  life: Omit<MirrorLife, 'lifetimeMs'>,
  deps: MirrorDeps,
): Spawned {
  const logFile = join(
    deps.env.RUNNER_TEMP || tmpdir(),
    `ecr-public-login-mirror-${process.pid}.log`,
  );
  try {
    const child = spawnMirrorProcess({ ...deps, libraryPrefix: prefix, logFile, life });
    return { prefix, logFile, life, child };
  } catch (error) {
    throw notStarted(error, logFile, deps.port);
  }
}

/** Never told the credential, so it listened nowhere and no config names it: kill, drop its log. */
export async function abandon({ child, logFile }: Spawned): Promise<void> {
  await child.cancel();
  fs.rmSync(logFile, { force: true });
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

/** A port someone else holds is named as such: pulls must never go to a process we do not know. */
export function notStarted(error: unknown, logFile: string, port: number | undefined): ActionError {
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
