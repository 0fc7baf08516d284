import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compileCacheDir,
  enableCompileCache,
  type CacheHost,
} from '../../../src/startup/compile-cache.js';

const uid = process.getuid!();
const realHost: CacheHost = {
  uid,
  mkdir: (dir, mode) => void fs.mkdirSync(dir, { recursive: true, mode }),
  lstat: (dir) => fs.lstatSync(dir),
};

describe('compileCacheDir', () => {
  test('prefers the tool cache, which outlives the job on a self-hosted runner; one folder per user', () => {
    expect(
      compileCacheDir({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', RUNNER_TEMP: '/t' }, 1001),
    ).toBe(path.join('/opt/hostedtoolcache', 'ecr-public-login', 'compile-cache', '1001'));
  });
  test("falls back to the job's temp folder, and to nothing outside a runner", () => {
    expect(compileCacheDir({ RUNNER_TEMP: '/t' }, 0)).toBe(
      path.join('/t', 'ecr-public-login', 'compile-cache', '0'),
    );
    expect(compileCacheDir({}, 0)).toBeUndefined();
  });
});

describe('enableCompileCache', () => {
  let root: string;
  let env: Record<string, string>;
  let dir: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-cache-'));
    env = { RUNNER_TOOL_CACHE: root };
    dir = path.join(root, 'ecr-public-login', 'compile-cache', String(uid));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const enabler = () => jest.fn((_dir: string) => ({ status: 1 }));

  test('makes a folder of its own, 0700, and turns the cache on there', () => {
    const enable = enabler();
    expect(enableCompileCache(env, { enableCompileCache: enable }, realHost)).toBeUndefined();
    expect(enable).toHaveBeenCalledWith(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    // a second job of the same user uses it again
    expect(enableCompileCache(env, { enableCompileCache: enable }, realHost)).toBeUndefined();
    expect(enable).toHaveBeenCalledTimes(2);
  });

  test('a folder others can write is not used, and the debug line says why', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    const enable = enabler();
    expect(enableCompileCache(env, { enableCompileCache: enable }, realHost)).toBe(
      `compile cache off: ${dir} is writable by others (mode 777)`,
    );
    fs.chmodSync(dir, 0o720);
    expect(enableCompileCache(env, { enableCompileCache: enable }, realHost)).toMatch(
      /writable by others \(mode 720\)/,
    );
    expect(enable).not.toHaveBeenCalled();
  });

  test('a symlink planted where the folder goes is not followed', () => {
    const planted = fs.mkdtempSync(path.join(root, 'planted-'));
    fs.chmodSync(planted, 0o700);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.symlinkSync(planted, dir);
    const enable = enabler();
    expect(enableCompileCache(env, { enableCompileCache: enable }, realHost)).toBe(
      `compile cache off: ${dir} is not a folder`,
    );
    expect(enable).not.toHaveBeenCalled();
  });

  test('a folder another user made (or owns) is not used', () => {
    const enable = enabler();
    const other: CacheHost = { ...realHost, uid: uid + 1 };
    fs.mkdirSync(path.join(root, 'ecr-public-login', 'compile-cache', String(uid + 1)), {
      recursive: true,
      mode: 0o700,
    });
    expect(enableCompileCache(env, { enableCompileCache: enable }, other)).toMatch(
      new RegExp(`belongs to uid ${uid}, not to uid ${uid + 1}$`),
    );
    expect(enable).not.toHaveBeenCalled();
  });

  test('does nothing on a node without it (Node 20), outside a runner, on a fresh GitHub-hosted VM, without users (Windows), or when disabled', () => {
    expect(enableCompileCache(env, {}, realHost)).toBeUndefined();
    const enable = jest.fn();
    enableCompileCache({}, { enableCompileCache: enable }, realHost);
    enableCompileCache(
      { ...env, RUNNER_ENVIRONMENT: 'github-hosted' },
      { enableCompileCache: enable },
      realHost,
    );
    enableCompileCache(
      { ...env, NODE_DISABLE_COMPILE_CACHE: '1' },
      { enableCompileCache: enable },
      realHost,
    );
    enableCompileCache(env, { enableCompileCache: enable }, { ...realHost, uid: undefined });
    expect(enable).not.toHaveBeenCalled();
  });

  test('an unusable cache folder never breaks the step', () => {
    const enable = jest.fn(() => {
      throw new Error('EACCES: permission denied');
    });
    expect(() => enableCompileCache(env, { enableCompileCache: enable }, realHost)).not.toThrow();
    const failing: CacheHost = {
      ...realHost,
      mkdir: () => {
        throw new Error('EROFS: read-only file system');
      },
    };
    expect(enableCompileCache(env, { enableCompileCache: enable }, failing)).toMatch(/EROFS/);
  });
});
