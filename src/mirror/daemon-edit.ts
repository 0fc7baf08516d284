// The two edits of daemon.json, each under a lock and followed by SIGHUP to the daemon. They run
// in this process when it is root, else in `sudo -n node dist/mirror/index.js daemon-config …`.
import { withFileLock } from '../common/file-lock.js';
import fs from 'node:fs';
import {
  MIRRORS_KEY,
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
  type LedgerEntry,
} from './daemon-config.js';
import type { DaemonReloads } from '../docker/daemon-events.js';
import type { JobRef } from './job-watch.js';

export interface EditRequest {
  op: 'add' | 'remove';
  file: string;
  url: string;
  /** add: the mirror's pid and its job, recorded so a later run can tell the entry is dead or orphaned. */
  pid?: number;
  job?: JobRef;
  /** The daemon to reload, and its socket to see the reload done. */
  daemonPid: number;
  socket?: string;
}

/**
 * exact: the pristine bytes back; shared: our entry out, another job's mirror keeps the file
 * changed (the last one restores); entry: our entry out, someone else changed the file; absent.
 */
export type Restored = 'exact' | 'shared' | 'entry' | 'absent';

export interface EditResult {
  /** add: entries of dead mirrors and of orphans (a live mirror whose job ended) taken out. */
  pruned?: string[];
  /** add: the orphans' mirrors, stopped once the daemon let go of their entries. */
  orphans?: number[];
  restored?: Restored;
  /** remove: the daemon no longer lists the entry (or no daemon runs and the file lacks it). */
  reloaded?: boolean;
  /** The daemon signalled, when not the recorded one (it was restarted during the job). */
  daemonPid?: number;
}

export interface EditDeps {
  /** Is this pid still the mirror it was? */
  isMirrorAlive: (pid: number) => boolean;
  /** Is the job's runner process (pid and start time) still there? */
  isJobAlive: (job: JobRef) => boolean;
  /** Stops an orphan's mirror process. */
  stopMirror: (pid: number) => Promise<void>;
  /** SIGHUP to the daemon on the socket; its pid, or undefined when no daemon runs. */
  reload: (daemonPid: number, socket?: string) => number | undefined;
  /** A watch of the daemon's reloads, opened before a SIGHUP; undefined when it cannot be had. */
  watchReloads: (socket: string) => Promise<DaemonReloads | undefined>;
  /** Until the daemon lists `url` (or no longer does): from `reloads` when given, else polled. */
  waitForMirror: (
    socket: string,
    url: string,
    listed: boolean,
    reloads?: DaemonReloads,
  ) => Promise<boolean>;
  /** Does the daemon list the url now? undefined when it does not answer. */
  listed: (socket: string, url: string) => Promise<boolean | undefined>;
  sleep: (ms: number) => void;
  now: () => number;
}

/** An exclusive lock file beside the config (the one discipline of common/file-lock). */
const withLock = <T>(file: string, deps: EditDeps, fn: () => T): T =>
  withFileLock(ledgerPath(file), fn, { now: deps.now, sleep: deps.sleep });

function add(r: EditRequest, deps: EditDeps): EditResult & { orphanUrls: string[] } {
  const text = readText(r.file);
  const config = parseDaemonConfig(text, r.file);
  const old = readLedger(r.file);
  const { live, dead, orphans } = sortEntries(old?.entries ?? [], r.url, deps);
  const gone = [...dead, ...orphans].map((e) => e.url);
  const ledger: Ledger = { pristine: pristineOf(text, old, gone), entries: live };
  // Ledger first: a crash between the two writes leaves an entry post can still find.
  const ours = { url: r.url, pid: r.pid ?? 0, ...(r.job && { job: r.job }) };
  writeLedger(r.file, { ...ledger, entries: [...live, ours] });
  const stat = fs.statSync(r.file, { throwIfNoEntry: false });
  writeAtomic(r.file, render(withMirror(config, r.url, gone), text), stat);
  return {
    pruned: gone,
    orphans: orphans.map((e) => e.pid),
    orphanUrls: orphans.map((e) => e.url),
  };
}

/** live; dead (its mirror is gone: the entry goes); orphans (its job is gone: entry and mirror go). */
function sortEntries(entries: LedgerEntry[], url: string, deps: EditDeps) {
  const others = entries.filter((e) => e.url !== url);
  const dead = others.filter((e) => !deps.isMirrorAlive(e.pid));
  const orphans = others.filter(
    (e) => !dead.includes(e) && e.job !== undefined && !deps.isJobAlive(e.job),
  );
  const live = others.filter((e) => !dead.includes(e) && !orphans.includes(e));
  return { live, dead, orphans };
}

/**
 * The file as it was before the first of our entries. A ledger that exists (entries, or an empty
 * one whose restore is pending) keeps its pristine bytes: the file now holds our re-rendered text.
 * Only a dead run's entry changes that: then its own removal is undone on the recorded bytes.
 */
function pristineOf(text: string | null, old: Ledger | undefined, dead: string[]): string | null {
  if (!old) return text;
  if (dead.length === 0) return old.pristine;
  const before = parseDaemonConfig(old.pristine, 'the recorded daemon config');
  const ours = [...old.entries.map((e) => e.url), ...dead];
  const cleaned = withoutMirrors(parseDaemonConfig(text, 'daemon config'), ours, before);
  return sameConfig(cleaned, before) ? old.pristine : render(cleaned, text);
}

/** Our entry out, the key kept (even empty: a reload ignores a key that is absent). */
function takeOut(r: EditRequest): boolean {
  const text = readText(r.file);
  const ledger = readLedger(r.file);
  const config = parseDaemonConfig(text, r.file);
  const listed = (config[MIRRORS_KEY] as string[] | undefined)?.includes(r.url) ?? false;
  const entries = ledger?.entries.filter((e) => e.url !== r.url) ?? [];
  // An emptied ledger stays until restore() has used its pristine bytes.
  if (ledger) writeLedger(r.file, { ...ledger, entries }, listed);
  if (!listed) return false;
  const next = withoutMirrors(config, [r.url], { [MIRRORS_KEY]: [] });
  writeAtomic(r.file, render(next, text), fs.statSync(r.file));
  return true;
}

/** Once the daemon has let go: the pristine bytes back if the last of our entries is gone and nobody else changed the file. */
function restore(r: EditRequest): Restored {
  const ledger = readLedger(r.file);
  // Another job's mirror is still listed, or another job's post already restored.
  if (!ledger || ledger.entries.length > 0) return 'shared';
  const text = readText(r.file);
  const pristine = parseDaemonConfig(ledger.pristine, r.file);
  const current = parseDaemonConfig(text, r.file);
  const next = withoutMirrors(current, [], pristine);
  writeLedger(r.file, ledger);
  if (!sameConfig(next, pristine)) {
    // Someone else changed the file: only the empty key we left goes.
    if (MIRRORS_KEY in current && !(MIRRORS_KEY in next)) {
      writeAtomic(r.file, render(next, text), fs.statSync(r.file));
    }
    return 'entry';
  }
  if (ledger.pristine === null) fs.rmSync(r.file, { force: true });
  else writeAtomic(r.file, ledger.pristine, fs.statSync(r.file, { throwIfNoEntry: false }));
  return 'exact';
}

/**
 * SIGHUP, and the daemon's word that it no longer lists the entry: its reload event, from a watch
 * opened after the file lost the entry (so any reload it sees read the file without it).
 */
async function reloadWithout(r: EditRequest, deps: EditDeps) {
  const reloads = r.socket ? await deps.watchReloads(r.socket) : undefined;
  try {
    const pid = deps.reload(r.daemonPid, r.socket);
    // No daemon runs: the file no longer names the port, so none will after a start.
    const reloaded =
      pid === undefined || (await deps.waitForMirror(r.socket ?? '', r.url, false, reloads));
    return { pid, reloaded };
  } finally {
    reloads?.close();
  }
}

/** Entry out, reload, and the daemon's word that it let go; only then may the mirror stop. */
async function remove(r: EditRequest, deps: EditDeps): Promise<EditResult> {
  if (!withLock(r.file, deps, () => takeOut(r))) return confirmAbsent(r, deps);
  const { pid, reloaded } = await reloadWithout(r, deps);
  const restored = withLock(r.file, deps, () => restore(r));
  return {
    restored,
    reloaded,
    ...(pid !== undefined && pid !== r.daemonPid && { daemonPid: pid }),
  };
}

/** The file lacks the entry; the daemon too, unless it was never reloaded since (then reload). */
async function confirmAbsent(r: EditRequest, deps: EditDeps): Promise<EditResult> {
  if (!r.socket || (await deps.listed(r.socket, r.url)) === false) return { restored: 'absent' };
  return { restored: 'absent', reloaded: (await reloadWithout(r, deps)).reloaded };
}

export async function editDaemonConfig(r: EditRequest, deps: EditDeps): Promise<EditResult> {
  if (r.op === 'remove') return remove(r, deps);
  const { orphanUrls, ...result } = withLock(r.file, deps, () => add(r, deps));
  deps.reload(r.daemonPid, r.socket);
  // An orphan's port is released only once the daemon no longer lists it.
  const stopped: number[] = [];
  for (const [i, pid] of (result.orphans ?? []).entries()) {
    if (r.socket && !(await deps.waitForMirror(r.socket, orphanUrls[i], false))) continue;
    await deps.stopMirror(pid);
    stopped.push(pid);
  }
  return { pruned: result.pruned, ...(stopped.length > 0 && { orphans: stopped }) };
}
