// The daemon's reload events, from a stand-in on a unix socket that streams them as dockerd does
// (one JSON object per line, chunked wherever the socket splits it).
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchReloads } from '../../../src/docker/daemon-events.js';
import { startHttpServer, type LocalServer } from '../../fixtures/local-servers.js';

/** A reload event as Docker 28 sends it (attributes trimmed to a few of its keys). */
const reloadEvent = (mirrors: string[]) =>
  JSON.stringify({
    Type: 'daemon',
    Action: 'reload',
    Actor: {
      ID: 'C7VC:3XXN',
      Attributes: {
        debug: 'false',
        'insecure-registries': '[]',
        'registry-mirrors': JSON.stringify(mirrors),
      },
    },
    scope: 'local',
    time: 1796431232,
  }) + '\n';

let dir: string;
let server: LocalServer;
let streams: http.ServerResponse[];
let status: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'daemon-events-'));
  streams = [];
  status = 200;
  server = await startHttpServer(
    (_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      if (status !== 200) return void response.end('{"message":"no"}');
      response.flushHeaders();
      streams.push(response);
    },
    join(dir, 'docker.sock'),
  );
});

afterEach(async () => {
  for (const s of streams) s.end();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const URL = 'http://127.0.0.1:4711';
const lists = (mirrors: string[]) => mirrors.includes(URL);

describe('watchReloads', () => {
  test('asks for the daemon reload events only', async () => {
    (await watchReloads(join(dir, 'docker.sock'), 1_000)).close();
    const { searchParams } = new globalThis.URL(server.requests[0].url, 'http://d');
    expect(JSON.parse(searchParams.get('filters')!)).toEqual({
      type: ['daemon'],
      event: ['reload'],
    });
  });

  test('true at the reload that lists the url, even split across chunks', async () => {
    const reloads = await watchReloads(join(dir, 'docker.sock'), 1_000);
    const seen = reloads.until(lists, 5_000);
    streams[0].write(reloadEvent([])); // another job's reload, before ours
    const ours = reloadEvent([URL]);
    streams[0].write(ours.slice(0, 40));
    await new Promise((r) => setTimeout(r, 20));
    streams[0].write(ours.slice(40));
    expect(await seen).toBe(true);
    reloads.close();
  });

  test('a reload seen before anyone waited still counts', async () => {
    const reloads = await watchReloads(join(dir, 'docker.sock'), 1_000);
    streams[0].write(reloadEvent([URL]));
    await new Promise((r) => setTimeout(r, 50));
    expect(await reloads.until(lists, 5_000)).toBe(true);
    reloads.close();
  });

  test('false after the time given when no reload lists it', async () => {
    const reloads = await watchReloads(join(dir, 'docker.sock'), 1_000);
    streams[0].write(reloadEvent(['http://127.0.0.1:1']));
    expect(await reloads.until(lists, 100)).toBe(false);
    reloads.close();
  });

  test('false at once when the daemon ends the stream (it stopped)', async () => {
    const reloads = await watchReloads(join(dir, 'docker.sock'), 1_000);
    const seen = reloads.until(lists, 60_000);
    streams[0].end();
    expect(await seen).toBe(false);
    expect(await reloads.until(lists, 60_000)).toBe(false);
  });

  test('an error answer or no daemon: rejected, so the caller asks /info instead', async () => {
    status = 500;
    await expect(watchReloads(join(dir, 'docker.sock'), 1_000)).rejects.toThrow(
      '/events answered HTTP 500',
    );
    await expect(watchReloads(join(dir, 'none.sock'), 1_000)).rejects.toThrow(/ENOENT/);
  });
});
