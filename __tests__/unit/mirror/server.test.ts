// The mirror's server against a loopback registry that challenges like ECR Public.
import { afterEach, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { RegistryClient } from '../../../src/registry/client.js';
import type { Admit } from '../../../src/mirror/admit.js';
import { Breaker } from '../../../src/mirror/breaker.js';
import { createMirrorServer } from '../../../src/mirror/server.js';
import { serve } from '../../../src/mirror/serve.js';
import {
  startConnectProxy,
  startHttpServer,
  type LocalServer,
} from '../../fixtures/local-servers.js';
import { sha256, startRegistryServer } from '../../fixtures/registry-server.js';

const CREDENTIALS = { username: 'AWS', password: 'ecr-p4ss:word' };
const MANIFEST = '{"schemaVersion":2}';
const BLOB = 'x'.repeat(3 * 1024 * 1024);
const open: { close(): unknown }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

interface MirrorOptions {
  admit?: Admit;
  headerTimeoutMs?: number;
  clock?: { now: number };
}

async function mirrorOf(upstream: LocalServer, o: MirrorOptions = {}) {
  const lines: string[] = [];
  const client = new RegistryClient({
    origin: upstream.url,
    credentials: CREDENTIALS,
    timeoutMs: 2000,
  });
  const clock = o.clock ?? { now: 0 };
  const server = createMirrorServer({
    upstream: { origin: upstream.url, library: 'docker/library' },
    client,
    log: (line) => lines.push(line),
    admit: o.admit ?? (async () => undefined),
    breaker: new Breaker({ openMs: 30_000, now: () => clock.now }),
    headerTimeoutMs: o.headerTimeoutMs ?? 2000,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) });
  const port = (server.address() as { port: number }).port;
  const ask = (method: string, path: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, method, path }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        });
        request.once('error', reject);
        request.end();
      },
    );
  return { ask, lines, port };
}

async function ecrLike() {
  const upstream = await startRegistryServer({
    auth: 'bearer-aws',
    ...CREDENTIALS,
    manifests: { 'docker/library/nginx:1.27': MANIFEST },
    blobs: { [`docker/library/nginx/blobs/${sha256(BLOB)}`]: BLOB },
    answers: { '/v2/docker/library/redis/manifests/7': [500] },
  });
  open.push(upstream);
  return { upstream, ...(await mirrorOf(upstream)) };
}

describe('what the daemon asks, what it gets', () => {
  test('a manifest by tag and a blob stream through from the library path, with a token from our credentials', async () => {
    const { upstream, ask, lines } = await ecrLike();
    const manifest = await ask('GET', '/v2/library/nginx/manifests/1.27');
    expect(manifest).toMatchObject({ status: 200, body: MANIFEST });
    expect(manifest.headers['docker-content-digest']).toBe(sha256(MANIFEST));
    const head = await ask('HEAD', '/v2/library/nginx/manifests/1.27');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(String(MANIFEST.length));
    const blob = await ask('GET', `/v2/library/nginx/blobs/${sha256(BLOB)}`);
    expect(blob.status).toBe(200);
    expect(blob.body.length).toBe(BLOB.length);
    expect(upstream.tokens.map((t) => t.user)).toEqual(['AWS']);
    expect(upstream.requests.map((r) => r.url)).toContain(
      '/v2/docker/library/nginx/manifests/1.27',
    );
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toMatch(
      new RegExp([CREDENTIALS.password, ...upstream.tokens.map((t) => t.token)].join('|')),
    );
  });

  test('GET /v2/ answers without asking upstream', async () => {
    const { upstream, ask } = await ecrLike();
    const ping = await ask('GET', '/v2/');
    expect(ping.status).toBe(200);
    expect(ping.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(upstream.requests).toEqual([]);
  });

  test('not on the upstream: 404; not an official image: 404 without asking; upstream trouble: 502; a push: 405', async () => {
    const { upstream, ask, lines } = await ecrLike();
    expect((await ask('GET', '/v2/library/nginx/manifests/0.1')).status).toBe(404);
    const asked = upstream.requests.length;
    expect((await ask('GET', '/v2/bitnami/redis/manifests/7.4')).status).toBe(404);
    expect(upstream.requests.length).toBe(asked);
    expect((await ask('GET', '/v2/library/redis/manifests/7')).status).toBe(502);
    expect((await ask('PUT', '/v2/library/nginx/manifests/1.27')).status).toBe(405);
    expect((await ask('POST', '/v2/library/nginx/blobs/uploads/')).status).toBe(405);
    expect(lines.map((l) => l.split(' ').slice(1, 4).join(' '))).toEqual([
      'GET /v2/library/nginx/manifests/0.1 404',
      'GET /v2/bitnami/redis/manifests/7.4 404',
      'GET /v2/library/redis/manifests/7 502',
      'PUT /v2/library/nginx/manifests/1.27 405',
      'POST /v2/library/nginx/blobs/uploads/ 405',
    ]);
  });

  test('a blob redirect (to a CDN) is passed through, not followed', async () => {
    const cdn = 'https://cdn.example/blob?signature=abc';
    const upstream = await startHttpServer((_req, res) =>
      res.writeHead(307, { location: cdn }).end(),
    );
    open.push(upstream);
    const { ask } = await mirrorOf(upstream);
    const answer = await ask('GET', `/v2/library/nginx/blobs/${sha256('b')}`);
    expect(answer.status).toBe(307);
    expect(answer.headers.location).toBe(cdn);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('who may connect', () => {
  test('a refused connection gets a registry-style 403 and nothing is asked upstream', async () => {
    const { upstream } = await ecrLike();
    const seen: (number | undefined)[] = [];
    const admit: Admit = async (socket) => {
      seen.push(socket.remotePort);
      return "uid 1001 is not the Docker daemon's";
    };
    const { ask, lines } = await mirrorOf(upstream, { admit });
    const answer = await ask('GET', '/v2/library/nginx/manifests/1.27');
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [{ code: 'DENIED', message: 'this mirror serves the local Docker daemon only' }],
    });
    expect((await ask('GET', '/v2/')).status).toBe(403);
    expect(upstream.requests).toEqual([]);
    expect(seen).toHaveLength(2);
    expect(lines[0]).toMatch(/ 403 refused: uid 1001 is not the Docker daemon's \d+ ms$/);
  });
});

/** An upstream that accepts connections and never answers. */
async function blackHole() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => void sockets.add(s.on('error', () => undefined)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hole = {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    port: 0,
    requests: [],
    accepted: () => sockets.size,
    close: () =>
      new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
  open.push(hole);
  return hole;
}

describe('a hung upstream', () => {
  test('is cut at the header bound, then answered 503 at once until the pause is over', async () => {
    const hole = await blackHole();
    const clock = { now: 0 };
    const { ask, lines } = await mirrorOf(hole, { headerTimeoutMs: 300, clock });
    const path = '/v2/library/nginx/manifests/1.27';
    let t0 = performance.now();
    expect((await ask('GET', path)).status).toBe(502);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(lines[0]).toMatch(/502 upstream failed: no answer within 300 ms/);
    t0 = performance.now();
    const quick = await ask('HEAD', path);
    expect(quick.status).toBe(503);
    expect(quick.headers['retry-after']).toBe('30');
    expect(performance.now() - t0).toBeLessThan(200);
    expect(hole.accepted()).toBe(1);
    clock.now = 30_001;
    expect((await ask('GET', path)).status).toBe(502);
    expect(hole.accepted()).toBe(2);
  });

  test('a daemon that hangs up does not open the breaker', async () => {
    const hole = await blackHole();
    const { port } = await mirrorOf(hole, { headerTimeoutMs: 5000 });
    const get = () =>
      http
        .get({ host: '127.0.0.1', port, path: '/v2/library/nginx/manifests/1' })
        .on('error', () => undefined);
    const until = async (count: number) => {
      for (let i = 0; i < 100 && hole.accepted() < count; i++) await sleep(10);
      return hole.accepted();
    };
    const first = get();
    expect(await until(1)).toBe(1);
    first.destroy();
    await sleep(50);
    // Not a 503: the next request goes upstream again.
    const second = get();
    expect(await until(2)).toBe(2);
    second.destroy();
  });
});

describe('the mirror process', () => {
  test('reaches its upstream through the proxy main passes on stdin', async () => {
    const proxy = await startConnectProxy();
    open.push(proxy);
    const lines: string[] = [];
    const server = await serve(
      { libraryPrefix: 'public.ecr.aws/docker/library' },
      {
        stdin: Readable.from([
          JSON.stringify({
            ...CREDENTIALS,
            proxy: { override: '', env: { https_proxy: proxy.url } },
          }),
        ]),
        ready: () => undefined,
        log: (line) => void lines.push(line),
        exit: () => undefined,
      },
    );
    open.push({ close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) });
    const port = (server.address() as net.AddressInfo).port;
    const answer = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/v2/library/nginx/manifests/1.27' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .once('error', reject),
    );
    // The fixture refuses tunnels to non-loopback hosts: the CONNECT is the proof.
    expect(answer).toBe(502);
    expect(proxy.connects.map((c) => c.url)).toEqual(['public.ecr.aws:443']);
    expect(lines[0]).toMatch(/through proxy 127\.0\.0\.1:\d+/);
  });

  test('reads the credentials from stdin and reports its port (its end of life is job-watch.ts)', async () => {
    let ready = '';
    const server = await serve(
      { libraryPrefix: 'public.ecr.aws/docker/library' },
      {
        stdin: Readable.from([JSON.stringify(CREDENTIALS)]),
        ready: (line) => void (ready = line),
        log: () => undefined,
        exit: () => undefined,
      },
    );
    expect(ready).toBe(`listening ${(server.address() as { port: number }).port}`);
    server.close();
  });

  test('no credentials on stdin: it refuses to start', async () => {
    const io = {
      stdin: Readable.from(['not json']),
      ready: () => undefined,
      log: () => undefined,
      exit: () => undefined,
    };
    await expect(serve({ libraryPrefix: 'public.ecr.aws/docker/library' }, io)).rejects.toThrow();
  });
});
