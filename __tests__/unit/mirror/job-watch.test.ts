// The mirror's end of life with a fake clock, /proc and daemon: it ends with its job, and exits
// only once no daemon config names its port.
import { describe, expect, test } from '@jest/globals';
import {
  JOB_POLL_MS,
  RETRY_MS,
  watchJob,
  type JobWatchDeps,
} from '../../../src/mirror/job-watch.js';

function fake(o: { removals?: boolean[]; listed?: boolean } = {}) {
  const timers: { at: number; every?: number; fn: () => void }[] = [];
  const log: string[] = [];
  const state = { now: 0, exited: undefined as number | undefined, removals: 0, jobStart: '77' };
  const sigterm: (() => void)[] = [];
  const deps: JobWatchDeps = {
    startOf: (pid) => (pid === 501 ? state.jobStart : undefined),
    removeEntry: async () => (o.removals ?? [])[state.removals++] ?? true,
    listed: async () => o.listed,
    every: (ms, fn) => void timers.push({ at: state.now + ms, every: ms, fn }),
    after: (ms, fn) => void timers.push({ at: state.now + ms, fn }),
    onSigterm: (fn) => void sigterm.push(fn),
    log: (line) => void log.push(line),
    exit: (code) => void (state.exited = code),
  };
  /** Runs the clock forward, firing timers, and lets promises settle. */
  const advance = async (ms: number) => {
    const until = state.now + ms;
    for (;;) {
      const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      state.now = next.at;
      if (next.every) next.at += next.every;
      else timers.splice(timers.indexOf(next), 1);
      next.fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    state.now = until;
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { deps, state, log, advance, sigterm };
}

const SIX_HOURS = 6 * 3_600_000;

describe('watchJob', () => {
  test("the job's runner process ends: the entry goes first, then the mirror exits", async () => {
    const f = fake();
    watchJob({ job: { pid: 501, start: '77' }, lifetimeMs: SIX_HOURS }, f.deps);
    await f.advance(5 * JOB_POLL_MS);
    expect(f.state.removals).toBe(0);
    f.state.jobStart = '78'; // the pid now belongs to another process
    await f.advance(JOB_POLL_MS);
    expect(f.state.removals).toBe(1);
    expect(f.state.exited).toBe(0);
    expect(f.log[0]).toMatch(/runner process \(pid 501\) ended/);
  });

  test('the daemon does not let go: the port stays held, and the removal is tried again', async () => {
    const f = fake({ removals: [false, true] });
    watchJob({ job: { pid: 501, start: '77' }, lifetimeMs: SIX_HOURS }, f.deps);
    f.state.jobStart = '';
    await f.advance(JOB_POLL_MS);
    expect(f.state.exited).toBeUndefined();
    await f.advance(RETRY_MS);
    expect(f.state.removals).toBe(2);
    expect(f.state.exited).toBe(0);
  });

  test('the clock is a backstop when the job cannot be watched', async () => {
    const f = fake();
    watchJob({ lifetimeMs: SIX_HOURS }, f.deps);
    await f.advance(SIX_HOURS - 1);
    expect(f.state.removals).toBe(0);
    await f.advance(1);
    expect(f.state.removals).toBe(1);
    expect(f.state.exited).toBe(0);
  });

  test('SIGTERM after post took the entry out exits at once; otherwise it takes it out first', async () => {
    const done = fake({ listed: false });
    watchJob({ lifetimeMs: SIX_HOURS }, done.deps);
    done.sigterm[0]();
    await done.advance(0);
    expect([done.state.removals, done.state.exited]).toEqual([0, 0]);

    const listed = fake({ listed: true });
    watchJob({ lifetimeMs: SIX_HOURS }, listed.deps);
    listed.sigterm[0]();
    await listed.advance(0);
    expect([listed.state.removals, listed.state.exited]).toEqual([1, 0]);
  });
});
