// The mirror as a process (the built dist/mirror/index.js) and main's set-up when it cannot be done.
import { afterEach, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { procFs, type ProcFs } from '../../../src/mirror/daemon-process.js';
import {
  spawnMirrorProcess,
  startMirrorProcess,
  stopMirrorProcess,
} from '../../../src/mirror/process.js';
import { NO_CREDENTIAL } from '../../../src/mirror/protocol.js';
import { startDockerMirror, type MirrorDeps } from '../../../src/mirror/setup.js';
import { fakeExec } from '../../fixtures/exec.js';
import { recordingRuntime } from '../../fixtures/runtime.js';

const BUNDLE = path.resolve('dist/mirror/index.js');
const CREDENTIALS = { username: 'AWS', password: 'ecr-password-that-must-stay-in-memory' };
const PREFIX = 'public.ecr.aws/docker/library';
let temp: string;
const started: number[] = [];

afterEach(async () => {
  for (const pid of started.splice(0)) await stopMirrorProcess(pid);
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

const tempDir = () => (temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-life-')));
const alive = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, { flag: 'r' }).length > 0;
const isAlive = (pid: number) => {
  try {
    return alive(pid);
  } catch {
    return false;
  }
};
/** Mirror processes this test process could have started (same node, same bundle). */
const mirrorPids = () =>
  fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && isAlive(Number(p)))
    .filter((p) =>
      fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith(`${process.execPath}\0${BUNDLE}\0`),
    );
const get = (port: number, p: string) =>
  new Promise<number>((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path: p }, (r) => (r.resume(), resolve(r.statusCode ?? 0)))
      .once('error', reject),
  );

/** No daemon names the mirror: its end of life has nothing to take out. */
const noDaemon = (dir: string) => ({
  configFile: path.join(dir, 'daemon.json'),
  daemonPid: 0,
  socket: path.join(dir, 'docker.sock'),
});

describe('the mirror process', () => {
  test('runs detached in its own process group, with the password in neither argv nor environment', async () => {
    const dir = tempDir();
    const logFile = path.join(dir, 'mirror.log');
    const { pid, port } = await startMirrorProcess({
      execPath: process.execPath,
      mirrorBundle: BUNDLE,
      libraryPrefix: PREFIX,
      credentials: CREDENTIALS,
      logFile,
      life: noDaemon(dir),
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        'INPUT_FALLBACK-TOKEN': 'dckr_oat_secret',
        AWS_SECRET_ACCESS_KEY: 'k',
      },
    });
    started.push(pid);
    expect(listeningSockets(pid)).toHaveLength(1); // its port; the warm-up's is closed
    expect(await get(port, '/v2/')).toBe(200);
    expect(await get(port, '/v2/bitnami/redis/manifests/1')).toBe(404);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    expect(Number(stat[2])).toBe(pid); // process group id: its own
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(
      environ
        .split('\0')
        .map((e) => e.split('=')[0])
        .filter(Boolean)
        .sort(),
    ).toEqual(['HOME', 'PATH']);
    for (const place of [
      fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
      environ,
      fs.readFileSync(logFile, 'utf8'),
    ]) {
      expect(place).not.toContain(CREDENTIALS.password);
    }
    // The mirror logs a request once its answer is sent: the line may follow the answer.
    const logged = () => fs.readFileSync(logFile, 'utf8');
    for (let i = 0; i < 50 && !/manifests\/1 404/.test(logged()); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logged()).toMatch(/GET \/v2\/bitnami\/redis\/manifests\/1 404/);
    expect(await stopMirrorProcess(pid)).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(await stopMirrorProcess(pid)).toBe(false);
  });

  test('a mirror that cannot start is reported with its log line', async () => {
    const dir = tempDir();
    await expect(
      startMirrorProcess({
        execPath: process.execPath,
        mirrorBundle: BUNDLE,
        libraryPrefix: 'not-a-prefix',
        credentials: CREDENTIALS,
        logFile: path.join(dir, 'mirror.log'),
        life: noDaemon(dir),
        env: {},
      }),
    ).rejects.toThrow(/exited \(code 1\): serve: not a library prefix/);
  });

  test('no node to start it with: told later, it fails at once and leaves no timer behind', async () => {
    const dir = tempDir();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const pending = spawnMirrorProcess({
      execPath: path.join(dir, 'no-node'),
      mirrorBundle: BUNDLE,
      libraryPrefix: PREFIX,
      logFile: path.join(dir, 'mirror.log'),
      life: noDaemon(dir),
      env: {},
    });
    await new Promise((r) => setTimeout(r, 50)); // the spawn's failure comes before the credential
    const before = timers();
    await expect(pending.ready(CREDENTIALS)).rejects.toThrow(/ENOENT/);
    expect(timers()).toBe(before); // not its 10 s wait for a "listening" line
  });
});

/** The TCP sockets a process listens on (its fds' inodes among the LISTEN rows of /proc/net). */
function listeningSockets(pid: number): string[] {
  const inodes = fs
    .readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
  const listening = ['tcp', 'tcp6'].flatMap((t) =>
    fs
      .readFileSync(`/proc/net/${t}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A')
      .map((f) => f[9]),
  );
  return inodes.filter((inode) => listening.includes(inode!)) as string[];
}

describe('a mirror spawned before its credential', () => {
  /** A stand-in for main: spawns the bundle as spawnMirrorProcess does, prints its pid, waits. */
  const PARENT = `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const [bundle, options, log] = process.argv.slice(1);
    const child = spawn(process.execPath, [bundle, 'serve', options], {
      detached: true,
      stdio: ['pipe', 'pipe', fs.openSync(log, 'a')],
    });
    child.unref();
    console.log(child.pid);
    setInterval(() => {}, 1000);`;

  test('exits by itself, with a line saying why, when main ends before handing it over', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'mirror.log');
    const options = JSON.stringify({
      libraryPrefix: PREFIX,
      life: { ...noDaemon(dir), lifetimeMs: 60_000 },
    });
    const { spawn } = await import('node:child_process');
    const parent = spawn(process.execPath, ['-e', PARENT, BUNDLE, options, log], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))),
    );
    started.push(pid);
    await new Promise((r) => setTimeout(r, 300)); // it is up, waiting on stdin
    expect(isAlive(pid)).toBe(true);
    expect(listeningSockets(pid)).toEqual([]); // nothing served before the credential
    parent.kill('SIGKILL'); // however main ends, the pipe's end closes with it
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
    expect(fs.readFileSync(log, 'utf8')).toBe(`serve: ${NO_CREDENTIAL}\n`);
  });
});

describe('startDockerMirror: when it cannot be done, a warning and nothing changed', () => {
  const daemonAt = (socket: string, configFile: string): ProcFs => ({
    pids: () => [4242], // the only dockerd; every other pid is the machine's own
    cmdline: (pid) =>
      pid === 4242
        ? ['/usr/bin/dockerd', '-H', `unix://${socket}`, '--config-file', configFile]
        : procFs.cmdline(pid),
  });

  function setup(over: Partial<MirrorDeps> = {}, env: Record<string, string> = {}) {
    const dir = tempDir();
    const configFile = path.join(dir, 'daemon.json');
    fs.writeFileSync(configFile, '{"debug": true}\n');
    const runtime = recordingRuntime();
    const exec = fakeExec({ sudo: { exitCode: 1, stderr: 'sudo: a password is required\n' } });
    const deps: MirrorDeps = {
      runtime,
      env: { RUNNER_TEMP: dir, HOME: dir, DOCKER_HOST: `unix://${dir}/docker.sock`, ...env },
      exec: exec.exec,
      execPath: process.execPath,
      mirrorBundle: BUNDLE,
      isRoot: false,
      platform: 'linux',
      proc: daemonAt(`${dir}/docker.sock`, configFile),
      ...over,
    };
    return { runtime, deps, configFile, exec };
  }

  test.each<[string, Partial<MirrorDeps>, Record<string, string>, RegExp]>([
    ['macOS', { platform: 'darwin' }, {}, /needs a Linux runner; this one runs darwin/],
    [
      'a remote daemon',
      {},
      { DOCKER_HOST: 'tcp://10.0.0.5:2376' },
      /docker talks to tcp:\/\/10\.0\.0\.5:2376/,
    ],
    [
      'no dockerd on this machine',
      { proc: { pids: () => [], cmdline: () => undefined } },
      {},
      /no dockerd here serves/,
    ],
  ])('%s', async (_label, over, env, why) => {
    const { runtime, deps, exec } = setup(over, env);
    expect(await startDockerMirror({ host: 'public.ecr.aws' }, CREDENTIALS, deps)).toBeUndefined();
    expect(runtime.warnings).toHaveLength(1);
    expect(runtime.warnings[0]).toMatch(why);
    expect(runtime.warnings[0]).toMatch(/library-prefix/);
    expect(runtime.savedState).toEqual({});
    expect(exec.calls).toEqual([]);
  });

  test('no passwordless sudo: the mirror is stopped again and the config untouched', async () => {
    const { runtime, deps, configFile, exec } = setup();
    const before = mirrorPids();
    expect(await startDockerMirror({ host: 'public.ecr.aws' }, CREDENTIALS, deps)).toBeUndefined();
    expect(runtime.warnings[0]).toMatch(
      /sudo -n.*a password is required\nAllow the runner user passwordless sudo/s,
    );
    expect(exec.calls[0].args.slice(0, 4)).toEqual([
      '-n',
      process.execPath,
      BUNDLE,
      'daemon-config',
    ]);
    expect(exec.calls[0].args.join(' ')).not.toContain(CREDENTIALS.password);
    expect(fs.readFileSync(configFile, 'utf8')).toBe('{"debug": true}\n');
    expect(runtime.savedState.mirror).toBe('');
    expect(mirrorPids().filter((p) => !before.includes(p))).toEqual([]);
    expect(runtime.log.join('\n')).not.toContain(CREDENTIALS.password);
  });

  test('Docker Hub or a registry with no official images: a notice, no mirror', async () => {
    const { runtime, deps } = setup();
    expect(await startDockerMirror({ host: 'ghcr.io' }, CREDENTIALS, deps)).toBeUndefined();
    expect(runtime.notices).toEqual([
      'docker-mirror is not active: ghcr.io has no copy of the Docker official images.',
    ]);
  });
});
