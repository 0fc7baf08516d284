// The mirror's end of life. It ends with its job: when the process that started the job's steps
// (main's parent: Runner.Worker, which lives exactly as long as the job) is gone, on SIGTERM, or
// after a backstop clock. Before it exits it takes its own entry out of the daemon's config and
// sees the daemon let go, as post does: its port stays held while any daemon config names it.

/** A process by pid and start time (/proc/<pid>/stat), so a reused pid does not count. */
export interface JobRef {
  pid: number;
  start: string;
}

/** What main tells the mirror (argv, no secret): its job, and the daemon config naming it. */
export interface MirrorLife {
  job?: JobRef;
  lifetimeMs: number;
  configFile: string;
  daemonPid: number;
  socket: string;
  /** The daemon's own flags name this mirror (`mirror-port`): no entry of ours to take out. */
  configured?: boolean;
}

export interface JobWatchOptions {
  /** The job's runner process; undefined: the clock alone. */
  job?: JobRef;
  lifetimeMs: number;
}

export interface JobWatchDeps {
  /** A process's start time; undefined when it is gone. */
  startOf: (pid: number) => string | undefined;
  /** Our entry out, reload, confirmed: true once no daemon config names our port. */
  removeEntry: () => Promise<boolean>;
  /** Does the daemon list our mirror? undefined when it does not answer. */
  listed: () => Promise<boolean | undefined>;
  every: (ms: number, fn: () => void) => void;
  after: (ms: number, fn: () => void) => void;
  onSigterm: (fn: () => void) => void;
  log: (line: string) => void;
  exit: (code: number) => void;
}

export const JOB_POLL_MS = 1_000;
export const RETRY_MS = 30_000;

export function watchJob(o: JobWatchOptions, deps: JobWatchDeps): { end: (why: string) => void } {
  let ending = false;
  const end = (why: string) => {
    if (ending) return;
    ending = true;
    deps.log(`ending: ${why}; taking this mirror out of the daemon's config first`);
    void leave(deps);
  };
  const { job } = o;
  if (job) {
    deps.every(JOB_POLL_MS, () => {
      if (deps.startOf(job.pid) !== job.start)
        end(`the job's runner process (pid ${job.pid}) ended`);
    });
  }
  deps.after(o.lifetimeMs, () => end(`lifetime of ${o.lifetimeMs / 3_600_000} h reached`));
  deps.onSigterm(() => void onSigterm(deps, end));
  return { end };
}

/** Post has already taken the entry out before its SIGTERM: then exit at once. */
async function onSigterm(deps: JobWatchDeps, end: (why: string) => void): Promise<void> {
  if ((await deps.listed()) === false) {
    deps.log('stopping: SIGTERM (the daemon no longer lists this mirror)');
    deps.exit(0);
  } else end('SIGTERM while the daemon may still list this mirror');
}

/** Exits only once no config names the port; until then it holds the port and retries. */
async function leave(deps: JobWatchDeps): Promise<void> {
  for (;;) {
    const done = await deps.removeEntry().catch((error: unknown) => {
      deps.log(`could not take the entry out: ${(error as Error).message}`);
      return false;
    });
    if (done) {
      deps.log('stopping: the daemon no longer lists this mirror');
      return deps.exit(0);
    }
    deps.log(
      `the daemon may still list this mirror: keeping its port, next try in ${RETRY_MS / 1000} s`,
    );
    await new Promise<void>((resolve) => deps.after(RETRY_MS, resolve));
  }
}
