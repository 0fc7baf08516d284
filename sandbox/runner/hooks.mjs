// @ts-check
// Job hooks as the runner runs them (actions/runner JobExtension + JobHookProvider): the script
// named by ACTIONS_RUNNER_HOOK_JOB_STARTED runs as the first pre-job step, before "Initialize
// containers" pulls the job's `container:` and `services:` images, and the one named by
// ACTIONS_RUNNER_HOOK_JOB_COMPLETED as the last post-job step, both with condition always().
// Each runs like a `run:` step (ScriptHandler): bash for a .sh file, the step's environment and
// file commands, the ID-token variables when the job may have a token, its output in the job log
// with workflow commands read. The variables are read from the runner's own environment (env).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './process.mjs';
import { buildEnv, prepareStep, runJob, stepResult } from './step.mjs';
import { createCommandProcessor } from './workflow-commands.mjs';

/**
 * @typedef {import('./types.mjs').StepOptions} StepOptions
 * @typedef {import('./types.mjs').StepResult} StepResult
 * @typedef {{ image: string, exitCode: number | null, output: string, durationMs: number }} ContainerPull
 */

/**
 * One hook script in the job folder, as the runner would run it; undefined when not set.
 * @param {string} workDir
 * @param {string | undefined} script
 * @param {Omit<StepOptions, 'phase'>} options
 * @returns {Promise<StepResult | undefined>}
 */
export async function runHookScript(workDir, script, options) {
  if (!script) return undefined;
  const step = prepareStep(workDir, { recordDocker: false, measureRss: false });
  const env = buildEnv({ ...options, recordDocker: false, phase: 'main' }, step, {});
  const processor = createCommandProcessor({ debug: options.debug === true, allowUnsecure: false });
  // The runner's default for a .sh file: bash --noprofile --norc -e -o pipefail {0}.
  const proc = await runProcess(
    {
      nodePath: 'bash',
      args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', script],
      env,
      cwd: step.dirs.workspace,
      timeoutMs: options.timeoutMs ?? 60_000,
    },
    processor.handle,
  );
  const options2 = { ...options, phase: /** @type {'main'} */ ('main'), recordDocker: false };
  return stepResult(options2, step, processor, proc, env);
}

/**
 * "Initialize containers": `docker pull` of one job image with the runner's own environment.
 * @param {string} image
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<ContainerPull>}
 */
export function pullContainer(image, env) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('docker', ['pull', image], {
      env: /** @type {NodeJS.ProcessEnv} */ (env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('close', (exitCode) =>
      resolve({ image, exitCode, output, durationMs: performance.now() - started }),
    );
  });
}

/**
 * A whole job: the started hook, the container pulls, the action's main and post (unless
 * `withStep` is false), then `between` (checks while the job still runs), the completed hook.
 * @param {Omit<StepOptions, 'phase' | 'state'> & {
 *   containers?: string[], withStep?: boolean, between?: () => Promise<void>,
 * }} options
 */
export async function runHookedJob(options) {
  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-job-'));
  /** @type {Record<string, string | undefined>} */
  const runnerEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  try {
    const started = await runHookScript(
      workDir,
      runnerEnv.ACTIONS_RUNNER_HOOK_JOB_STARTED,
      options,
    );
    const containers = [];
    for (const image of options.containers ?? [])
      containers.push(await pullContainer(image, runnerEnv));
    const job = options.withStep === false ? undefined : await runJob({ ...options, workDir });
    await options.between?.();
    const completed = await runHookScript(
      workDir,
      runnerEnv.ACTIONS_RUNNER_HOOK_JOB_COMPLETED,
      options,
    );
    return { started, containers, main: job?.main, post: job?.post, completed, workDir };
  } finally {
    if (ownWorkDir && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}
