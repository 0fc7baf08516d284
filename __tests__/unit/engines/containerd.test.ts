import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CONTAINERD_STATE_KEY,
  containerdRow,
  hostsToml,
  mirrorUrl,
} from '../../../src/engines/containerd.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { postDeps, testDeps } from './deps.js';

const source = (prefix = 'public.ecr.aws/docker/library') => ({
  registry: ECR_PUBLIC_TARGET,
  prefix,
  credentials: { username: 'AWS', password: 'pw' },
});

describe('containerd row', () => {
  test.each([
    ['public.ecr.aws/docker/library', 'https://public.ecr.aws/v2/docker'],
    ['h.example/hub/library', 'https://h.example/v2/hub'],
    ['h.example/library', 'https://h.example/v2'],
    ['h.example/other', undefined],
  ])('mirror of %s: %s', (prefix, url) => {
    expect(mirrorUrl(prefix)).toBe(url);
  });

  test('the hosts.toml docs/engines.md proved, no credential in it', () => {
    const toml = hostsToml('https://public.ecr.aws/v2/docker');
    expect(toml).toContain(
      'server = "https://registry-1.docker.io"\n\n[host."https://public.ecr.aws/v2/docker"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
    );
    expect(toml).not.toMatch(/header|authorization/i);
  });

  test('writes docker.io/hosts.toml; post puts the hosts folder back as it was', async () => {
    const deps = testDeps();
    const file = await containerdRow.setUp(source(), deps);
    expect(file).toBe(path.join(deps.hostsDir, 'docker.io/hosts.toml'));
    expect(readFileSync(file!, 'utf8')).toBe(hostsToml('https://public.ecr.aws/v2/docker'));
    expect(await containerdRow.undo(postDeps(deps))).toEqual([
      `mirror containerd: ${file} put back as it was.`,
    ]);
    expect(existsSync(path.join(deps.root, 'etc'))).toBe(false);
  });

  test('a registry that refuses anonymous pulls is declined with the reason', async () => {
    const deps = testDeps();
    await expect(
      containerdRow.setUp(
        source('123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library'),
        deps,
      ),
    ).rejects.toThrow(/refuses anonymous pulls/);
    expect(deps.runtime.savedState[CONTAINERD_STATE_KEY]).toBeUndefined();
  });

  test('the edit failing (no root, no sudo) is an error saying what to do; post then has nothing to undo', async () => {
    const deps = testDeps({
      hostsEdit: async () => {
        throw new Error('editing needs root');
      },
    });
    await expect(containerdRow.setUp(source(), deps)).rejects.toThrow('editing needs root');
    const post = postDeps(deps, {
      hostsEdit: async () => ({ restored: 'absent', pruned: [] }),
    });
    expect((await containerdRow.undo(post))[0]).toContain("no longer had this job's entry");
  });
});
