// The `mirror` input in the step's story: each engine configured or a warning naming it, the
// outputs and summary saying what was written, and post undoing it (also after a failed write).
import { describe, expect, test } from '@jest/globals';
import fs, { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineDeps } from '../../src/engines/engine.js';
import { runMain } from '../../src/main.js';
import { runPost } from '../../src/post.js';
import { ROLE, setupJob, type Job } from '../fixtures/job.js';
import { recordingRuntime } from '../fixtures/runtime.js';

function engineFiles(job: Job, over: Partial<EngineDeps> = {}): Partial<EngineDeps> {
  const root = mkdtempSync(path.join(tmpdir(), 'engines-orch-'));
  job.onClose(() => rmSync(root, { recursive: true, force: true }));
  return {
    home: path.join(root, 'home'),
    hostsDir: path.join(root, 'etc/containerd/certs.d'),
    runnerTemp: root,
    onPath: (c) => ['podman', 'nerdctl'].includes(c),
    job: { pid: 4242, start: '1' },
    isJobAlive: () => true,
    stepId: '4242-1-7',
    ...over,
  };
}

const MIRROR_HOST = {
  execPath: process.execPath,
  mirrorBundle: path.resolve('dist/mirror/index.js'),
  isRoot: true,
  platform: 'linux' as const,
};

async function mainAndPost(job: Job, inputs: Record<string, string>, engines: Partial<EngineDeps>) {
  const runtime = recordingRuntime(inputs, {}, job.runner.env);
  const deps = { env: job.runner.env, exec: job.exec.exec, mirror: MIRROR_HOST, engines };
  const code = await runMain({ ...deps, runtime, loadSdk: job.sdk.loadSdk });
  const post = recordingRuntime({}, { ...runtime.savedState }, job.runner.env);
  return { code, runtime, post, runPost: () => runPost({ ...deps, runtime: post }) };
}

describe('mirror input', () => {
  test('auto: every engine present is configured and in the outputs and summary; post undoes all', async () => {
    const j = await setupJob();
    const engines = engineFiles(j);
    const run = await mainAndPost(j, { 'role-to-assume': ROLE, mirror: 'auto' }, engines);
    expect(run.code).toBe(0);
    expect(run.runtime.warnings).toEqual([]);
    const mirrors = JSON.parse(run.runtime.outputs.mirrors) as Record<string, string>;
    expect(Object.keys(mirrors)).toEqual(['containers', 'containerd', 'buildkit']);
    expect(run.runtime.outputs['buildkitd-config-file']).toBe(mirrors.buildkit);
    expect(run.runtime.outputs['docker-mirror']).toBe('');
    for (const file of Object.values(mirrors)) expect(existsSync(file)).toBe(true);
    expect(run.runtime.log.join('\n')).toContain(
      'mirror auto: containers, containerd, buildkit (skipped docker: only when named).',
    );
    expect(run.runtime.summary.join('\n')).toContain('| containerd |');
    await run.runPost();
    expect(run.post.warnings).toEqual([]);
    for (const file of Object.values(mirrors)) expect(existsSync(file)).toBe(false);
    expect(readdirSync(engines.runnerTemp!)).toEqual([]);
  });

  test('a write that fails is a warning naming the engine; the login stands and post cleans up', async () => {
    const j = await setupJob();
    const failing = {
      ...fs,
      renameSync: () => {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      },
    };
    const engines = engineFiles(j, { fs: failing });
    const run = await mainAndPost(j, { 'role-to-assume': ROLE, mirror: 'containers' }, engines);
    expect(run.code).toBe(0);
    expect(run.runtime.outputs.registry).toBe('public.ecr.aws');
    expect(run.runtime.outputs.mirrors).toBe('{}');
    expect(run.runtime.warnings).toEqual([
      expect.stringMatching(
        /^mirror containers is not configured \(the login itself succeeded\): .*EROFS/,
      ),
    ]);
    await run.runPost();
    expect(run.post.warnings).toEqual([]);
    expect(existsSync(path.join(engines.home!, '.config'))).toBe(false);
  });

  test('docker-mirror: true still means docker (its warning and outputs as before)', async () => {
    const j = await setupJob();
    const run = await mainAndPost(
      j,
      { 'role-to-assume': ROLE, 'docker-mirror': 'true' },
      {
        ...engineFiles(j),
      },
    );
    expect(run.code).toBe(0);
    expect(run.runtime.outputs.mirrors).toBe('{}');
    expect(run.runtime.warnings).toEqual([
      expect.stringMatching(/^docker-mirror is not active \(the login itself succeeded\)/),
    ]);
  });
});
