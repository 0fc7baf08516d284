// Editing daemon.json and signalling dockerd need root: done in this process when it is root,
// else by the mirror bundle under `sudo -n` (never a password prompt; GitHub-hosted runners
// allow it). The request holds no secret.
import { ActionError } from '../common/errors.js';
import type { Exec } from '../runner/exec.js';
import {
  editDaemonConfig,
  type EditDeps,
  type EditRequest,
  type EditResult,
} from './daemon-edit.js';
import {
  currentDaemonPid,
  isMirrorProcess,
  processStart,
  procFs,
  type ProcFs,
} from './daemon-process.js';
import { stopMirrorProcess } from './process.js';
import { watchReloads } from '../docker/daemon-events.js';
import { daemonLists, reloadShows } from './daemon-wait.js';

export interface PrivilegeDeps {
  exec: Exec;
  /** node, to run the bundle under sudo. */
  execPath: string;
  /** dist/mirror/index.js */
  mirrorBundle: string;
  isRoot: boolean;
  /** The edit's daemon side (tests); the real one when unset. */
  editDeps?: EditDeps;
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** SIGHUP to the daemon on our socket (found again if it restarted); undefined when none runs. */
export function reloadDaemon(
  recorded: number,
  socket: string | undefined,
  proc: ProcFs = procFs,
  kill: (pid: number, signal: NodeJS.Signals) => void = process.kill,
): number | undefined {
  // Never a pid that is no longer the daemon: it is looked up again from the socket.
  const pid = currentDaemonPid(recorded, socket, proc);
  if (pid !== undefined) kill(pid, 'SIGHUP');
  return pid;
}

export const realEditDeps: EditDeps = {
  isMirrorAlive: (pid) => isMirrorProcess(pid),
  isJobAlive: (job) => processStart(job.pid) === job.start,
  stopMirror: async (pid) => void (await stopMirrorProcess(pid)),
  reload: (pid, socket) => reloadDaemon(pid, socket),
  watchReloads: (socket) => watchReloads(socket, 2_000).catch(() => undefined),
  waitForMirror: (socket, url, listed, reloads) => reloadShows(reloads, socket, url, listed),
  listed: daemonLists,
  sleep: sleepSync,
  now: Date.now,
};

export async function runEdit(request: EditRequest, deps: PrivilegeDeps): Promise<EditResult> {
  if (deps.isRoot) return editDaemonConfig(request, deps.editDeps ?? realEditDeps);
  return (await sudoBundle(
    deps,
    'daemon-config',
    request,
    'Check the file and the daemon; see the message above.',
  )) as EditResult;
}

/**
 * One root-side command of the mirror bundle under `sudo -n` (it never prompts), its JSON answer
 * back; a refusal says whether sudo or the edit failed and what to do.
 */
export async function sudoBundle(
  deps: Pick<PrivilegeDeps, 'exec' | 'execPath' | 'mirrorBundle'>,
  command: string,
  request: { file: string },
  otherFix: string,
): Promise<unknown> {
  const args = ['-n', deps.execPath, deps.mirrorBundle, command, JSON.stringify(request)];
  const result = await deps.exec('sudo', args, { timeoutMs: 20_000 }).catch((error: unknown) => {
    throw new ActionError(
      `editing ${request.file} needs root, and sudo is not available (${(error as Error).message}).`,
      'Run the job as root, or allow the runner user passwordless sudo.',
    );
  });
  if (result.exitCode !== 0) {
    const why = result.stderr.trim().split('\n').pop() || `exit code ${result.exitCode}`;
    throw new ActionError(
      `editing ${request.file} as root with \`sudo -n\` failed: ${why}`,
      /password is required|not in the sudoers|not allowed/i.test(result.stderr)
        ? 'Allow the runner user passwordless sudo (GitHub-hosted runners have it), or run the job as root.'
        : otherFix,
    );
  }
  return JSON.parse(result.stdout);
}
