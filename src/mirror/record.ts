// What main hands post for docker-mirror (GITHUB_STATE): the mirror process and our entry in the
// daemon's config. Never a secret.

/** What post undoes for docker-mirror: the mirror process and our entry in the daemon's config. */
export interface MirrorRecord {
  /** The mirror's pid (also its process group). */
  pid: number;
  /** http://127.0.0.1:PORT, the entry in registry-mirrors. */
  url: string;
  logFile: string;
  /** The daemon's config file and pid, for the edit and the reload. */
  configFile: string;
  daemonPid: number;
  socket: string;
  /** The job's runner process the mirror watches (pid and start time), recorded in the ledger. */
  job?: { pid: number; start: string };
  /** `mirror-port` on a daemon whose own flags list it: no config edit to undo, only the process. */
  configured?: boolean;
}

export const MIRROR_STATE_KEY = 'mirror';

export function parseMirrorState(raw: string): MirrorRecord | undefined {
  try {
    const v = JSON.parse(raw) as Partial<MirrorRecord>;
    const ok =
      Number.isInteger(v.pid) &&
      Number.isInteger(v.daemonPid) &&
      typeof v.url === 'string' &&
      typeof v.logFile === 'string' &&
      typeof v.configFile === 'string' &&
      typeof v.socket === 'string';
    return ok ? (v as MirrorRecord) : undefined;
  } catch {
    return undefined;
  }
}
