// mirror-port: a daemon whose own flags name http://127.0.0.1:<port> gets only the mirror (no
// edit, no sudo); a port another process holds is refused; a daemon that does not name the port
// and cannot be edited gets the exact flag to add. The real mirror bundle (dist/), a fake daemon.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isMirrorProcess } from '../../../src/mirror/daemon-process.js';
import { parseMirrorState } from '../../../src/mirror/record.js';
import { startDockerMirror, type MirrorDeps } from '../../../src/mirror/setup.js';
import { undoDockerMirror } from '../../../src/mirror/undo.js';
import { recordingRuntime } from '../../fixtures/runtime.js';

let dir: string;
let daemon: http.Server;
let mirrors: string[];
const closers: (() => unknown)[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-port-'));
  mirrors = [];
  daemon = http.createServer((req, res) =>
    res.end(JSON.stringify(req.url === '/info' ? { RegistryConfig: { Mirrors: mirrors } } : 'OK')),
  );
  await new Promise<void>((r) => daemon.listen(path.join(dir, 'docker.sock'), r));
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await new Promise((r) => daemon.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

function deps(port: number, env: Record<string, string> = {}) {
  const runtime = recordingRuntime();
  const calls: string[] = [];
  const d: MirrorDeps = {
    runtime,
    env: {
      DOCKER_HOST: `unix://${path.join(dir, 'docker.sock')}`,
      DOCKER_CONFIG: dir,
      RUNNER_TEMP: dir,
      PATH: process.env.PATH,
      ...env,
    },
    exec: async (cmd) => (calls.push(cmd), { exitCode: 1, stdout: '', stderr: 'no' }),
    execPath: process.execPath,
    mirrorBundle: path.resolve('dist/mirror/index.js'),
    isRoot: false,
    platform: 'linux',
    parentPid: process.pid,
    port,
  };
  return { d, runtime, calls };
}

const registry = { host: 'public.ecr.aws' };
const credentials = { username: 'AWS', password: 'secret-password' };

describe('mirror-port', () => {
  test('the daemon names the port: only the mirror starts there; post stops it', async () => {
    const port = await freePort();
    mirrors = [`http://127.0.0.1:${port}/`];
    const { d, runtime, calls } = deps(port);
    const url = await startDockerMirror(registry, credentials, d);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(runtime.warnings).toEqual([]);
    expect(calls).toEqual([]); // no sudo, no edit
    expect(runtime.log.join('\n')).toContain('already lists');
    const record = parseMirrorState(runtime.savedState.mirror)!;
    expect(record).toMatchObject({ url, configured: true, configFile: '' });
    const lines: string[] = [];
    await undoDockerMirror(record, { ...d, exec: d.exec }, (l) => lines.push(l));
    expect(lines[0]).toMatch(
      /^docker-mirror: stopped the mirror on .* no daemon config to restore/,
    );
    expect(isMirrorProcess(record.pid)).toBe(false);
  }, 20_000);

  test('a port another process holds is refused with what to do; nothing is saved', async () => {
    const port = await freePort();
    mirrors = [`http://127.0.0.1:${port}`];
    const squatter = net.createServer().listen(port, '127.0.0.1');
    closers.push(() => new Promise((r) => squatter.close(r)));
    const { d, runtime } = deps(port);
    expect(await startDockerMirror(registry, credentials, d)).toBeUndefined();
    expect(runtime.warnings).toEqual([
      expect.stringContaining(
        `mirror-port ${port}: another process already listens on 127.0.0.1:${port}`,
      ),
    ]);
    expect(runtime.savedState.mirror).toBeUndefined();
  }, 20_000);

  test('a remote daemon that does not name the port: the exact flag to add', async () => {
    const port = await freePort();
    const { d, runtime } = deps(port, { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(await startDockerMirror(registry, credentials, d)).toBeUndefined();
    expect(runtime.warnings[0]).toContain(`--registry-mirror=http://127.0.0.1:${port}`);
    expect(runtime.savedState.mirror).toBeUndefined();
  });
});
