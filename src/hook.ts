// The runner's job hooks (ACTIONS_RUNNER_HOOK_JOB_STARTED / _COMPLETED, through dist/hooks/*.sh):
// job-started does what the step does, before the runner pulls the job's `container:` and
// `services:` images, configured by ECR_PUBLIC_LOGIN_* variables; job-completed undoes exactly
// that. Both always end well: a hook that fails fails every job of the fleet.
import { existsSync } from 'node:fs';
import { describeError } from './common/errors.js';
import { envInputs, envName } from './hooks/env-inputs.js';
import { jobProcess, type ReadStat } from './hooks/job-process.js';
import { hookRuntime } from './hooks/runtime.js';
import { hookStateFile, removeHookState } from './hooks/state-file.js';
import { runMain, type MainDeps } from './main.js';
import { runPost } from './post.js';
import { writeStdout } from './runner/stdout.js';

export const HOOK_EVENTS = ['job-started', 'job-completed'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookDeps extends Omit<MainDeps, 'runtime'> {
  write?: (text: string) => void;
  /** The hook's parent pid (tests); process.ppid when unset. */
  parentPid?: number;
  readStat?: ReadStat;
}

const say = (deps: HookDeps, line: string) => (deps.write ?? writeStdout)(`${line}\n`);

export async function runHook(event: HookEvent, deps: HookDeps): Promise<void> {
  const stateFile = hookStateFile(deps.env);
  if (!stateFile) {
    say(
      deps,
      `::warning::ecr-public-login ${event}: RUNNER_TEMP is not set, so this is not a runner's job hook; nothing done.`,
    );
    return;
  }
  try {
    if (event === 'job-started') await jobStarted(stateFile, deps);
    else await jobCompleted(stateFile, deps);
  } catch (error) {
    say(deps, `::warning::ecr-public-login ${event} hook: ${describeError(error)}`);
  }
}

async function jobStarted(stateFile: string, deps: HookDeps): Promise<void> {
  if (existsSync(stateFile)) {
    say(
      deps,
      `::warning::ecr-public-login job-started hook: ${stateFile} exists already (the hook ran twice in this job?); nothing done.`,
    );
    return;
  }
  const { getInput, notes } = envInputs(deps.env);
  const runtime = hookRuntime({ env: deps.env, getInput, stateFile, write: deps.write });
  for (const note of notes) runtime.warning(note);
  if (!deps.env.ACTIONS_RUNNER_HOOK_JOB_COMPLETED) {
    runtime.warning(
      "ACTIONS_RUNNER_HOOK_JOB_COMPLETED is not set: nothing will undo this hook at the end of the job (the mirror still ends with the job; the login stays in the runner's docker config). Set it to dist/hooks/job-completed.sh.",
    );
  }
  const parent = deps.parentPid ?? process.ppid;
  const mirror = deps.mirror && { ...deps.mirror, parentPid: jobProcess(parent, deps.readStat) };
  const code = await runMain({ ...deps, runtime, mirror });
  runtime.info(
    code === 0 && !runtime.failed()
      ? `ecr-public-login job-started hook: done (configured by ${envName('*')}); the job-completed hook undoes it.`
      : 'ecr-public-login job-started hook: the login failed (see the warning above); the job goes on without it.',
  );
}

async function jobCompleted(stateFile: string, deps: HookDeps): Promise<void> {
  if (!existsSync(stateFile)) {
    say(
      deps,
      'ecr-public-login job-completed hook: the job-started hook set nothing up in this job; nothing to undo.',
    );
    return;
  }
  const runtime = hookRuntime({ env: deps.env, getInput: () => '', stateFile, write: deps.write });
  await runPost({ runtime, env: deps.env, exec: deps.exec, mirror: deps.mirror });
  removeHookState(stateFile);
  runtime.info('ecr-public-login job-completed hook: undid what the job-started hook set up.');
}
