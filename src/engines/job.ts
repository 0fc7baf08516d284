// Which job a file belongs to: the runner process that started this step (Runner.Worker on
// GitHub's runner, alive exactly as long as the job), by pid and start time so a reused pid
// does not count. The same rule docker-mirror's ledger uses.
import type { JobRef } from '../mirror/job-watch.js';

export type StartOf = (pid: number) => string | undefined;

export function jobRef(parentPid: number, startOf: StartOf): JobRef | undefined {
  const start = parentPid > 1 ? startOf(parentPid) : undefined;
  return start === undefined ? undefined : { pid: parentPid, start };
}

export const jobAlive =
  (startOf: StartOf) =>
  (job: JobRef): boolean =>
    startOf(job.pid) === job.start;

/** The step's id in file names: the job's pid and start, and this process (a job may run the step twice). */
export const stepIdOf = (job: JobRef | undefined, pid: number): string =>
  job ? `${job.pid}-${job.start}-${pid}` : `nojob-${pid}`;

/** The job in a step id, when it has one. */
export function jobOfStepId(id: string): JobRef | undefined {
  const m = /^(\d+)-(\d+)-\d+$/.exec(id);
  return m ? { pid: Number(m[1]), start: m[2] } : undefined;
}
