import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupEntry, fingerprint, type AuthEntry } from '../../../src/docker/config-file.js';
import { ActionError } from '../../../src/common/errors.js';
import { undoLogin } from '../../../src/docker/logout.js';
import { loginToRegistry } from '../../../src/docker/login.js';
import type { LoginRecord } from '../../../src/runner/state.js';
import { dockerCliAnswer, fakeExec } from '../../fixtures/exec.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const OURS: AuthEntry = { auth: b64('AWS:fresh-ecr-password') };
const THEIRS: AuthEntry = { auth: b64('AWS:someone-elses-password') };
const PREVIOUS: AuthEntry = { auth: b64('octo:their-own-hub-token'), email: 'me@example.com' };
const OTHER: AuthEntry = { auth: b64('u:ghcr-token') };
const HUB_KEY = 'https://index.docker.io/v1/';

let cfg: string;
let temp: string;
beforeEach(() => {
  cfg = mkdtempSync(join(tmpdir(), 'logout-cfg-'));
  temp = mkdtempSync(join(tmpdir(), 'logout-tmp-'));
});
afterEach(() => {
  rmSync(cfg, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
});

const file = () => join(cfg, 'config.json');
const writeCfg = (config: unknown) => writeFileSync(file(), JSON.stringify(config));
const readCfg = () => JSON.parse(readFileSync(file(), 'utf8'));
const record = (over: Partial<LoginRecord> = {}): LoginRecord => ({
  registry: 'public.ecr.aws',
  configDir: cfg,
  fingerprint: fingerprint(OURS),
  ...over,
});

describe('undoLogin with inline auths', () => {
  test('removes our login and keeps everything else in config.json', async () => {
    writeCfg({ auths: { 'public.ecr.aws': OURS, 'ghcr.io': OTHER }, currentContext: 'default' });
    const f = fakeExec();
    const line = await undoLogin(record(), f.exec, {});
    expect(line).toBe('Logged out of public.ecr.aws.');
    expect(readCfg()).toEqual({ auths: { 'ghcr.io': OTHER }, currentContext: 'default' });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(f.calls).toEqual([]);
  });

  test('removes a Docker Hub login stored under its v1 URL key', async () => {
    writeCfg({ auths: { [HUB_KEY]: OURS, 'docker.io': OTHER } });
    const line = await undoLogin(record({ registry: 'docker.io' }), fakeExec().exec, {});
    expect(line).toBe('Logged out of docker.io.');
    expect(readCfg().auths).toEqual({ 'docker.io': OTHER });
  });

  test('leaves a login that replaced ours after this step', async () => {
    writeCfg({ auths: { 'public.ecr.aws': THEIRS } });
    const before = readFileSync(file(), 'utf8');
    const f = fakeExec();
    const line = await undoLogin(record(), f.exec, {});
    expect(line).toContain('public.ecr.aws');
    expect(line).toContain('replaced after this step');
    expect(line).toContain('left in place');
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(f.calls).toEqual([]);
  });

  test('restores the login our backup holds and deletes the backup', async () => {
    writeCfg({ auths: { [HUB_KEY]: OURS, 'ghcr.io': OTHER } });
    const backup = backupEntry(temp, PREVIOUS);
    const line = await undoLogin(record({ registry: 'docker.io', backup }), fakeExec().exec, {});
    expect(line).toBe(
      'docker.io: logged out and restored the login that was there before this step.',
    );
    expect(readCfg().auths).toEqual({ [HUB_KEY]: PREVIOUS, 'ghcr.io': OTHER });
    expect(existsSync(backup)).toBe(false);
  });

  test('a backup that has gone missing just removes our login', async () => {
    writeCfg({ auths: { 'public.ecr.aws': OURS } });
    const line = await undoLogin(
      record({ backup: join(temp, 'ecr-public-login-gone.json') }),
      fakeExec().exec,
      {},
    );
    expect(line).toBe('Logged out of public.ecr.aws.');
    expect(readCfg().auths).toEqual({});
  });

  test('a login removed already (e.g. docker logout in the job) → nothing to do', async () => {
    writeCfg({ auths: { 'ghcr.io': OTHER } });
    const before = readFileSync(file(), 'utf8');
    const f = fakeExec();
    const line = await undoLogin(record(), f.exec, {});
    expect(line).toBe('public.ecr.aws: no login left to remove.');
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(f.calls).toEqual([]);
  });

  test('no config.json at all → nothing to do, no file created', async () => {
    const line = await undoLogin(record(), fakeExec().exec, {});
    expect(line).toBe('public.ecr.aws: no login left to remove.');
    expect(existsSync(file())).toBe(false);
  });

  test('a damaged config.json → an error naming it (post warns), file left as it was', async () => {
    writeFileSync(file(), '{"auths": {');
    await expect(undoLogin(record(), fakeExec().exec, {})).rejects.toThrow(file());
    expect(readFileSync(file(), 'utf8')).toBe('{"auths": {');
  });
});

describe('undoLogin through docker logout', () => {
  test.each<[string, Record<string, unknown>]>([
    ['credsStore is set', { credsStore: 'desktop', auths: { 'public.ecr.aws': {} } }],
    ['a credHelper serves the registry', { credHelpers: { 'public.ecr.aws': 'ecr-login' } }],
  ])('%s → docker logout with DOCKER_CONFIG of the login', async (_label, config) => {
    writeCfg(config);
    const f = fakeExec();
    const line = await undoLogin(record(), f.exec, {
      PATH: '/usr/bin',
      DOCKER_CONFIG: '/elsewhere',
    });
    expect(line).toBe('Logged out of public.ecr.aws (docker logout).');
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].command).toBe('docker');
    expect(f.calls[0].args).toEqual(['logout', 'public.ecr.aws']);
    expect(f.calls[0].options.env).toEqual({ PATH: '/usr/bin', DOCKER_CONFIG: cfg });
    expect(f.calls[0].options.input).toBeUndefined();
  });

  test('no fingerprint (docker stored no inline auth) → docker logout', async () => {
    writeCfg({ auths: { [HUB_KEY]: OURS } });
    const f = fakeExec({ logout: dockerCliAnswer });
    const line = await undoLogin(
      record({ registry: 'docker.io', fingerprint: undefined }),
      f.exec,
      {},
    );
    expect(line).toBe('Logged out of docker.io (docker logout).');
    expect(f.calls.map((c) => c.args)).toEqual([['logout', 'https://index.docker.io/v1/']]);
    expect(readCfg().auths).toEqual({});
  });

  test('a failing docker logout rejects with an explained ActionError', async () => {
    writeCfg({ credsStore: 'desktop' });
    const f = fakeExec({
      logout: { exitCode: 1, stderr: 'error getting credentials - err: exit status 1, out: ``' },
    });
    const error = await undoLogin(record(), f.exec, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    expect((error as Error).message).toContain(
      'docker logout public.ecr.aws failed with exit code 1',
    );
  });
});

describe('login then logout on a shared config', () => {
  test('a Docker Hub login that was there before the step is back afterwards', async () => {
    writeCfg({ auths: { [HUB_KEY]: PREVIOUS }, currentContext: 'default' });
    const before = readCfg();
    const f = fakeExec({ login: dockerCliAnswer, logout: dockerCliAnswer });
    const rec = await loginToRegistry(f.exec, {
      registry: 'docker.io',
      username: 'octo-org',
      password: 'dckr_oat_new',
      configDir: cfg,
      restoreLater: true,
      runnerTemp: temp,
      env: {},
      timeoutMs: 1000,
    });
    expect(readCfg().auths[HUB_KEY]).not.toEqual(PREVIOUS);
    const line = await undoLogin(rec, f.exec, {});
    expect(line).toContain('restored');
    expect(readCfg()).toEqual(before);
    expect(rec.backup && existsSync(rec.backup)).toBe(false);
  });
});

describe('backups of a replaced login', () => {
  const hubLogin = (f: ReturnType<typeof fakeExec>, restoreLater = true) =>
    loginToRegistry(f.exec, {
      registry: 'docker.io',
      username: 'octo-org',
      password: 'dckr_oat_new',
      configDir: cfg,
      restoreLater,
      runnerTemp: temp,
      env: {},
      timeoutMs: 1000,
    });
  const backups = () => readdirSync(temp).filter((n) => n.startsWith('ecr-public-login-'));

  test('a login that fails leaves no backup behind, and the old login untouched', async () => {
    writeCfg({ auths: { [HUB_KEY]: PREVIOUS } });
    const f = fakeExec({
      login: { exitCode: 1, stderr: 'unauthorized: incorrect username or password' },
    });
    await expect(hubLogin(f)).rejects.toThrow(/rejected the credentials/);
    expect(backups()).toEqual([]);
    expect(readCfg().auths[HUB_KEY]).toEqual(PREVIOUS);
  });

  test('with logout: false nothing is backed up (post will not restore)', async () => {
    writeCfg({ auths: { [HUB_KEY]: PREVIOUS } });
    const rec = await hubLogin(fakeExec({ login: dockerCliAnswer }), false);
    expect(rec.backup).toBeUndefined();
    expect(backups()).toEqual([]);
  });

  test('our login already removed by another step: the replaced login still comes back', async () => {
    writeCfg({ auths: { [HUB_KEY]: PREVIOUS, 'ghcr.io': OTHER } });
    const f = fakeExec({ login: dockerCliAnswer, logout: dockerCliAnswer });
    const rec = await hubLogin(f);
    writeCfg({ auths: { 'ghcr.io': OTHER } }); // e.g. another action's post step logged out
    const line = await undoLogin(rec, f.exec, {});
    expect(line).toContain('restored');
    expect(readCfg().auths).toEqual({ [HUB_KEY]: PREVIOUS, 'ghcr.io': OTHER });
    expect(backups()).toEqual([]);
  });
});
