// The lock discipline for files other jobs on the host may edit too (docker's config.json, the
// containers auth file): `<file>.lock` created exclusively, waited for, broken when older than
// any edit takes (a killed job's). The same rule as mirror/daemon-edit.ts uses for daemon.json.
import fs from 'node:fs';

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

export interface LockClock {
  now: () => number;
  /** Blocks for ms (the edits under the lock are synchronous). */
  sleep: (ms: number) => void;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
export const SYSTEM_CLOCK: LockClock = { now: Date.now, sleep: sleepSync };

/** Runs fn holding `<file>.lock`; throws when another job holds it past the wait. */
export function withFileLock<T>(file: string, fn: () => T, clock: LockClock = SYSTEM_CLOCK): T {
  const lock = `${file}.lock`;
  const until = clock.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!breakIfStale(lock, clock.now())) {
        if (clock.now() > until) throw new Error(`${lock} is held by another job`);
        clock.sleep(50);
      }
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Removes the lock only when it is old and still the same file. */
function breakIfStale(lock: string, now: number): boolean {
  const seen = fs.lstatSync(lock, { throwIfNoEntry: false });
  if (!seen) return true;
  if (now - seen.mtimeMs <= LOCK_STALE_MS) return false;
  const still = fs.lstatSync(lock, { throwIfNoEntry: false });
  if (still?.ino === seen.ino && still.mtimeMs === seen.mtimeMs) fs.rmSync(lock, { force: true });
  return true;
}
