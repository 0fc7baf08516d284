// Taking the mirror away (post, or main after a failed set-up): take our entry out of the
// daemon's config (its exact bytes back when nobody else changed it), reload, see the daemon let
// go, and only then stop the mirror: its port stays held while any daemon config names it.
import { ActionError, describeError } from '../common/errors.js';
import type { MirrorRecord } from './record.js';
import type { EditResult } from './daemon-edit.js';
import type { ProcFs } from './daemon-process.js';
import { runEdit, type PrivilegeDeps } from './privileged.js';
import { stopMirrorProcess } from './process.js';

const KEPT =
  'so the mirror keeps running to hold its port; it takes its entry out itself when the job ends';

/** Post's side (and main's on failure): entry out, reload, confirm, then stop the mirror. */
export async function undoDockerMirror(
  record: MirrorRecord,
  deps: PrivilegeDeps & { proc?: ProcFs },
  report: (line: string) => void,
): Promise<void> {
  if (record.configured) return stopOnly(record, deps.proc, report);
  const result = await takeEntryOut(record, deps);
  const what = restoredText(record, result);
  if (result.reloaded === false)
    throw new ActionError(
      `${what}, but the daemon still lists ${record.url} after reloading, ${KEPT}.`,
      "See the daemon's log for why it refused the reload, then reload it (`sudo kill -HUP $(pidof dockerd)`).",
    );
  const stopped = await stopMirrorProcess(record.pid, deps.proc);
  const daemon = result.daemonPid
    ? `the daemon (restarted during the job, now pid ${result.daemonPid})`
    : 'the daemon';
  report(
    `docker-mirror: ${what}; ${daemon} reloaded without it; ${stopped ? `then stopped the mirror (pid ${record.pid})` : 'the mirror had already stopped'}.`,
  );
}

/** `mirror-port` on a daemon configured once: its flags keep naming the port; only the process goes. */
async function stopOnly(
  record: MirrorRecord,
  proc: ProcFs | undefined,
  report: (line: string) => void,
): Promise<void> {
  const stopped = await stopMirrorProcess(record.pid, proc);
  report(
    `docker-mirror: ${stopped ? `stopped the mirror on ${record.url} (pid ${record.pid})` : `the mirror on ${record.url} had already stopped`}; no daemon config to restore (the daemon's own flags name this port, so until the next job's mirror starts there its pulls go to Docker Hub).`,
  );
}

async function takeEntryOut(record: MirrorRecord, deps: PrivilegeDeps): Promise<EditResult> {
  const request = {
    op: 'remove' as const,
    file: record.configFile,
    url: record.url,
    daemonPid: record.daemonPid,
    socket: record.socket,
  };
  try {
    return await runEdit(request, deps);
  } catch (error) {
    const [what, fix] =
      error instanceof ActionError ? [error.message, error.fix] : [describeError(error)];
    throw new ActionError(`${what} (${record.url} may still be listed, ${KEPT}).`, fix);
  }
}

function restoredText(record: MirrorRecord, { restored }: EditResult): string {
  return {
    exact: `${record.configFile} restored byte for byte`,
    shared: `${record.url} taken out of ${record.configFile} (another job's mirror is listed there too; the last job's post puts the original bytes back)`,
    entry: `${record.url} taken out of ${record.configFile} (the file was changed meanwhile; the rest kept)`,
    absent: `${record.configFile} did not list ${record.url}`,
  }[restored ?? 'absent'];
}
