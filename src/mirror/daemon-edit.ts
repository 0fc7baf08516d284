// The two edits of daemon.json, each under a lock and followed by SIGHUP to the daemon. They run
// in this process when it is root, else in `sudo -n node dist/mirror/index.js daemon-config …`.
import fs from 'node:fs';
import {
  ledgerPath,
  parseDaemonConfig,
  readLedger,
  readText,
  render,
  sameConfig,
  withMirror,
  withoutMirrors,
  writeAtomic,
  writeLedger,
  type Ledger,
} from './daemon-config.js';

export interface EditRequest {
  op: 'add' | 'remove';
  file: string;
  url: string;
  /** add: the mirror's pid, recorded so a later run can tell the entry is dead. */
  pid?: number;
  /** The daemon to reload. */
  daemonPid: number;
}

export interface EditResult {
  /** add: dead runs' entries taken out. remove: 'exact' (pristine bytes back), 'entry' or 'absent'. */
  pruned?: string[];
  restored?: 'exact' | 'entry' | 'absent';
}

export interface EditDeps {
  /** Is this pid still the mirror it was? */
  isMirrorAlive: (pid: number) => boolean;
  reload: (daemonPid: number) => void;
  sleep: (ms: number) => void;
  now: () => number;
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** An exclusive lock file beside the config; a lock older than any edit takes is broken. */
function withLock<T>(file: string, deps: EditDeps, fn: () => T): T {
  const lock = `${ledgerPath(file)}.lock`;
  const until = deps.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = deps.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      else if (deps.now() > until) throw new Error(`${lock} is held by another job`);
      else deps.sleep(50);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function add(r: EditRequest, deps: EditDeps): EditResult {
  const text = readText(r.file);
  const config = parseDaemonConfig(text, r.file);
  const ledger: Ledger = readLedger(r.file) ?? { pristine: text, entries: [] };
  const dead = ledger.entries.filter((e) => !deps.isMirrorAlive(e.pid)).map((e) => e.url);
  const live = ledger.entries.filter((e) => !dead.includes(e.url) && e.url !== r.url);
  // Ledger first: a crash between the two writes leaves an entry post can still find.
  writeLedger(r.file, { ...ledger, entries: [...live, { url: r.url, pid: r.pid ?? 0 }] });
  const stat = fs.statSync(r.file, { throwIfNoEntry: false });
  writeAtomic(r.file, render(withMirror(config, r.url, dead), text), stat);
  return { pruned: dead };
}

function remove(r: EditRequest): EditResult {
  const text = readText(r.file);
  const ledger = readLedger(r.file);
  const config = parseDaemonConfig(text, r.file);
  const pristine = parseDaemonConfig(ledger?.pristine ?? null, r.file);
  const entries = (ledger?.entries ?? []).filter((e) => e.url !== r.url);
  const next = withoutMirrors(config, [r.url], pristine);
  let restored: EditResult['restored'] = next === config ? 'absent' : 'entry';
  if (ledger && entries.length === 0 && sameConfig(next, pristine)) {
    // Nobody else changed the file: put back its exact bytes (or no file, as before).
    if (ledger.pristine === null) fs.rmSync(r.file, { force: true });
    else writeAtomic(r.file, ledger.pristine, fs.statSync(r.file, { throwIfNoEntry: false }));
    restored = 'exact';
  } else if (restored === 'entry') {
    writeAtomic(r.file, render(next, text), fs.statSync(r.file));
  }
  if (ledger) writeLedger(r.file, { ...ledger, entries });
  return { restored };
}

export function editDaemonConfig(r: EditRequest, deps: EditDeps): EditResult {
  const result = withLock(r.file, deps, () => (r.op === 'add' ? add(r, deps) : remove(r)));
  if (r.op === 'add' || result.restored !== 'absent') deps.reload(r.daemonPid);
  return result;
}
