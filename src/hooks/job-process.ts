// Which process's end is the job's end, seen from the hook's node (its parent is the hook script,
// which ends with the hook; a platform team's wrapper may sit between): the nearest ancestor
// named Runner.Worker, else what ran the hook script (the script's parent).
import { readFileSync } from 'node:fs';

/** comm and ppid of a process (/proc/<pid>/stat); undefined when it is gone. */
export type ReadStat = (pid: number) => { comm: string; ppid: number } | undefined;

export const procStat: ReadStat = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid };
  } catch {
    return undefined;
  }
};

const WORKER = 'Runner.Worker';
/** Far enough for a wrapper or two; stops any loop in a damaged /proc. */
const MAX_DEPTH = 16;

/** `parent`: the hook's node's parent, i.e. the hook script. */
export function jobProcess(parent: number, read: ReadStat = procStat): number {
  for (let pid = parent, depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
    const stat = read(pid);
    if (!stat) break;
    // comm is cut to 15 characters: "Runner.Worker" fits.
    if (stat.comm === WORKER) return pid;
    pid = stat.ppid;
  }
  const runBy = read(parent)?.ppid;
  return runBy !== undefined && runBy > 1 ? runBy : parent;
}
