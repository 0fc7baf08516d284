import { describe, expect, jest, test } from '@jest/globals';
import path from 'node:path';
import { compileCacheDir, enableCompileCache } from '../../../src/startup/compile-cache.js';

describe('compileCacheDir', () => {
  test('prefers the tool cache, which outlives the job on a self-hosted runner', () => {
    expect(compileCacheDir({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', RUNNER_TEMP: '/t' })).toBe(
      path.join('/opt/hostedtoolcache', 'ecr-public-login', 'compile-cache'),
    );
  });
  test("falls back to the job's temp folder, and to nothing outside a runner", () => {
    expect(compileCacheDir({ RUNNER_TEMP: '/t' })).toBe(
      path.join('/t', 'ecr-public-login', 'compile-cache'),
    );
    expect(compileCacheDir({})).toBeUndefined();
  });
});

describe('enableCompileCache', () => {
  const env = { RUNNER_TOOL_CACHE: '/cache' };
  test('turns the cache on in the tool cache when node has it', () => {
    const enable = jest.fn((_dir: string) => ({ status: 1 }));
    enableCompileCache(env, { enableCompileCache: enable });
    expect(enable).toHaveBeenCalledWith(path.join('/cache', 'ecr-public-login', 'compile-cache'));
  });
  test('does nothing on a node without it (Node 20), outside a runner, on a fresh GitHub-hosted VM, or when disabled', () => {
    expect(() => enableCompileCache(env, {})).not.toThrow();
    const enable = jest.fn();
    enableCompileCache({}, { enableCompileCache: enable });
    enableCompileCache(
      { ...env, RUNNER_ENVIRONMENT: 'github-hosted' },
      { enableCompileCache: enable },
    );
    enableCompileCache({ ...env, NODE_DISABLE_COMPILE_CACHE: '1' }, { enableCompileCache: enable });
    expect(enable).not.toHaveBeenCalled();
  });
  test('an unusable cache folder never breaks the step', () => {
    const enable = jest.fn(() => {
      throw new Error('EACCES: permission denied');
    });
    expect(() => enableCompileCache(env, { enableCompileCache: enable })).not.toThrow();
  });
});
