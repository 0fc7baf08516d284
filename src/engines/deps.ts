// The real EngineDeps: this machine's files, PATH, job and root. Everything here is what tests
// replace; rows never reach for process or node:fs themselves.
import fs from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { processStart } from '../mirror/daemon-process.js';
import type { MirrorHost } from '../mirror/setup.js';
import type { Exec } from '../runner/exec.js';
import type { Runtime } from '../runner/runtime.js';
import { DEFAULT_HOSTS_DIR } from './containerd.js';
import type { EngineDeps, Env } from './engine.js';
import { jobAlive, jobRef, stepIdOf } from './job.js';
import { realHostsEditDeps, runHostsEdit } from './privileged.js';

export interface EngineHost {
  runtime: Runtime;
  env: Env;
  exec: Exec;
  now?: () => number;
  mirror?: MirrorHost;
  /** Any real value replaced (tests). */
  engines?: Partial<EngineDeps>;
}

/** A command on PATH (a file, so no process is started to find out). */
export const onPathOf =
  (env: Env) =>
  (command: string): boolean =>
    (env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir !== '' && fs.existsSync(join(dir, command)));

export function engineDeps(host: EngineHost): EngineDeps {
  const { env } = host;
  const isJobAlive = host.engines?.isJobAlive ?? jobAlive(processStart);
  const job =
    'job' in (host.engines ?? {}) ? host.engines?.job : jobRef(process.ppid, processStart);
  const editDeps = realHostsEditDeps(isJobAlive);
  return {
    runtime: host.runtime,
    env,
    exec: host.exec,
    now: host.now,
    mirror: host.mirror,
    fs,
    home: env.HOME || homedir(),
    hostsDir: DEFAULT_HOSTS_DIR,
    runnerTemp: env.RUNNER_TEMP || tmpdir(),
    onPath: onPathOf(env),
    job,
    isJobAlive,
    stepId: stepIdOf(job, process.pid),
    hostsEdit: (request) =>
      runHostsEdit(request, { exec: host.exec, mirror: host.mirror, editDeps }),
    ...host.engines,
  };
}
