import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  closeSync,
  rmSync,
  statSync,
  writeFileSync,
  readSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authKey,
  backupEntry,
  configDir,
  createIsolatedDir,
  fingerprint,
  isIsolatedDir,
  readBackup,
  readConfig,
  removeDir,
  usesCredentialStore,
  writeConfig,
  type DockerConfig,
} from '../../../src/docker/config-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docker-config-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('configDir', () => {
  test.each<[string, Record<string, string>, string]>([
    ['DOCKER_CONFIG wins', { DOCKER_CONFIG: '/cfg', HOME: '/home/me' }, '/cfg'],
    ['else $HOME/.docker', { HOME: '/home/me' }, '/home/me/.docker'],
    [
      'an empty DOCKER_CONFIG is ignored',
      { DOCKER_CONFIG: '', HOME: '/home/me' },
      '/home/me/.docker',
    ],
  ])('%s', (_label, env, expected) => {
    expect(configDir(env)).toBe(expected);
  });

  test('without HOME it uses the account home directory', () => {
    expect(configDir({})).toBe(join(homedir(), '.docker'));
  });
});

describe('authKey', () => {
  test.each<[string, string]>([
    ['docker.io', 'https://index.docker.io/v1/'],
    ['public.ecr.aws', 'public.ecr.aws'],
    ['ghcr.io', 'ghcr.io'],
    ['registry.example.com:5000', 'registry.example.com:5000'],
  ])('%s → %s', (registry, key) => {
    expect(authKey(registry)).toBe(key);
  });
});

describe('readConfig', () => {
  test('a missing file reads as {}', () => {
    expect(readConfig(dir)).toEqual({});
    expect(readConfig(join(dir, 'no-such-dir'))).toEqual({});
  });

  test('an empty file reads as {}', () => {
    writeFileSync(join(dir, 'config.json'), '');
    expect(readConfig(dir)).toEqual({});
  });

  // Writing back what we could not read would lose every login in the file.
  test.each([
    '{',
    '{"auths": ',
    'not json',
    '\u0000\u0001',
    '[]',
    '{"auths": {"a": {"auth": "c2VjcmV0"},}}',
  ])('a damaged file %j is an error naming the file, never quoting it', (text) => {
    writeFileSync(join(dir, 'config.json'), text);
    const error = (() => {
      try {
        readConfig(dir);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.name).toBe('UnreadableConfigError');
    expect(error?.message).toContain(join(dir, 'config.json'));
    expect(error?.message).not.toContain('c2VjcmV0');
    expect(String(error)).toContain('docker-config: isolated');
  });

  // docker itself reads a file holding JSON null as an empty config.
  test('a file holding JSON null reads as {}', () => {
    writeFileSync(join(dir, 'config.json'), 'null');
    expect(readConfig(dir)).toEqual({});
  });

  test('reads auths, credsStore and unknown fields', () => {
    const config = {
      auths: { 'ghcr.io': { auth: 'dTpw' } },
      credsStore: 'desktop',
      currentContext: 'default',
      HttpHeaders: { 'User-Agent': 'x' },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    expect(readConfig(dir)).toEqual(config);
  });
});

describe('writeConfig', () => {
  const config: DockerConfig = {
    auths: { 'public.ecr.aws': { auth: 'QVdTOnB3' } },
    currentContext: 'default',
  };

  test('writes parseable JSON with mode 0600 and leaves no temporary file', () => {
    writeConfig(dir, config);
    const file = join(dir, 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(config);
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  test('replaces an existing file in one rename (a reader holding the old file sees it whole)', () => {
    const file = join(dir, 'config.json');
    const old = JSON.stringify({ auths: { old: { auth: 'b2xk' } } });
    writeFileSync(file, old, { mode: 0o644 });
    const inodeBefore = statSync(file).ino;
    const fd = openSync(file, 'r');
    try {
      writeConfig(dir, config);
      const buffer = Buffer.alloc(old.length + 10);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      expect(buffer.subarray(0, n).toString()).toBe(old);
    } finally {
      closeSync(fd);
    }
    expect(statSync(file).ino).not.toBe(inodeBefore);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(config);
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  test('round-trips through readConfig', () => {
    writeConfig(dir, config);
    expect(readConfig(dir)).toEqual(config);
  });

  test('throws when the folder does not exist (nothing is written elsewhere)', () => {
    expect(() => writeConfig(join(dir, 'missing'), config)).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('usesCredentialStore', () => {
  test.each<[string, DockerConfig, boolean]>([
    ['no helpers', { auths: {} }, false],
    ['credsStore', { credsStore: 'desktop' }, true],
    ['an empty credsStore', { credsStore: '' }, false],
    ['a credHelper for the registry', { credHelpers: { 'public.ecr.aws': 'ecr-login' } }, true],
    ['a credHelper for another registry', { credHelpers: { 'ghcr.io': 'x' } }, false],
  ])('%s → %s', (_label, config, expected) => {
    expect(usesCredentialStore(config, 'public.ecr.aws', 'public.ecr.aws')).toBe(expected);
  });

  test('a credHelper keyed by the Docker Hub v1 URL counts for docker.io', () => {
    const config = { credHelpers: { 'https://index.docker.io/v1/': 'pass' } };
    expect(usesCredentialStore(config, authKey('docker.io'), 'docker.io')).toBe(true);
  });
});

describe('fingerprint', () => {
  test('is the sha256 hex of the stored auth, never the secret itself', () => {
    const auth = Buffer.from('AWS:secret-password').toString('base64');
    const print = fingerprint({ auth });
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    expect(print).not.toContain(auth);
    expect(fingerprint({ auth })).toBe(print);
    expect(fingerprint({ auth: auth + 'x' })).not.toBe(print);
  });

  test('matches a known sha256 vector', () => {
    expect(fingerprint({ auth: 'abc' })).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test('uses identitytoken when there is no auth', () => {
    expect(fingerprint({ identitytoken: 'abc' })).toBe(fingerprint({ auth: 'abc' }));
    expect(fingerprint({ auth: 'a', identitytoken: 'b' })).toBe(fingerprint({ auth: 'a' }));
  });

  test.each<[string, Parameters<typeof fingerprint>[0]]>([
    ['no entry', undefined],
    ['an empty entry', {}],
    ['an empty auth', { auth: '' }],
  ])('%s → undefined', (_label, entry) => {
    expect(fingerprint(entry)).toBeUndefined();
  });
});

describe('backupEntry / readBackup', () => {
  const entry = { auth: Buffer.from('octo:old-token').toString('base64'), email: 'x@y' };

  test('saves the entry in RUNNER_TEMP, readable by the owner only', () => {
    const file = backupEntry(dir, entry);
    expect(file.startsWith(join(dir, 'ecr-public-login-'))).toBe(true);
    expect(file.endsWith('.json')).toBe(true);
    expect(mode(file)).toBe(0o600);
    expect(readBackup(file)).toEqual(entry);
  });

  test('each backup gets its own file', () => {
    const a = backupEntry(dir, entry);
    const b = backupEntry(dir, { auth: 'b' });
    expect(a).not.toBe(b);
    expect(readBackup(a)).toEqual(entry);
    expect(readBackup(b)).toEqual({ auth: 'b' });
  });

  test('without RUNNER_TEMP it uses the system temp folder', () => {
    const file = backupEntry(undefined, entry);
    try {
      expect(file.startsWith(join(tmpdir(), 'ecr-public-login-'))).toBe(true);
      expect(mode(file)).toBe(0o600);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('a missing or damaged backup reads as undefined', () => {
    expect(readBackup(join(dir, 'missing.json'))).toBeUndefined();
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"auth":');
    expect(readBackup(damaged)).toBeUndefined();
  });
});

describe('isolated config folder', () => {
  test('createIsolatedDir makes a fresh folder under RUNNER_TEMP; removeDir deletes it', () => {
    const a = createIsolatedDir(dir);
    const b = createIsolatedDir(dir);
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, 'docker-config-'))).toBe(true);
    expect(statSync(a).isDirectory()).toBe(true);
    expect(mode(a)).toBe(0o700);
    writeConfig(a, { auths: { x: { auth: 'eA==' } } });
    removeDir(a);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(true);
    expect(() => removeDir(a)).not.toThrow();
  });

  test('isIsolatedDir accepts only a folder createIsolatedDir made in RUNNER_TEMP', () => {
    expect(isIsolatedDir(createIsolatedDir(dir), dir)).toBe(true);
    expect(isIsolatedDir(join(dir, 'docker-config-abc', '..', '..'), dir)).toBe(false);
    expect(isIsolatedDir('/etc', dir)).toBe(false);
    expect(isIsolatedDir(join(dir, 'other'), dir)).toBe(false);
    expect(isIsolatedDir(join(dir, 'sub', 'docker-config-x'), dir)).toBe(false);
    expect(isIsolatedDir(join(homedir(), '.docker'), dir)).toBe(false);
  });
});
