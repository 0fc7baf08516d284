// docker-mirror in the step's story: the login's result never depends on the mirror, whose
// process is spawned while the login is out and gets the credential once the login has it.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { runMain, type MainDeps } from '../../src/main.js';
import { procFs, type ProcFs } from '../../src/mirror/daemon-process.js';
import { stopMirrorProcess } from '../../src/mirror/process.js';
import { realEditDeps } from '../../src/mirror/privileged.js';
import { parseMirrorState } from '../../src/mirror/record.js';
import { runPost } from '../../src/post.js';
import { ecrError, Held } from '../fixtures/aws-sdk.js';
import { ROLE, runMainFor, setupJob, type Job } from '../fixtures/job.js';
import { recordingRuntime } from '../fixtures/runtime.js';

const BUNDLE = path.resolve('dist/mirror/index.js');
const DAEMON_PID = 4242;
const CONFIG = '{\n  "debug": true\n}\n';

/**
 * A local dockerd stand-in on its own socket: /proc shows it with --config-file; a reload makes
 * it use the registry-mirrors its config file names, lists them in /info and sends the reload
 * event (with those mirrors) to each /events stream, as dockerd does.
 */
async function localDaemon(j: Job) {
  const dir = fs.mkdtempSync(path.join(j.runner.root, 'dockerd-'));
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, CONFIG);
  const socket = path.join(dir, 'docker.sock');
  let using: string[] = [];
  const asked: string[] = [];
  const streams = new Set<http.ServerResponse>();
  const daemon = http.createServer((req, res) => {
    asked.push(req.url?.split('?')[0] ?? '');
    if (!req.url?.startsWith('/events')) {
      const info = { RegistryConfig: { Mirrors: using } };
      return void res.end(JSON.stringify(req.url === '/info' ? info : 'OK'));
    }
    res.writeHead(200).flushHeaders();
    streams.add(res);
    res.once('close', () => streams.delete(res));
  });
  await new Promise<void>((resolve) => daemon.listen(socket, resolve));
  j.onClose(() => new Promise((resolve) => (daemon.closeAllConnections(), daemon.close(resolve))));
  const reload = () => {
    using = JSON.parse(fs.readFileSync(configFile, 'utf8'))['registry-mirrors'] ?? [];
    const attributes = { 'registry-mirrors': JSON.stringify(using) };
    for (const s of streams)
      s.write(`${JSON.stringify({ Action: 'reload', Actor: { Attributes: attributes } })}\n`);
    return DAEMON_PID;
  };
  const argv = ['/usr/bin/dockerd', '-H', `unix://${socket}`, '--config-file', configFile];
  const proc: ProcFs = {
    pids: () => [DAEMON_PID],
    cmdline: (pid) => (pid === DAEMON_PID ? argv : procFs.cmdline(pid)),
  };
  return { configFile, socket, proc, reload, mirrors: () => using, streams, asked };
}

type Daemon = Awaited<ReturnType<typeof localDaemon>>;

/** Root on a Linux runner with that daemon; the reload is the stand-in's (no signal is sent). */
function mirrorHost(d: Daemon, over: Partial<NonNullable<MainDeps['mirror']>> = {}) {
  return {
    execPath: process.execPath,
    mirrorBundle: BUNDLE,
    isRoot: true,
    platform: 'linux' as const,
    proc: d.proc,
    parentPid: process.pid,
    editDeps: { ...realEditDeps, reload: d.reload },
    ...over,
  };
}

/** Mirror processes whose argv names this daemon's config file (only this test's). */
const mirrorsOf = (d: Daemon): number[] =>
  procFs.pids().filter((pid) => {
    const argv = procFs.cmdline(pid) ?? [];
    return argv[1] === BUNDLE && argv[2] === 'serve' && (argv[3] ?? '').includes(d.configFile);
  });

async function until<T>(what: string, fn: () => T | undefined, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    const value = fn();
    if (value !== undefined) return value;
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** Main with docker-mirror on that daemon, the ECR answer held until the test releases it. */
async function heldMain(j: Job, d: Daemon, answer: Held<unknown>, over = {}, exec = j.exec.exec) {
  j.sdk.ecr = [answer as Held<never>];
  const inputs = { 'role-to-assume': ROLE, 'docker-mirror': 'true' };
  const env = { ...j.runner.env, DOCKER_HOST: `unix://${d.socket}` };
  const runtime = recordingRuntime(inputs, {}, env);
  const mirror = mirrorHost(d, over);
  const deps = { env, exec, mirror };
  const main = runMain({ ...deps, runtime, loadSdk: j.sdk.loadSdk });
  j.onClose(async () => {
    await main.catch(() => undefined);
    for (const pid of mirrorsOf(d)) await stopMirrorProcess(pid);
  });
  return { main, runtime, deps };
}

/** ECR Public's answer with the job's token, held until the test releases it. */
const goodEcr = (j: Job) =>
  new Held({ authorizationToken: j.sdk.authorizationToken, expiresAt: j.sdk.expiresAt });

describe('docker-mirror: the process starts while the login is out', () => {
  test('spawned before the credential exists, told it after the login; post undoes exactly', async () => {
    const j = await setupJob();
    const d = await localDaemon(j);
    const held = goodEcr(j);
    const run = await heldMain(j, d, held);
    await held.asked;
    // No credential exists yet, and the mirror process is already up, waiting for it.
    const [waiting] = await until('a mirror process while ECR is out', () => {
      const pids = mirrorsOf(d);
      return pids.length > 0 ? pids : undefined;
    });
    expect(run.runtime.savedState.mirror).toBeUndefined();
    expect(d.mirrors()).toEqual([]);
    held.release();
    expect(await run.main).toBe(0);
    expect(run.runtime.warnings).toEqual([]);
    const record = parseMirrorState(run.runtime.savedState.mirror)!;
    expect(record.pid).toBe(waiting);
    expect(run.runtime.outputs['docker-mirror']).toBe(record.url);
    expect(d.mirrors()).toEqual([record.url]);
    // The reload's own event said so: no /info asked (only the login's /_ping), the watch closed.
    expect(d.asked.filter((url) => url !== '/_ping')).toEqual(['/events']);
    await until('the events stream closed', () => (d.streams.size === 0 ? true : undefined));
    expect(mirrorsOf(d)).toEqual([waiting]);
    const post = recordingRuntime({}, { ...run.runtime.savedState }, run.deps.env);
    await runPost({ ...run.deps, runtime: post });
    expect(post.errors).toEqual([]);
    expect(post.warnings).toEqual([]);
    expect(fs.readFileSync(d.configFile, 'utf8')).toBe(CONFIG);
    expect(mirrorsOf(d)).toEqual([]);
  }, 30_000);

  /** docker login (the registry's check of the credential) held until `gate` is released. */
  const gatedLogin =
    (j: Job, gate: Held<unknown>): MainDeps['exec'] =>
    async (command, args, options) => {
      if (args[0] === 'login') await gate.wait();
      return j.exec.exec(command, args, options);
    };

  /** Main with ECR answered and the check held, once the mirror listens: its URL, the check. */
  async function listeningDuringCheck(j: Job, d: Daemon) {
    const ecr = goodEcr(j);
    const check = new Held(undefined);
    const run = await heldMain(j, d, ecr, {}, gatedLogin(j, check));
    ecr.release();
    await check.asked;
    const log = path.join(j.runner.runnerTemp, `ecr-public-login-mirror-${process.pid}.log`);
    const url = await until('the mirror listening while the check is out', () => {
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    });
    return { run, url, check };
  }

  test('told the credential while the registry checks it: it listens, no daemon names it yet', async () => {
    const j = await setupJob();
    const d = await localDaemon(j);
    const { run, url, check } = await listeningDuringCheck(j, d);
    expect(d.mirrors()).toEqual([]);
    expect(fs.readFileSync(d.configFile, 'utf8')).toBe(CONFIG);
    expect(run.runtime.savedState.mirror).toBeUndefined();
    check.release();
    expect(await run.main).toBe(0);
    expect(d.mirrors()).toEqual([url]);
    expect(parseMirrorState(run.runtime.savedState.mirror)?.url).toBe(url);
  }, 30_000);

  test('the check refuses the credential the mirror was told: it is stopped, nothing left', async () => {
    const j = await setupJob();
    j.exec.answers.set('login', {
      exitCode: 1,
      stderr: 'Error response from daemon: unauthorized',
    });
    const d = await localDaemon(j);
    const { run, check } = await listeningDuringCheck(j, d);
    check.release();
    expect(await run.main).toBe(1);
    expect(mirrorsOf(d)).toEqual([]); // killed and reaped before main returned
    expect(run.runtime.savedState.mirror).toBeUndefined();
    expect(d.mirrors()).toEqual([]);
    expect(fs.readFileSync(d.configFile, 'utf8')).toBe(CONFIG);
    expect(fs.readdirSync(j.runner.runnerTemp).filter((f) => f.includes('mirror'))).toEqual([]);
  }, 30_000);

  test('the login fails after the spawn: the mirror is stopped, nothing saved, nothing left', async () => {
    const j = await setupJob();
    const d = await localDaemon(j);
    const held = new Held(ecrError.accessDenied());
    const run = await heldMain(j, d, held);
    await held.asked;
    await until('a mirror process while ECR is out', () => mirrorsOf(d)[0]);
    held.release();
    expect(await run.main).toBe(1);
    expect(run.runtime.notices).toEqual([
      'docker-mirror is not active: the public.ecr.aws login failed, so docker pulls Docker official images from Docker Hub as usual.',
    ]);
    expect(run.runtime.warnings).toEqual([]);
    expect(mirrorsOf(d)).toEqual([]); // killed and reaped before main returned
    expect(run.runtime.savedState.mirror).toBeUndefined();
    expect(fs.readFileSync(d.configFile, 'utf8')).toBe(CONFIG);
    expect(fs.readdirSync(path.dirname(d.configFile)).sort()).toEqual([
      'daemon.json',
      'docker.sock',
    ]);
    expect(fs.readdirSync(j.runner.runnerTemp).filter((f) => f.includes('mirror'))).toEqual([]);
    // Post has nothing of the mirror's to undo, and says nothing about it.
    const post = recordingRuntime({}, { ...run.runtime.savedState }, run.deps.env);
    await runPost({ ...run.deps, runtime: post });
    expect(post.errors).toEqual([]);
    expect(post.warnings).toEqual([]);
    expect(post.log.join('\n')).not.toContain('docker-mirror');
  }, 30_000);

  test('a mirror that cannot be spawned: the login stands, a warning says why, nothing saved', async () => {
    const j = await setupJob();
    const d = await localDaemon(j);
    const held = goodEcr(j);
    const run = await heldMain(j, d, held, { execPath: path.join(j.runner.root, 'no-node') });
    held.release();
    expect(await run.main).toBe(0);
    expect(run.runtime.outputs).toMatchObject({ registry: 'public.ecr.aws', 'docker-mirror': '' });
    expect(run.runtime.warnings).toEqual([
      expect.stringMatching(
        /^docker-mirror is not active \(the login itself succeeded\): the mirror process did not start \(.*spawn .*no-node ENOENT\); its log: /,
      ),
    ]);
    expect(run.runtime.savedState.mirror).toBeUndefined();
    expect(fs.readFileSync(d.configFile, 'utf8')).toBe(CONFIG);
  }, 30_000);
});

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
