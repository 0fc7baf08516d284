// daemon.json edits on real files in a temp folder; the daemon (reload, its mirror list) is faked.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ledgerPath } from '../../../src/mirror/daemon-config.js';
import { editDaemonConfig, type EditDeps } from '../../../src/mirror/daemon-edit.js';

const ORIGINAL =
  '{\n    "log-level": "warn",\n    "registry-mirrors": ["https://mirror.corp"],\n    "features": {"buildkit": true}\n}\n';
const A = 'http://127.0.0.1:40001';
const B = 'http://127.0.0.1:40002';

let dir: string;
let file: string;
let alive: Set<number>;
let reloads: number[];
let jobs: Set<number>;
let events: string[];

const deps = (): EditDeps => ({
  isMirrorAlive: (pid) => alive.has(pid),
  isJobAlive: (job) => jobs.has(job.pid),
  stopMirror: async (pid) => void (events.push(`stop ${pid}`), alive.delete(pid)),
  reload: (pid) => (reloads.push(pid), pid),
  watchReloads: async () => undefined,
  waitForMirror: async (_socket, url, listed) => (events.push(`${url} listed=${listed}`), true),
  listed: async () => false,
  sleep: () => undefined,
  now: Date.now,
});
const add = (url: string, pid: number) =>
  editDaemonConfig({ op: 'add', file, url, pid, daemonPid: 99 }, deps());
const remove = (url: string) =>
  editDaemonConfig({ op: 'remove', file, url, daemonPid: 99, socket: '/run/docker.sock' }, deps());
const read = () => JSON.parse(fs.readFileSync(file, 'utf8'));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daemon-config-'));
  file = path.join(dir, 'daemon.json');
  fs.writeFileSync(file, ORIGINAL, { mode: 0o640 });
  fs.chmodSync(file, 0o640);
  alive = new Set([1001, 1002]);
  reloads = [];
  jobs = new Set([501, 502]);
  events = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one job', () => {
  test('adds its mirror first, keeps every other key and the mode, and reloads', async () => {
    expect(await add(A, 1001)).toEqual({ pruned: [] });
    expect(read()).toEqual({
      'log-level': 'warn',
      'registry-mirrors': [A, 'https://mirror.corp'],
      features: { buildkit: true },
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{\n {4}"log-level"/); // its indentation
    expect(reloads).toEqual([99]);
  });

  test('post puts the exact bytes back and leaves no ledger or temp file', async () => {
    await add(A, 1001);
    expect(await remove(A)).toEqual({ restored: 'exact', reloaded: true });
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['daemon.json']);
    expect(reloads).toEqual([99, 99]);
  });

  test('the daemon is reloaded with the key present (an absent key would keep the mirror)', async () => {
    fs.writeFileSync(file, '{"debug": true}\n');
    await add(A, 1001);
    let seenByReload: unknown;
    await editDaemonConfig(
      { op: 'remove', file, url: A, daemonPid: 99, socket: 's' },
      { ...deps(), reload: (pid) => ((seenByReload = read()), pid) },
    );
    expect(seenByReload).toEqual({ debug: true, 'registry-mirrors': [] });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"debug": true}\n');
  });

  test('post sees the reload from a watch opened once the file lost the entry, closed after', async () => {
    await add(A, 1001);
    const order: string[] = [];
    const watch = { until: async () => true, close: () => void order.push('close') };
    await editDaemonConfig(
      { op: 'remove', file, url: A, daemonPid: 99, socket: 's' },
      {
        ...deps(),
        watchReloads: async () => (
          order.push(`watch (file lists A: ${read()['registry-mirrors'].includes(A)})`),
          watch
        ),
        reload: (pid) => (order.push('SIGHUP'), pid),
        waitForMirror: async (_s, url, listed, reloads) => (
          order.push(
            `wait until ${url === A ? 'A' : url} listed=${listed}, from the watch: ${reloads === watch}`,
          ),
          true
        ),
      },
    );
    expect(order).toEqual([
      'watch (file lists A: false)',
      'SIGHUP',
      'wait until A listed=false, from the watch: true',
      'close',
    ]);
  });

  test('no file before: one is created, then removed', async () => {
    fs.rmSync(file);
    await add(A, 1001);
    expect(read()).toEqual({ 'registry-mirrors': [A] });
    await remove(A);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('someone changed the file meanwhile: only our entry goes', async () => {
    await add(A, 1001);
    fs.writeFileSync(file, JSON.stringify({ ...read(), 'max-concurrent-downloads': 5 }));
    expect(await remove(A)).toMatchObject({ restored: 'entry' });
    expect(read()).toEqual({
      'log-level': 'warn',
      'registry-mirrors': ['https://mirror.corp'],
      features: { buildkit: true },
      'max-concurrent-downloads': 5,
    });
    expect(fs.existsSync(ledgerPath(file))).toBe(false);
  });

  test('an entry already gone: nothing written, no reload', async () => {
    expect(await remove(A)).toEqual({ restored: 'absent' });
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(reloads).toEqual([]);
  });

  test.each([
    ['not JSON', '{"log-level": "warn",}'],
    ['not an object', '["a"]'],
    ['mirrors not a list of URLs', '{"registry-mirrors": "http://x"}'],
  ])('a config it cannot parse (%s) is left untouched', async (_label, text) => {
    fs.writeFileSync(file, text);
    await expect(add(A, 1001)).rejects.toThrow(/daemon\.json/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.existsSync(ledgerPath(file))).toBe(false);
    expect(reloads).toEqual([]);
  });
});

describe('two jobs on one daemon', () => {
  test("the first post keeps the second job's entry; the last post restores the bytes", async () => {
    await add(A, 1001);
    await add(B, 1002);
    expect(read()['registry-mirrors']).toEqual([B, A, 'https://mirror.corp']);
    // Only another job's entry changed the file: not "changed meanwhile".
    expect(await remove(A)).toMatchObject({ restored: 'shared' });
    expect(read()['registry-mirrors']).toEqual([B, 'https://mirror.corp']);
    expect(await remove(B)).toMatchObject({ restored: 'exact' });
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test('posts in the other order end the same', async () => {
    await add(A, 1001);
    await add(B, 1002);
    await remove(B);
    await remove(A);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test('edits wait for the lock, and a lock left by a dead edit is broken', async () => {
    const lock = `${ledgerPath(file)}.lock`;
    fs.writeFileSync(lock, '12345');
    let clock = Date.now();
    const waits: number[] = [];
    const slow: EditDeps = {
      ...deps(),
      now: () => clock,
      sleep: (ms) => {
        waits.push(ms);
        clock += ms;
        if (waits.length === 3) fs.rmSync(lock); // the other job finishes
      },
    };
    await editDaemonConfig({ op: 'add', file, url: A, pid: 1001, daemonPid: 99 }, slow);
    expect(waits).toHaveLength(3);
    expect(read()['registry-mirrors'][0]).toBe(A);

    fs.writeFileSync(lock, '12345');
    fs.utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await remove(A);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(fs.existsSync(lock)).toBe(false);
  });
});

describe('entries of runs that died', () => {
  test("an orphan (its mirror alive, its job's runner process gone): the next run takes its entry out, then stops it", async () => {
    const job = (pid: number) => ({ pid, start: '77' });
    const addWithJob = (url: string, pid: number, jobPid: number) =>
      editDaemonConfig(
        { op: 'add', file, url, pid, daemonPid: 99, socket: 's', job: job(jobPid) },
        deps(),
      );
    await addWithJob(A, 1001, 501);
    jobs.delete(501); // the runner was killed; its mirror still serves
    events = [];
    expect(await addWithJob(B, 1002, 502)).toEqual({ pruned: [A], orphans: [1001] });
    expect(read()['registry-mirrors']).toEqual([B, 'https://mirror.corp']);
    // The daemon let go of A before A's port was released.
    expect(events).toEqual([`${A} listed=false`, 'stop 1001']);
    await remove(B);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test('the next run removes them, and its post restores the original bytes', async () => {
    await add(A, 1001);
    alive.delete(1001); // killed before its post step
    expect(await add(B, 1002)).toEqual({ pruned: [A] });
    expect(read()['registry-mirrors']).toEqual([B, 'https://mirror.corp']);
    await remove(B);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test('a file edited after the dead run keeps that edit', async () => {
    await add(A, 1001);
    alive.delete(1001);
    fs.writeFileSync(file, JSON.stringify({ ...read(), debug: true }));
    await add(B, 1002);
    await remove(B);
    expect(read()).toEqual({
      'log-level': 'warn',
      'registry-mirrors': ['https://mirror.corp'],
      features: { buildkit: true },
      debug: true,
    });
  });
});

describe('daemon.json edits that must not lose anything', () => {
  test('a symlinked daemon.json is edited through the link, and the link stays', async () => {
    const real = path.join(dir, 'managed', 'daemon.json');
    fs.mkdirSync(path.dirname(real));
    fs.renameSync(file, real);
    fs.symlinkSync(real, file);
    await add(A, 1001);
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(real, 'utf8'))['registry-mirrors'][0]).toBe(A);
    expect(await remove(A)).toMatchObject({ restored: 'exact' });
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe(ORIGINAL);
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
  });

  test('a job adding while another post waits for the reload keeps the original bytes', async () => {
    await add(A, 1001);
    // B's main runs between A's take-out and A's restore (the lock is free then).
    const racing: EditDeps = { ...deps(), waitForMirror: async () => (await add(B, 1002), true) };
    const first = await editDaemonConfig(
      { op: 'remove', file, url: A, daemonPid: 99, socket: 's' },
      racing,
    );
    expect(first).toMatchObject({ restored: 'shared' });
    expect(read()['registry-mirrors']).toEqual([B, 'https://mirror.corp']);
    expect(await remove(B)).toMatchObject({ restored: 'exact' });
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test('a lock whose age cannot be read (gone between two looks) is not broken', async () => {
    const lock = `${ledgerPath(file)}.lock`;
    // A dangling link: the open sees a lock, the stat sees none, as when it vanished in between.
    fs.symlinkSync(path.join(dir, 'gone'), lock);
    let clock = Date.now();
    const waiting: EditDeps = { ...deps(), now: () => clock, sleep: (ms) => void (clock += ms) };
    await expect(
      editDaemonConfig({ op: 'add', file, url: A, pid: 1001, daemonPid: 99 }, waiting),
    ).rejects.toThrow(/held by another job/);
    expect(fs.lstatSync(lock).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  test.each([
    ['a bad token', '{"proxies": {"http-proxy": s3cret-proxy-password}}'],
    ['text after the object', '{"a": 1} "s3cret-proxy-password"'],
  ])('a parse error (%s) never quotes the file', async (_label, text) => {
    fs.writeFileSync(file, text);
    const error = await add(A, 1001).catch((e: Error) => e);
    expect(String(error)).toMatch(/daemon\.json is not valid JSON/);
    expect(String(error)).not.toMatch(/s3cret|proxy/);
  });
});

test('an entry someone else already took out: its ledger line goes too', async () => {
  await add(A, 1001);
  fs.writeFileSync(file, ORIGINAL);
  expect(await remove(A)).toEqual({ restored: 'absent' });
  expect(fs.existsSync(ledgerPath(file))).toBe(false);
});
