// The runner hooks' story: job-started logs in as the step would (configured by ECR_PUBLIC_LOGIN_*),
// job-completed undoes exactly that; a failure is a warning and never an exception; a step of the
// same job composes with the hook (its post puts the hook's login back, not the original).
import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runHook } from '../../src/hook.js';
import {
  auth,
  HUB_KEY,
  ROLE,
  runMainFor,
  runPostFor,
  setupJob,
  type Job,
} from '../fixtures/job.js';

async function hook(
  j: Job,
  event: 'job-started' | 'job-completed',
  env: Record<string, string> = {},
) {
  const lines: string[] = [];
  await runHook(event, {
    env: { ...j.runner.env, ACTIONS_RUNNER_HOOK_JOB_COMPLETED: '/x/job-completed.sh', ...env },
    exec: j.exec.exec,
    loadSdk: j.sdk.loadSdk,
    sleep: async () => undefined,
    write: (text) => void lines.push(...text.trimEnd().split('\n')),
    parentPid: process.pid,
  });
  return lines;
}

const stateFile = (j: Job) => join(j.runner.runnerTemp, 'ecr-public-login-hook', 'state.json');

describe('runner hooks', () => {
  test("job-started logs in to the runner's docker config; job-completed puts it back", async () => {
    const j = await setupJob();
    j.runner.writeDockerConfig({ auths: { [HUB_KEY]: { auth: auth('me', 'mine') } } });
    const started = await hook(j, 'job-started', { ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME: ROLE });
    expect(started.filter((l) => l.startsWith('::warning'))).toEqual([]);
    expect(started).toContainEqual(expect.stringMatching(/^Logged in to public\.ecr\.aws with/));
    expect(started.at(-1)).toMatch(/job-started hook: done/);
    expect(Object.keys(j.runner.readDockerConfig().auths ?? {})).toEqual([
      HUB_KEY,
      'public.ecr.aws',
    ]);
    expect(existsSync(stateFile(j))).toBe(true);

    const completed = await hook(j, 'job-completed');
    expect(completed).toContainEqual('Logged out of public.ecr.aws.');
    expect(completed.at(-1)).toMatch(/job-completed hook: undid/);
    expect(j.runner.readDockerConfig().auths).toEqual({ [HUB_KEY]: { auth: auth('me', 'mine') } });
    expect(existsSync(stateFile(j))).toBe(false);
  });

  test("a step of the same job logs in too: its post leaves the hook's login in place", async () => {
    const j = await setupJob();
    await hook(j, 'job-started', { ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME: ROLE });
    const hookLogin = j.runner.readDockerConfig().auths?.['public.ecr.aws'];
    const main = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(main.code).toBe(0);
    await runPostFor(j, main.runtime.savedState);
    expect(j.runner.readDockerConfig().auths?.['public.ecr.aws']).toEqual(hookLogin);
    await hook(j, 'job-completed');
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
  });

  test('no credentials: a warning naming what to do, and the job goes on', async () => {
    const j = await setupJob({ oidc: { oidcEnv: false } });
    const lines = await hook(j, 'job-started', { ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME: ROLE });
    expect(lines.filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^::warning.*no GitHub OIDC token/));
    expect(lines.at(-1)).toMatch(/the login failed .* the job goes on without it/);
    expect(await hook(j, 'job-completed')).toContainEqual(expect.stringMatching(/undid/));
  });

  test('a bad variable is named as the variable', async () => {
    const j = await setupJob();
    const lines = await hook(j, 'job-started', { ECR_PUBLIC_LOGIN_DOCKER_MIRROR: 'yes' });
    expect(lines).toContainEqual(
      expect.stringMatching(/^::warning.*ECR_PUBLIC_LOGIN_DOCKER_MIRROR must be true or false/),
    );
  });

  test('outside a runner job (no RUNNER_TEMP), and without the completed hook configured', async () => {
    const j = await setupJob();
    expect(await hook(j, 'job-started', { RUNNER_TEMP: '' })).toEqual([
      expect.stringMatching(/^::warning::.*RUNNER_TEMP is not set.*nothing done/),
    ]);
    const lines = await hook(j, 'job-started', { ACTIONS_RUNNER_HOOK_JOB_COMPLETED: '' });
    expect(lines).toContainEqual(
      expect.stringMatching(/^::warning::ACTIONS_RUNNER_HOOK_JOB_COMPLETED is not set/),
    );
  });

  test('job-completed without job-started: nothing to undo', async () => {
    const j = await setupJob();
    expect(await hook(j, 'job-completed')).toEqual([expect.stringMatching(/nothing to undo/)]);
  });
});
