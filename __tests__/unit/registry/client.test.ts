import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MANIFEST_TYPES, RegistryAuthError, RegistryClient } from '../../../src/registry/client.js';
import {
  startRegistryServer,
  type RegistryServer,
  type RegistryServerOptions,
} from '../../fixtures/registry-server.js';

const servers: RegistryServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

// A token service that is not there: every request is a 404.
let notFoundPort = 0;
const notFound = http.createServer((_req, res) => res.writeHead(404).end());
beforeAll(async () => {
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  notFoundPort = (notFound.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => notFound.close(resolve)));

const CREDENTIALS = { username: 'AWS', password: 'p4ss:word' };
const MANIFESTS = { 'docker/library/nginx:1.27': '{"a":1}', 'docker/library/redis:7': '{"b":2}' };

async function setup(o: Partial<RegistryServerOptions> & Pick<RegistryServerOptions, 'auth'>) {
  const server = await startRegistryServer({ ...CREDENTIALS, manifests: MANIFESTS, ...o });
  servers.push(server);
  const seen: string[] = [];
  const client = new RegistryClient({
    origin: server.url,
    credentials: CREDENTIALS,
    timeoutMs: 2000,
    onToken: (t) => seen.push(t),
  });
  return { server, client, seen };
}

const head = (client: RegistryClient, repository: string, ref: string) =>
  client
    .request({
      method: 'HEAD',
      path: `/v2/${repository}/manifests/${ref}`,
      repository,
      accept: MANIFEST_TYPES,
    })
    .then((r: http.IncomingMessage) => (r.resume(), r));

describe('RegistryClient', () => {
  test('ECR Public style: one 401, a token per repository (scope aws and its pull), the Accept types a client sends', async () => {
    const { server, client, seen } = await setup({ auth: 'bearer-aws' });
    const answers = await Promise.all(
      ['docker/library/nginx:1.27', 'docker/library/redis:7', 'docker/library/nginx:9'].map((r) =>
        head(client, r.split(':')[0], r.split(':')[1]),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 404]);
    expect(answers[0].headers['docker-content-digest']).toBe(
      server.digestOf(MANIFESTS['docker/library/nginx:1.27']),
    );
    expect(server.tokens).toHaveLength(2); // nginx's token serves both nginx requests
    expect(server.tokens[0]).toMatchObject({ scope: 'aws', user: 'AWS' });
    expect(seen).toEqual(server.tokens.map((t) => t.token));
    const heads = server.requests.filter((r) => r.method === 'HEAD');
    expect(heads).toHaveLength(4); // the first one twice: before and after learning the challenge
    expect(heads.every((r) => r.headers.accept === MANIFEST_TYPES.join(', '))).toBe(true);
  });

  test('Docker Hub style: a token per repository, reused for the same repository', async () => {
    const { server, client } = await setup({ auth: 'bearer-repository' });
    await head(client, 'docker/library/nginx', '1.27');
    await head(client, 'docker/library/nginx', '1.27');
    await head(client, 'docker/library/redis', '7');
    expect(server.tokens.map((t) => t.scope)).toEqual([
      'repository:docker/library/nginx:pull',
      'repository:docker/library/redis:pull',
    ]);
  });

  test('a known challenge saves the first 401', async () => {
    const server = await startRegistryServer({
      ...CREDENTIALS,
      auth: 'bearer-aws',
      manifests: MANIFESTS,
    });
    servers.push(server);
    const challenge = {
      scheme: 'bearer' as const,
      params: { realm: `${server.url}/token`, scope: 'aws' },
    };
    const client = new RegistryClient({
      origin: server.url,
      credentials: CREDENTIALS,
      timeoutMs: 2000,
      challenge,
    });
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(200);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'HEAD']);
  });

  test.each([
    ['401', (url: string) => `${url}/elsewhere/token`],
    ['404', (url: string) => `${url.replace(/:\d+$/, '')}:${notFoundPort}/token`],
  ])(
    "an assumed challenge whose token service answers %s gives way to the registry's own",
    async (_status, realm) => {
      const server = await startRegistryServer({
        ...CREDENTIALS,
        auth: 'bearer-aws',
        manifests: MANIFESTS,
      });
      servers.push(server);
      const client = new RegistryClient({
        origin: server.url,
        credentials: CREDENTIALS,
        timeoutMs: 2000,
        challenge: { scheme: 'bearer', params: { realm: realm(server.url), scope: 'aws' } },
      });
      const answers = await Promise.all([
        head(client, 'docker/library/nginx', '1.27'),
        head(client, 'docker/library/redis', '7'),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
      expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(200);
      expect(server.tokens.length).toBeGreaterThanOrEqual(1);
      expect(server.tokens.length).toBeLessThanOrEqual(2);
    },
  );

  test('a token service that refuses a challenge learnt from the registry is still an error', async () => {
    const server = await startRegistryServer({
      auth: 'bearer-aws',
      username: 'AWS',
      password: 'x',
    });
    servers.push(server);
    const client = new RegistryClient({
      origin: server.url,
      credentials: CREDENTIALS,
      timeoutMs: 2000,
      challenge: { scheme: 'bearer', params: { realm: `${server.url}/token`, scope: 'aws' } },
    });
    const error = await head(client, 'docker/library/nginx', '1').catch((e: unknown) => e);
    expect((error as RegistryAuthError).status).toBe(401);
  });

  test('anonymous: no Authorization header on the token request', async () => {
    const server = await startRegistryServer({
      auth: 'bearer-aws',
      anonymous: true,
      manifests: MANIFESTS,
    });
    servers.push(server);
    const client = new RegistryClient({ origin: server.url, timeoutMs: 2000 });
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(200);
    expect(server.tokens[0].user).toBeUndefined();
  });

  test('Basic: the credentials go on the retried request', async () => {
    const { server, client } = await setup({ auth: 'basic' });
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(200);
    expect(server.requests.at(-1)?.headers.authorization).toBe(
      'Basic ' + Buffer.from('AWS:p4ss:word').toString('base64'),
    );
  });

  test('a token is fetched again once it is about to expire', async () => {
    let now = 1_000_000;
    const server = await startRegistryServer({
      ...CREDENTIALS,
      auth: 'bearer-aws',
      manifests: MANIFESTS,
      tokenSeconds: 60,
    });
    servers.push(server);
    const client = new RegistryClient({
      origin: server.url,
      credentials: CREDENTIALS,
      timeoutMs: 2000,
      now: () => now,
    });
    await head(client, 'docker/library/nginx', '1.27');
    now += 29_000;
    await head(client, 'docker/library/nginx', '1.27');
    expect(server.tokens).toHaveLength(1);
    now += 2_000;
    await head(client, 'docker/library/nginx', '1.27');
    expect(server.tokens).toHaveLength(2);
  });

  test('rejected credentials: a RegistryAuthError with the status, never the password', async () => {
    const server = await startRegistryServer({
      auth: 'bearer-aws',
      username: 'AWS',
      password: 'other',
    });
    servers.push(server);
    const client = new RegistryClient({
      origin: server.url,
      credentials: CREDENTIALS,
      timeoutMs: 2000,
    });
    const error = await head(client, 'docker/library/nginx', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as RegistryAuthError).status).toBe(401);
    expect(String((error as Error).message)).not.toContain(CREDENTIALS.password);
  });

  test('other statuses are returned as they are (429, 500)', async () => {
    const { client } = await setup({
      auth: 'none',
      answers: { '/v2/docker/library/nginx/manifests/1.27': [429, 500] },
    });
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(429);
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(500);
    expect((await head(client, 'docker/library/nginx', '1.27')).statusCode).toBe(200);
  });
});
