// containerd's docker.io/hosts.toml, edited as root for one job at a time: the first job records
// the original bytes (or that there was no file) and the folders it made in a ledger beside the
// file; every job adds itself; the last one out (or the next run, for jobs that are gone) puts
// the original bytes back, or removes the file and those folders. No secret passes through here.
import { dirname } from 'node:path';
import { ActionError } from '../common/errors.js';
import type { JobRef } from '../mirror/job-watch.js';
import {
  type EngineFs,
  makeDirs,
  readBytes,
  removeEmptyDirs,
  sha256,
  writeWhole,
} from './files.js';

/** One step of one job using the file; `job` undefined: kept until its own post. */
export interface HostsOwner {
  id: string;
  job?: JobRef;
}

export type HostsEditRequest =
  | { op: 'add'; file: string; text: string; owner: HostsOwner }
  | { op: 'remove'; file: string; owner: HostsOwner };

export interface HostsEditResult {
  /** exact: original bytes back (or no file, as before); shared: other jobs still use it; changed: someone else rewrote it, left alone; absent: nothing of ours. */
  restored?: 'exact' | 'shared' | 'changed' | 'absent';
  /** Owners removed because their job is gone. */
  pruned: string[];
}

interface Ledger {
  original: string | null; // base64
  mode?: number;
  written: string; // sha256 of our text
  createdDirs: string[];
  owners: HostsOwner[];
}

export interface HostsEditDeps {
  fs: EngineFs;
  isJobAlive: (job: JobRef) => boolean;
  now: () => number;
  sleep: (ms: number) => void;
}

const LOCK_WAIT_MS = 5_000;
const STALE_LOCK_MS = 30_000;

export const ledgerOf = (file: string): string => `${file}.ecr-public-login.json`;

type Done = { result: HostsEditResult; removeDirs?: string[] };

export function editHostsFile(request: HostsEditRequest, deps: HostsEditDeps): HostsEditResult {
  if (request.op === 'remove' && !deps.fs.existsSync(ledgerOf(request.file)))
    return { restored: 'absent', pruned: [] };
  const made: string[] = [];
  const makeFolder = () => {
    if (request.op === 'remove') throw new Error(`${dirname(request.file)} went away meanwhile`);
    made.push(...makeDirs(deps.fs, dirname(request.file)));
  };
  if (request.op === 'add') makeFolder();
  const done = withLock(request.file, deps, makeFolder, () =>
    request.op === 'add' ? { result: add(request, made, deps) } : remove(request, deps),
  );
  // After the lock is gone: it lives in the folder.
  if (done.removeDirs) removeEmptyDirs(deps.fs, done.removeDirs);
  return done.result;
}

function add(
  request: Extract<HostsEditRequest, { op: 'add' }>,
  createdDirs: string[],
  deps: HostsEditDeps,
): HostsEditResult {
  const { file, text, owner } = request;
  const ledger = readLedger(file, deps) ?? firstLedger(file, deps);
  const pruned = prune(ledger, deps);
  ledger.createdDirs = [...new Set([...ledger.createdDirs, ...createdDirs])];
  ledger.owners = [...ledger.owners.filter((o) => o.id !== owner.id), owner];
  ledger.written = sha256(text);
  writeLedger(file, ledger, deps); // first: whatever happens next, the original is on record
  writeWhole(deps.fs, file, text, 0o644);
  return { pruned };
}

function remove(request: Extract<HostsEditRequest, { op: 'remove' }>, deps: HostsEditDeps): Done {
  const ledger = readLedger(request.file, deps);
  if (!ledger) return { result: { restored: 'absent', pruned: [] } };
  const pruned = prune(ledger, deps);
  const before = ledger.owners.length;
  ledger.owners = ledger.owners.filter((o) => o.id !== request.owner.id);
  const ours = ledger.owners.length < before;
  if (ledger.owners.length > 0) {
    writeLedger(request.file, ledger, deps);
    return { result: { restored: ours ? 'shared' : 'absent', pruned } };
  }
  const restored = restore(request.file, ledger, deps);
  return { result: { restored, pruned }, removeDirs: ledger.createdDirs };
}

/** The last owner is out: the original back, unless someone else rewrote the file meanwhile. */
function restore(file: string, ledger: Ledger, deps: HostsEditDeps): 'exact' | 'changed' {
  const now = readBytes(deps.fs, file);
  const ours = now !== undefined && sha256(now) === ledger.written;
  if (ours && ledger.original === null) deps.fs.unlinkSync(file);
  if (ours && ledger.original !== null) {
    writeWhole(deps.fs, file, Buffer.from(ledger.original, 'base64'), ledger.mode ?? 0o644);
    if (ledger.mode !== undefined) deps.fs.chmodSync(file, ledger.mode);
  }
  deps.fs.unlinkSync(ledgerOf(file));
  return ours ? 'exact' : 'changed';
}

function prune(ledger: Ledger, deps: HostsEditDeps): string[] {
  const gone = ledger.owners.filter((o) => o.job && !deps.isJobAlive(o.job));
  ledger.owners = ledger.owners.filter((o) => !gone.includes(o));
  return gone.map((o) => o.id);
}

function firstLedger(file: string, deps: HostsEditDeps): Ledger {
  const bytes = readBytes(deps.fs, file);
  const mode = bytes ? deps.fs.statSync(file).mode & 0o7777 : undefined;
  return {
    original: bytes?.toString('base64') ?? null,
    mode,
    written: '',
    createdDirs: [],
    owners: [],
  };
}

function readLedger(file: string, deps: HostsEditDeps): Ledger | undefined {
  const bytes = readBytes(deps.fs, ledgerOf(file));
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as Ledger;
  } catch {
    throw new ActionError(
      `${ledgerOf(file)} is not the JSON this action writes, so ${file} was left as it is.`,
      `Put ${file} back as it should be and delete ${ledgerOf(file)}.`,
    );
  }
}

const writeLedger = (file: string, ledger: Ledger, deps: HostsEditDeps): void =>
  writeWhole(deps.fs, ledgerOf(file), JSON.stringify(ledger), 0o600);

/** One editor at a time across jobs: an exclusive lock file, broken when it is older than any edit. */
function withLock<T>(file: string, deps: HostsEditDeps, makeFolder: () => void, fn: () => T): T {
  const lock = `${ledgerOf(file)}.lock`;
  const until = deps.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      deps.fs.closeSync(deps.fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        makeFolder(); // the last job out removed the folder just now
      else if (code !== 'EEXIST') throw error;
      else if (lockAge(lock, deps) > STALE_LOCK_MS) unlinkQuietly(lock, deps);
      else if (deps.now() > until)
        throw new ActionError(
          `${lock} stayed locked for ${LOCK_WAIT_MS / 1000} s (another job editing ${file}).`,
          'Run the job again; if the lock file is left from a crash, delete it.',
        );
      else deps.sleep(50);
    }
  }
  try {
    return fn();
  } finally {
    deps.fs.unlinkSync(lock);
  }
}

/** How old the lock is; 0 when it went away meanwhile. */
function lockAge(lock: string, deps: HostsEditDeps): number {
  try {
    return deps.now() - deps.fs.statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(file: string, deps: HostsEditDeps): void {
  try {
    deps.fs.unlinkSync(file);
  } catch {
    // another job broke the stale lock first
  }
}
