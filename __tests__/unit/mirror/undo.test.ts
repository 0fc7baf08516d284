// Post's order: entry out, reload, the daemon's word, and only then the mirror stops (its port
// stays held while any daemon config names it). A stand-in mirror process; the daemon faked.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EditDeps } from '../../../src/mirror/daemon-edit.js';
import { isMirrorProcess, type ProcFs } from '../../../src/mirror/daemon-process.js';
import { reloadDaemon, runEdit } from '../../../src/mirror/privileged.js';
import { undoDockerMirror } from '../../../src/mirror/undo.js';
import type { MirrorRecord } from '../../../src/mirror/record.js';

const URL = 'http://127.0.0.1:40001';
let dir: string;
let record: MirrorRecord;
let events: string[];

/** A process whose argv reads as our mirror's (…/mirror/index.js serve), idle until killed. */
function standInMirror(): number {
  const bundle = path.join(dir, 'mirror', 'index.js');
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  fs.writeFileSync(bundle, 'setInterval(() => {}, 1000);\n');
  const child = spawn(process.execPath, [bundle, 'serve'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid as number;
}

const daemon = (confirms: boolean): EditDeps => ({
  isMirrorAlive: () => true,
  isJobAlive: () => true,
  stopMirror: async () => undefined,
  reload: (pid) => (events.push(`reload ${pid}`), pid),
  watchReloads: async () => undefined,
  waitForMirror: async () => {
    events.push(`confirm (mirror ${isMirrorProcess(record.pid) ? 'running' : 'gone'})`);
    return confirms;
  },
  listed: async () => false,
  sleep: () => undefined,
  now: Date.now,
});
const host = (editDeps: EditDeps) => ({
  exec: async () => ({ exitCode: 1, stdout: '', stderr: '' }),
  execPath: process.execPath,
  mirrorBundle: 'unused',
  isRoot: true,
  editDeps,
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undo-'));
  events = [];
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, '{"debug": true}\n');
  record = { pid: standInMirror(), url: URL, logFile: '', configFile, daemonPid: 99, socket: 's' };
  await runEdit(
    { op: 'add', file: configFile, url: URL, pid: record.pid, daemonPid: 99 },
    host(daemon(true)),
  );
  events = [];
});
afterEach(() => {
  try {
    process.kill(-record.pid, 'SIGKILL');
  } catch {
    // stopped by the test
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('undoDockerMirror', () => {
  test('takes the entry out and sees the daemon let go while the mirror still holds the port, then stops it', async () => {
    const lines: string[] = [];
    await undoDockerMirror(record, host(daemon(true)), (line) => lines.push(line));
    expect(events).toEqual(['reload 99', 'confirm (mirror running)']);
    expect(isMirrorProcess(record.pid)).toBe(false);
    expect(fs.readFileSync(record.configFile, 'utf8')).toBe('{"debug": true}\n');
    expect(lines[0]).toMatch(
      /restored byte for byte; the daemon reloaded without it; then stopped the mirror/,
    );
  });

  test('a daemon that still lists the mirror: the mirror keeps its port, and the warning says so', async () => {
    const error = await undoDockerMirror(record, host(daemon(false)), () => undefined).catch(
      (e: Error) => e,
    );
    expect(String(error)).toMatch(
      /still lists http:\/\/127\.0\.0\.1:40001 after reloading, so the mirror keeps running to hold its port/,
    );
    expect(isMirrorProcess(record.pid)).toBe(true);
  });
});

describe('reloadDaemon', () => {
  const procs = (table: Record<number, string[]>): ProcFs => ({
    pids: () => Object.keys(table).map(Number),
    cmdline: (pid) => table[pid],
  });
  const sock = ['/usr/sbin/dockerd', '-H', 'unix:///tmp/d.sock'];

  test('a daemon restarted during the job is found again from its socket and reloaded', () => {
    const signalled: number[] = [];
    const proc = procs({ 99: ['/usr/bin/sleep', '1'], 120: sock });
    expect(reloadDaemon(99, '/tmp/d.sock', proc, (pid) => void signalled.push(pid))).toBe(120);
    expect(signalled).toEqual([120]);
  });

  test('the recorded daemon still up: that one; none up: nobody is signalled', () => {
    const signalled: number[] = [];
    const kill = (pid: number) => void signalled.push(pid);
    expect(reloadDaemon(99, '/tmp/d.sock', procs({ 99: sock, 120: sock }), kill)).toBe(99);
    expect(
      reloadDaemon(99, '/tmp/d.sock', procs({ 99: ['/usr/bin/sleep'] }), kill),
    ).toBeUndefined();
    expect(signalled).toEqual([99]);
  });
});
