// The mirror process's side of its end of life, wired to the real system: the job's runner
// process from /proc, the entry's removal as main and post do it (root, else `sudo -n`), timers.
import type http from 'node:http';
import { exec } from '../runner/exec.js';
import { processStart } from './daemon-process.js';
import { daemonLists } from './daemon-wait.js';
import { watchJob, type MirrorLife } from './job-watch.js';
import { runEdit } from './privileged.js';

/** The one owner of the mirror's end (SIGTERM, the job's end, the clock): serve has none. */
export function startJobWatch(
  life: MirrorLife,
  server: http.Server,
  log: (line: string) => void,
): void {
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const privilege = {
    exec,
    execPath: process.execPath,
    mirrorBundle: process.argv[1],
    isRoot: process.getuid?.() === 0,
  };
  const { configFile: file, daemonPid, socket } = life;
  const request = { op: 'remove' as const, file, url, daemonPid, socket };
  // A daemon configured once names the port between jobs by design: nothing to edit, leave at once.
  const { configured } = life;
  watchJob(life, {
    startOf: processStart,
    removeEntry: async () => configured || (await runEdit(request, privilege)).reloaded !== false,
    listed: async () => (configured ? false : daemonLists(life.socket, url)),
    every: (ms, fn) => void setInterval(fn, ms),
    after: (ms, fn) => void setTimeout(fn, ms),
    onSigterm: (fn) => void process.on('SIGTERM', fn),
    log,
    exit: (code) => process.exit(code),
  });
}
