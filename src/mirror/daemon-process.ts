// Which dockerd serves our socket, and which config file it was started with, read from /proc
// (world-readable, so no privilege is needed to find out).
import fs from 'node:fs';

export const DEFAULT_CONFIG_FILE = '/etc/docker/daemon.json';
const DEFAULT_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

export interface DaemonProcess {
  pid: number;
  configFile: string;
}

export interface ProcFs {
  pids: () => number[];
  /** argv of a process; undefined when it is gone or unreadable. */
  cmdline: (pid: number) => string[] | undefined;
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined when gone. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export const procFs: ProcFs = {
  pids: () =>
    fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number),
  cmdline: (pid) => {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
    } catch {
      return undefined;
    }
  },
};

/** The values of a flag given as `--flag v`, `--flag=v` or (for a short alias) `-H v`. */
export function flagValues(argv: string[], names: string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    for (const name of names) {
      if (arg === name && i + 1 < argv.length) values.push(argv[i + 1]);
      else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    }
  });
  return values;
}

const isDockerd = (argv: string[]): boolean => /(^|\/)dockerd$/.test(argv[0] ?? '');

/** Does this dockerd listen on the socket? No -H, or fd:// (systemd), means the default socket. */
function serves(argv: string[], socket: string): boolean {
  const hosts = flagValues(argv, ['--host', '-H']);
  if (hosts.includes(`unix://${socket}`)) return true;
  const unixHosts = hosts.filter((h) => h.startsWith('unix://') || !h.includes('://'));
  const onDefault = hosts.length === 0 || hosts.some((h) => h.startsWith('fd://'));
  return onDefault && unixHosts.length === 0 && DEFAULT_SOCKETS.includes(socket);
}

/** The dockerd behind `socket`, or undefined when none on this machine is (a remote or rootless one). */
export function findDaemon(socket: string, proc: ProcFs = procFs): DaemonProcess | undefined {
  for (const pid of proc.pids()) {
    const argv = proc.cmdline(pid);
    if (!argv || !isDockerd(argv) || !serves(argv, socket)) continue;
    const configFile = flagValues(argv, ['--config-file']).pop() ?? DEFAULT_CONFIG_FILE;
    return { pid, configFile };
  }
  return undefined;
}

/** Is this pid our mirror (not a process that got its pid since)? */
export const isMirrorProcess = (pid: number, proc: ProcFs = procFs): boolean => {
  const argv = proc.cmdline(pid);
  return Boolean(
    pid > 0 && argv?.some((a) => /mirror\/index\.js$/.test(a)) && argv.includes('serve'),
  );
};

export const isDockerdProcess = (pid: number, proc: ProcFs = procFs): boolean =>
  isDockerd(proc.cmdline(pid) ?? []);

/**
 * The dockerd to signal now: the recorded pid while it is still the daemon on our socket, else
 * whichever dockerd serves the socket (restarted during the job); undefined when none runs.
 */
export function currentDaemonPid(
  recorded: number,
  socket: string | undefined,
  proc: ProcFs = procFs,
): number | undefined {
  const argv = proc.cmdline(recorded) ?? [];
  if (isDockerd(argv) && (!socket || serves(argv, socket))) return recorded;
  return socket ? findDaemon(socket, proc)?.pid : undefined;
}
