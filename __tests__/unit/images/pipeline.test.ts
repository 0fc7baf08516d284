import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { runImagePipeline } from '../../../src/images/pipeline.js';
import { Timings } from '../../../src/common/timings.js';
import { parseSettings } from '../../../src/settings.js';
import { computeOutputs } from '../../../src/report/outputs.js';
import { recordingRuntime } from '../../fixtures/runtime.js';

const run = async (inputs: Record<string, string>, env: Record<string, string> = {}) => {
  const runtime = recordingRuntime(inputs);
  const settings = parseSettings(runtime.getInput);
  const outputs = computeOutputs({
    target: ECR_PUBLIC_TARGET,
    loggedIn: ['docker.io'],
    fallbackUsed: true,
  });
  const timing = new Timings();
  const rows = await runImagePipeline(settings.images, settings.network, outputs, {
    runtime,
    env,
    logins: { credentials: () => undefined },
    timing,
  });
  return { runtime, outputs, rows, phases: timing.entries().map(([p]) => p) };
};

describe('the image phase in the step', () => {
  it('costs nothing when neither images nor rewrite is set', async () => {
    const r = await run({});
    expect(r.rows).toBeUndefined();
    expect(r.phases).toEqual([]);
    expect(r.outputs.images).toBe('{}');
  });

  it('after the Docker Hub fallback, maps images to Docker Hub without asking any registry', async () => {
    const r = await run({ images: 'nginx:1.27, ghcr.io/o/i:t' });
    expect(JSON.parse(r.outputs.images)).toEqual({
      'nginx:1.27': 'docker.io/library/nginx:1.27',
      'ghcr.io/o/i:t': 'ghcr.io/o/i:t',
    });
    expect(JSON.parse(r.outputs['images-not-mirrored'])).toEqual([
      { reference: 'nginx:1.27', reason: 'no mirror logged in' },
      { reference: 'ghcr.io/o/i:t', reason: 'not a Docker Hub image' },
    ]);
    expect(r.phases).toEqual(['image resolution']);
  });

  it('a failure is a warning, never a failed step', async () => {
    const r = await run({ rewrite: 'Dockerfile' }, { GITHUB_WORKSPACE: '/nonexistent/workspace' });
    expect(r.rows).toBeUndefined();
    expect(r.runtime.errors).toEqual([]);
    expect(r.runtime.warnings).toEqual([
      expect.stringMatching(/^Image resolution failed \(.*ENOENT.*\); no file was rewritten/),
    ]);
    expect(r.outputs['rewritten-files']).toBe('[]');
  });
});
