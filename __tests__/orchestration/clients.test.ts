// The clients decisions in whole main/post steps (issue 19, issue 20 item 1): without a docker CLI
// the login is checked in process and written, nothing is spawned, the password reaches no argv
// or env; a refusal fails the step with the registry's answer; with a helper, `docker login`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { runMain } from '../../src/main.js';
import { runPost } from '../../src/post.js';
import type { ClientsOptions } from '../../src/clients/session.js';
import { base64 } from '../fixtures/aws-sdk.js';
import { ROLE, setupJob, type Job } from '../fixtures/job.js';
import { startRegistryServer } from '../fixtures/registry-server.js';
import { recordingRuntime } from '../fixtures/runtime.js';

const inputs = { 'role-to-assume': ROLE };

async function mainWith(job: Job, clients: ClientsOptions) {
  const runtime = recordingRuntime(inputs, {}, job.runner.env);
  const code = await runMain({
    runtime,
    env: job.runner.env,
    exec: job.exec.exec,
    loadSdk: job.sdk.loadSdk,
    sleep: async () => undefined,
    clients,
  });
  return { code, runtime };
}

async function registryFor(job: Job, password = job.sdk.password) {
  const server = await startRegistryServer({ auth: 'bearer-aws', username: 'AWS', password });
  job.onClose(() => server.close());
  return server;
}

const configOf = (job: Job) => join(job.runner.env.DOCKER_CONFIG!, 'config.json');

test('no docker CLI: checked in process, written as docker would, no process spawned; post restores', async () => {
  const job = await setupJob();
  const server = await registryFor(job);
  const before = '{"auths":{}}';
  writeFileSync(configOf(job), before);
  const { code, runtime } = await mainWith(job, { docker: null, origin: () => server.url });
  expect(runtime.errors).toEqual([]);
  expect(code).toBe(0);
  expect(job.exec.calls).toEqual([]);
  const auths = JSON.parse(readFileSync(configOf(job), 'utf8')).auths;
  expect(auths).toEqual({ 'public.ecr.aws': { auth: base64(`AWS:${job.sdk.password}`) } });
  expect(runtime.secrets).toContain(job.sdk.password);
  expect(JSON.stringify(runtime.savedState)).not.toContain(job.sdk.password);
  const post = recordingRuntime({}, runtime.savedState, job.runner.env);
  await runPost({ runtime: post, env: job.runner.env, exec: job.exec.exec });
  expect(readFileSync(configOf(job), 'utf8')).toBe(before);
});

test("no docker CLI, wrong password: the step fails with the registry's answer and the target's fix", async () => {
  const job = await setupJob();
  const server = await registryFor(job, 'not-the-password');
  const { code, runtime } = await mainWith(job, { docker: null, origin: () => server.url });
  expect(code).toBe(1);
  expect(runtime.errors.join('\n')).toMatch(/the registry rejected the credentials \(.+\)/);
  expect(runtime.errors.join('\n')).not.toContain(job.sdk.password);
});

test('a known docker CLI and a credsStore: `docker login`, password on stdin only', async () => {
  const job = await setupJob();
  const server = await registryFor(job);
  writeFileSync(configOf(job), '{"credsStore":"desktop"}');
  const docker = { path: '/usr/bin/docker', version: '28.2.2' };
  await mainWith(job, { docker, origin: () => server.url });
  const login = job.exec.calls.find((c) => c.args[0] === 'login');
  expect(login?.args).not.toContain(job.sdk.password);
  expect(login?.options?.input).toBe(job.sdk.password);
  expect(JSON.stringify(login?.options?.env)).not.toContain(job.sdk.password);
});

test('a known docker CLI and no helper: no docker process for the login', async () => {
  const job = await setupJob();
  const server = await registryFor(job);
  writeFileSync(configOf(job), '{"auths":{"ghcr.io":{"auth":"eDp5"}}}');
  const docker = { path: '/usr/bin/docker', version: '28.2.2' };
  const { code } = await mainWith(job, { docker, origin: () => server.url });
  expect(code).toBe(0);
  expect(job.exec.calls.filter((c) => c.args[0] === 'login')).toEqual([]);
});

test("no docker CLI, a credsStore: the login goes to the helper, and post erases only this step's entry", async () => {
  const helper: Record<string, { Username: string; Secret: string }> = {};
  const job = await setupJob({
    exec: {
      'docker-credential-desktop': (call) => {
        const verb = call.args[0];
        const input = call.options.input ?? '';
        if (verb === 'store') helper[JSON.parse(input).ServerURL] = JSON.parse(input);
        if (verb === 'erase') delete helper[input];
        if (verb !== 'get') return {};
        return helper[input]
          ? { stdout: JSON.stringify(helper[input]) }
          : { exitCode: 1, stdout: 'credentials not found in native keychain' };
      },
    },
  });
  const server = await registryFor(job);
  writeFileSync(configOf(job), '{"credsStore":"desktop"}');
  const { code, runtime } = await mainWith(job, { docker: null, origin: () => server.url });
  expect(code).toBe(0);
  expect(helper['public.ecr.aws']?.Secret).toBe(job.sdk.password);
  expect(JSON.stringify(runtime.savedState)).not.toContain(job.sdk.password);
  const post = recordingRuntime({}, runtime.savedState, job.runner.env);
  await runPost({ runtime: post, env: job.runner.env, exec: job.exec.exec });
  expect(post.warnings).toEqual([]);
  expect(post.log).toContain(
    "public.ecr.aws: removed this step's docker-credential-desktop entry.",
  );
  expect(helper).toEqual({});
  expect(JSON.parse(readFileSync(configOf(job), 'utf8'))).toEqual({ credsStore: 'desktop' });
});
