// Taking the mirror away (post, or main after a failed set-up): stop the process, take our entry
// out of the daemon's config (its exact bytes back when nobody else changed it), reload, confirm.
import { ActionError } from '../errors.js';
import type { MirrorRecord } from '../runner/state.js';
import type { ProcFs } from './daemon-process.js';
import { runEdit, type PrivilegeDeps } from './privileged.js';
import { stopMirrorProcess } from './process.js';

/** Post's side (and main's on failure): stop the mirror, take our entry out, reload, confirm. */
export async function undoDockerMirror(
  record: MirrorRecord,
  deps: PrivilegeDeps & { proc?: ProcFs },
  report: (line: string) => void,
): Promise<void> {
  const stopped = await stopMirrorProcess(record.pid, deps.proc);
  const { restored, reloaded } = await runEdit(
    {
      op: 'remove',
      file: record.configFile,
      url: record.url,
      daemonPid: record.daemonPid,
      socket: record.socket,
    },
    deps,
  );
  const what = {
    exact: `${record.configFile} restored byte for byte`,
    shared: `${record.url} taken out of ${record.configFile} (another job's mirror is listed there too; the last job's post puts the original bytes back)`,
    entry: `${record.url} taken out of ${record.configFile} (the file was changed meanwhile; the rest kept)`,
    absent: `${record.configFile} did not list ${record.url}`,
  }[restored ?? 'absent'];
  if (reloaded === false)
    throw new ActionError(
      `${what}, but the daemon still lists ${record.url} after reloading.`,
      'The entry is harmless (the daemon falls back to Docker Hub); reload the daemon (`sudo kill -HUP $(pidof dockerd)`) to drop it.',
    );
  report(
    `docker-mirror: ${stopped ? `stopped the mirror (pid ${record.pid})` : 'the mirror had already stopped'}; ${what}; the daemon reloaded without it.`,
  );
}
