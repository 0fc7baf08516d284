import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildkitRow } from '../../../src/engines/buildkit.js';
import { buildkitdConfig } from '../../../src/images/buildkit.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { postDeps, testDeps } from './deps.js';

const source = {
  registry: ECR_PUBLIC_TARGET,
  prefix: 'public.ecr.aws/docker/library',
  credentials: { username: 'AWS', password: 'pw' },
};

describe('buildkit row', () => {
  test('the buildkitd-config TOML in a file under RUNNER_TEMP; post removes it', async () => {
    const deps = testDeps();
    const file = (await buildkitRow.setUp(source, deps))!;
    expect(file.startsWith(deps.runnerTemp)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(buildkitdConfig(source.prefix));
    expect(await buildkitRow.undo(postDeps(deps))).toEqual([`mirror buildkit: removed ${file}.`]);
    expect(existsSync(file)).toBe(false);
  });

  test('a file changed during the job stays', async () => {
    const deps = testDeps();
    const file = (await buildkitRow.setUp(source, deps))!;
    writeFileSync(file, 'mine');
    expect((await buildkitRow.undo(postDeps(deps)))[0]).toContain('changed during the job');
  });

  test('a prefix BuildKit cannot mirror to: an error', async () => {
    await expect(
      buildkitRow.setUp({ ...source, prefix: 'h.example/x' }, testDeps()),
    ).rejects.toThrow(/must end in \/library/);
  });
});
