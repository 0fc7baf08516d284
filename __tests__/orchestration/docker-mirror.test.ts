// docker-mirror in the step's story: the login's result never depends on the mirror.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { runMain } from '../../src/main.js';
import { ROLE, runMainFor, setupJob } from '../fixtures/job.js';
import { recordingRuntime } from '../fixtures/runtime.js';

describe('docker-mirror', () => {
  test('the fallback was used: no mirror, a notice, the step succeeds', async () => {
    const j = await setupJob({ oidc: { oidcEnv: false } });
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      'docker-mirror': 'true',
      clients: '["docker"]',
      ...j.fallback,
    });
    expect(run.code).toBe(0);
    expect(run.runtime.outputs['fallback-used']).toBe('true');
    expect(run.runtime.outputs['docker-mirror']).toBe('');
    expect(run.runtime.notices).toEqual([
      'docker-mirror is not active: the public.ecr.aws login failed, so docker pulls Docker official images from Docker Hub as usual.',
    ]);
    expect(run.runtime.savedState.mirror).toBeUndefined();
  });

  test('a mirror that cannot be set up is a warning; the login and its outputs stand', async () => {
    const j = await setupJob();
    const inputs = { 'role-to-assume': ROLE, 'docker-mirror': 'true' };
    const runtime = recordingRuntime(inputs, {}, j.runner.env);
    const code = await runMain({
      runtime,
      env: j.runner.env,
      exec: j.exec.exec,
      loadSdk: j.sdk.loadSdk,
      mirror: {
        execPath: process.execPath,
        mirrorBundle: path.resolve('dist/mirror/index.js'),
        isRoot: false,
        platform: 'darwin',
      },
    });
    expect(code).toBe(0);
    expect(runtime.errors).toEqual([]);
    expect(runtime.outputs).toMatchObject({ registry: 'public.ecr.aws', 'docker-mirror': '' });
    expect(runtime.warnings).toEqual([
      expect.stringMatching(
        /^docker-mirror is not active \(the login itself succeeded\): docker-mirror needs a Linux runner; this one runs darwin\./,
      ),
    ]);
    expect(runtime.savedState.mirror).toBeUndefined();
  });

  test('docker-mirror must be true or false', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-mirror': 'yes' });
    expect(run.code).toBe(1);
    expect(run.runtime.errors[0]).toContain(`'docker-mirror' must be true or false: got "yes"`);
  });
});
