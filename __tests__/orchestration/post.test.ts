// runPost after a real runMain (the same job fixture as main.test.ts): it removes exactly the logins main made,
// restores what main replaced, leaves alone what changed since, and never fails the job.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ecrError } from '../fixtures/aws-sdk.js';
import { notFound, type ExecCall } from '../fixtures/exec.js';
import { HUB_KEY, ORG, ROLE } from '../fixtures/job.js';
import {
  auth,
  currentJob,
  dockerLines,
  runMainFor,
  runPostFor,
  setupJob,
  type Job,
} from '../fixtures/job.js';
import type { RecordingRuntime } from '../fixtures/runtime.js';

/** The post step, given the state main saved (or any raw state). */
async function post(j: Job, states: Record<string, string>): Promise<RecordingRuntime> {
  const runtime = await runPostFor(j, states);
  expect(runtime.errors).toEqual([]); // post never reports an error
  return runtime;
}

describe('logout: false', () => {
  test('post leaves every login in place and runs nothing', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE, logout: 'false' });
    expect(run.code).toBe(0);
    expect(run.state.logout).toBe(false);
    const before = j.runner.readDockerConfig();
    expect(before.auths?.['public.ecr.aws']).toBeDefined();
    const calls = j.exec.calls.length;

    const p = await post(j, run.runtime.savedState);
    expect(p.log).toContain('logout is false: leaving the registry logins in place.');
    expect(p.warnings).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual(before);
    expect(j.exec.calls).toHaveLength(calls);
  });
});

describe('removes only our logins', () => {
  test("other registries' logins and other settings survive", async () => {
    const j = await setupJob();
    const others = {
      auths: {
        'ghcr.io': { auth: auth('someone', 'ghp_' + randomBytes(8).toString('hex')) },
        'registry.example.com:5000': { auth: auth('ci', 'pw') },
      },
      HttpHeaders: { 'User-Agent': 'ci' },
      currentContext: 'default',
    };
    j.runner.writeDockerConfig(others);
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
    });
    expect(run.code).toBe(0);
    expect(Object.keys(j.runner.readDockerConfig().auths ?? {})).toHaveLength(4);

    const p = await post(j, run.runtime.savedState);
    expect(p.warnings).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual(others);
    // edited in place: no docker logout was needed
    expect(dockerLines(j).filter((l) => l.includes('logout'))).toEqual([]);
    // newest first
    const undone = p.log.filter((l) => /^Logged out of /.test(l));
    expect(undone).toEqual(['Logged out of docker.io.', 'Logged out of public.ecr.aws.']);
  });

  test('a Docker Hub login is removed under the key docker stored it with', async () => {
    const j = await setupJob();
    j.sdk.ecr = [ecrError.accessDenied()];
    const run = await runMainFor(j, { 'role-to-assume': ROLE, ...j.fallback });
    expect(run.runtime.outputs['fallback-used']).toBe('true');
    expect(Object.keys(j.runner.readDockerConfig().auths ?? {})).toEqual([HUB_KEY]);

    await post(j, run.runtime.savedState);
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
  });

  test('a login replaced after main (different auth) is left alone', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    const someoneElse = { auth: auth('AWS', 'a-later-step-' + randomBytes(8).toString('hex')) };
    const config = j.runner.readDockerConfig();
    config.auths!['public.ecr.aws'] = someoneElse;
    j.runner.writeDockerConfig(config);

    const p = await post(j, run.runtime.savedState);
    expect(j.runner.readDockerConfig().auths?.['public.ecr.aws']).toEqual(someoneElse);
    expect(p.log.join('\n')).toContain('public.ecr.aws: the login was replaced after this step');
    expect(p.warnings).toEqual([]);
  });

  test('a login already gone (logged out by another step) is fine', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    j.runner.writeDockerConfig({ auths: {} });
    const p = await post(j, run.runtime.savedState);
    expect(p.log).toContain('public.ecr.aws: no login left to remove.');
    expect(p.warnings).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual({ auths: {} });
  });
});

describe('restores what main replaced (shared config)', () => {
  test('a Docker Hub login that existed before main comes back after post', async () => {
    const j = await setupJob();
    const theirs = { auth: auth('someone', 'dckr_pat_' + randomBytes(12).toString('hex')) };
    j.runner.writeDockerConfig({ auths: { [HUB_KEY]: theirs } });
    const run = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
    });
    expect(run.code).toBe(0);
    // main replaced it with the fallback login
    expect(j.runner.readDockerConfig().auths?.[HUB_KEY]).toEqual({ auth: auth(ORG, j.token) });
    const hub = run.state.logins.find((l) => l.registry === 'docker.io')!;
    expect(hub.backup).toBeDefined();
    expect(hub.backup!.startsWith(j.runner.runnerTemp + '/')).toBe(true);
    // the state holds a path, never the replaced secret itself
    expect(run.runtime.savedState.post).not.toContain(theirs.auth);

    const p = await post(j, run.runtime.savedState);
    expect(p.warnings).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual({ auths: { [HUB_KEY]: theirs } });
    expect(p.log).toContain(
      'docker.io: logged out and restored the login that was there before this step.',
    );
    expect(existsSync(hub.backup!)).toBe(false);
    expect(readdirSync(j.runner.runnerTemp)).toEqual([]);
  });

  test('an earlier ECR Public login (AWS:...) is restored like any other', async () => {
    const j = await setupJob();
    const theirs = { auth: auth('AWS', 'a-token-a-cron-job-refreshes') };
    j.runner.writeDockerConfig({ auths: { 'public.ecr.aws': theirs } });
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.state.logins[0].backup).toBeDefined();
    await post(j, run.runtime.savedState);
    expect(j.runner.readDockerConfig().auths).toEqual({ 'public.ecr.aws': theirs });
  });
});

describe('damaged state never throws', () => {
  test.each<[string, string]>([
    ['missing', ''],
    ['not JSON', '{"logout": true, "logins": ['],
    ['null', 'null'],
    ['an array', '[]'],
    ['logins not a list', '{"logins": "public.ecr.aws"}'],
    [
      'logins of the wrong shape',
      '{"logins": [null, 3, "x", {"registry": 5}, {"configDir": "/"}]}',
    ],
    ['isolatedDir not a string', '{"isolatedDir": 42, "logins": []}'],
    [
      'a fingerprint and backup of the wrong type',
      '{"logins": [{"registry": "public.ecr.aws", "configDir": "CONFIG", "fingerprint": 7, "backup": {}}]}',
    ],
  ])('%s', async (_name, raw) => {
    const j = await setupJob();
    const config = { auths: { 'ghcr.io': { auth: auth('someone', 'x') } } };
    j.runner.writeDockerConfig(config);
    const p = await post(j, { post: raw.replace('CONFIG', j.runner.dockerConfig) });
    expect(p.errors).toEqual([]);
    expect(j.runner.readDockerConfig()).toEqual(config);
  });

  test('an isolatedDir that this action did not create is never deleted', async () => {
    const j = await setupJob();
    const config = { auths: { 'ghcr.io': { auth: auth('someone', 'x') } } };
    j.runner.writeDockerConfig(config);
    const p = await post(j, {
      post: JSON.stringify({ logout: true, isolatedDir: j.runner.dockerConfig, logins: [] }),
    });
    expect(p.warnings.join('\n')).toContain('not a docker config folder this action created');
    expect(j.runner.readDockerConfig()).toEqual(config);
  });

  test('a state without its logout flag still logs out (the default)', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    const { logins } = run.state;
    expect(logins).toHaveLength(1);
    await post(j, { post: JSON.stringify({ logins }) });
    expect(j.runner.readDockerConfig().auths ?? {}).toEqual({});
  });

  test('a login record for a folder that no longer exists', async () => {
    const j = await setupJob();
    const gone = join(j.runner.root, 'gone');
    const state = {
      logout: true,
      logins: [{ registry: 'public.ecr.aws', configDir: gone, fingerprint: 'f'.repeat(64) }],
    };
    const p = await post(j, { post: JSON.stringify(state) });
    expect(p.log).toContain('public.ecr.aws: no login left to remove.');
    expect(existsSync(gone)).toBe(false);
  });

  test('config.json damaged after main', async () => {
    const j = await setupJob();
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    const file = join(j.runner.dockerConfig, 'config.json');
    writeFileSync(file, '{ this is not json');
    const p = await post(j, run.runtime.savedState);
    expect(p.errors).toEqual([]);
  });
});

describe('credential store (credsStore): only docker can log out', () => {
  /** docker login/logout with a credsStore: config.json keeps an empty entry, the helper the secret. */
  const withHelper =
    (logout: Partial<{ exitCode: number; stderr: string }> | Error) => (call: ExecCall) => {
      if (call.args[0] === 'logout') return logout;
      const dir = call.options.env!.DOCKER_CONFIG!;
      const registry = call.args.at(-1)!;
      const config = currentJob().runner.readDockerConfig(dir);
      config.auths = { ...config.auths, [registry === 'docker.io' ? HUB_KEY : registry]: {} };
      currentJob().runner.writeDockerConfig(config, dir);
      return { exitCode: 0, stdout: 'Login Succeeded\n' };
    };

  test('docker logout fails: a warning, not a failure', async () => {
    const j = await setupJob({
      exec: {
        docker: withHelper({
          exitCode: 1,
          stderr:
            'error getting credentials - err: exec: "docker-credential-desktop": executable file not found in $PATH, out: ``\n',
        }),
      },
    });
    j.runner.writeDockerConfig({ credsStore: 'desktop' });
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    expect(run.code).toBe(0);
    expect(run.state.logins[0].fingerprint).toBeUndefined();

    const p = await post(j, run.runtime.savedState);
    expect(dockerLines(j).at(-1)).toBe('docker logout public.ecr.aws');
    expect(j.exec.calls.at(-1)!.options.env?.DOCKER_CONFIG).toBe(j.runner.dockerConfig);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toContain('Could not log out of public.ecr.aws');
    expect(p.warnings[0]).toContain('docker-credential-desktop');
  });

  test('docker logout works: says so', async () => {
    const j = await setupJob({ exec: { docker: withHelper({ exitCode: 0 }) } });
    j.runner.writeDockerConfig({ credsStore: 'desktop' });
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    const p = await post(j, run.runtime.savedState);
    expect(p.log).toContain('Logged out of public.ecr.aws (docker logout).');
    expect(p.warnings).toEqual([]);
  });

  test('isolated: a login docker handed to a credential helper is logged out before the folder goes', async () => {
    // A fresh config has no auths, so docker picks the platform's default helper (pass, secretservice…).
    const j = await setupJob({ exec: { docker: withHelper({ exitCode: 0 }) } });
    const run = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-config': 'isolated' });
    expect(run.code).toBe(0);
    const folder = run.state.isolatedDir!;
    expect(run.state.logins[0].configDir).toBe(folder);
    expect(run.state.logins[0].fingerprint).toBeUndefined();

    const p = await post(j, run.runtime.savedState);
    expect(dockerLines(j).at(-1)).toBe('docker logout public.ecr.aws');
    expect(j.exec.calls.at(-1)!.options.env?.DOCKER_CONFIG).toBe(folder);
    expect(existsSync(folder)).toBe(false);
    expect(p.warnings).toEqual([]);
  });

  test('docker is gone by the post step: a warning naming the missing CLI', async () => {
    const j = await setupJob({ exec: { docker: withHelper(notFound()) } });
    j.runner.writeDockerConfig({ credsStore: 'desktop' });
    const run = await runMainFor(j, { 'role-to-assume': ROLE });
    const p = await post(j, run.runtime.savedState);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toContain('the docker CLI was not found on PATH');
  });
});

describe('two isolated steps in one job, the second with logout: false', () => {
  test("the first step's post leaves the folder and the kept logins, and undoes only its own others", async () => {
    const j = await setupJob();
    // step 1: ECR Public and Docker Hub into a fresh isolated folder
    const first = await runMainFor(j, {
      'role-to-assume': ROLE,
      ...j.fallback,
      'fallback-mode': 'always',
      'docker-config': 'isolated',
    });
    expect(first.code).toBe(0);
    const dir = first.state.isolatedDir!;
    // step 2 inherits the folder (the runner passes the exported DOCKER_CONFIG), keeps ECR Public
    j.runner.env.DOCKER_CONFIG = dir;
    j.sdk.password = `second-${randomBytes(8).toString('hex')}`;
    const second = await runMainFor(j, {
      'role-to-assume': ROLE,
      'docker-config': 'isolated',
      logout: 'false',
    });
    expect(second.code).toBe(0);
    expect(second.state.isolatedDir).toBeUndefined();
    const kept = j.runner.readDockerConfig(dir).auths?.['public.ecr.aws'];

    // posts run in reverse order
    const post2 = await post(j, second.runtime.savedState);
    expect(post2.log).toContain('logout is false: leaving the registry logins in place.');
    const post1 = await post(j, first.runtime.savedState);

    expect(existsSync(dir)).toBe(true);
    const left = j.runner.readDockerConfig(dir).auths ?? {};
    expect(left['public.ecr.aws']).toEqual(kept); // the second step's login, as it asked
    expect(left[HUB_KEY]).toBeUndefined(); // the first step's own other login is undone
    expect(post1.log).toContain(
      `Kept the job's docker config ${dir}: a later step of this job asked to keep its logins (logout: false).`,
    );
    expect(post1.warnings).toEqual([]);
  });

  test('without a step that keeps logins, the folder still goes', async () => {
    const j = await setupJob();
    const first = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-config': 'isolated' });
    const dir = first.state.isolatedDir!;
    j.runner.env.DOCKER_CONFIG = dir;
    const second = await runMainFor(j, { 'role-to-assume': ROLE, 'docker-config': 'isolated' });
    await post(j, second.runtime.savedState);
    await post(j, first.runtime.savedState);
    expect(existsSync(dir)).toBe(false);
  });
});
