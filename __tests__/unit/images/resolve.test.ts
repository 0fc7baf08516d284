import net from 'node:net';
import { RegistryClient } from '../../../src/registry/client.js';
import { resolveReferences, type ResolveOptions } from '../../../src/images/resolve.js';
import {
  sha256,
  startRegistryServer,
  type RegistryServer,
  type RegistryServerOptions,
} from '../../fixtures/registry-server.js';

const PREFIX = 'public.ecr.aws/docker/library';
const NGINX = '{"nginx":"1.27"}';
const ALPINE = '{"alpine":"3"}';
const ALPINE_HUB = '{"alpine":"3","re-pushed":true}';
const creds = { username: 'AWS', password: 'ecr-password' };

let servers: RegistryServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function registry(o: Partial<RegistryServerOptions> = {}) {
  const server = await startRegistryServer({ auth: 'bearer-aws', ...creds, ...o });
  servers.push(server);
  return server;
}

/** Mirror (and Docker Hub) on loopback, reached through real RegistryClients. */
function options(mirror: RegistryServer, hub?: RegistryServer, more: Partial<ResolveOptions> = {}) {
  const clients = new Map([
    [
      'public.ecr.aws',
      new RegistryClient({ origin: mirror.url, credentials: creds, timeoutMs: 2000 }),
    ],
    [
      'registry-1.docker.io',
      new RegistryClient({ origin: hub?.url ?? 'http://127.0.0.1:9', timeoutMs: 2000 }),
    ],
  ]);
  const warnings: string[] = [];
  const o: ResolveOptions = {
    libraryPrefix: PREFIX,
    verifyDigest: false,
    clientFor: (host) => clients.get(host) as RegistryClient,
    sleep: async () => undefined,
    warn: (m) => warnings.push(m),
    ...more,
  };
  return { o, warnings };
}

const mirrorManifests = {
  'docker/library/nginx:1.27': NGINX,
  'docker/library/alpine:3': ALPINE,
};

describe('resolving references against the logged-in mirror', () => {
  it('points only what the mirror serves at it, with one token for every reference', async () => {
    const mirror = await registry({ manifests: mirrorManifests });
    const { o } = options(mirror);
    const refs = [
      'nginx:1.27',
      'docker.io/library/nginx:1.27',
      `nginx@${sha256(NGINX)}`,
      `nginx:1.27@${sha256(NGINX)}`,
      `nginx@${sha256('other')}`,
      'nginx:9.9',
      'bitnami/redis:7',
      'ghcr.io/o/i:t',
      `${PREFIX}/alpine:3`,
    ];
    const result = Object.fromEntries(await resolveReferences(refs, o));
    expect(result).toEqual({
      'nginx:1.27': { pull: `${PREFIX}/nginx:1.27`, mirrored: true },
      'docker.io/library/nginx:1.27': { pull: `${PREFIX}/nginx:1.27`, mirrored: true },
      [`nginx@${sha256(NGINX)}`]: { pull: `${PREFIX}/nginx@${sha256(NGINX)}`, mirrored: true },
      [`nginx:1.27@${sha256(NGINX)}`]: {
        pull: `${PREFIX}/nginx:1.27@${sha256(NGINX)}`,
        mirrored: true,
      },
      [`nginx@${sha256('other')}`]: {
        pull: `docker.io/library/nginx@${sha256('other')}`,
        mirrored: false,
        reason: 'digest not on the mirror',
      },
      'nginx:9.9': {
        pull: 'docker.io/library/nginx:9.9',
        mirrored: false,
        reason: 'tag not on the mirror',
      },
      'bitnami/redis:7': {
        pull: 'docker.io/bitnami/redis:7',
        mirrored: false,
        reason: 'not an official image',
      },
      'ghcr.io/o/i:t': { pull: 'ghcr.io/o/i:t', mirrored: false, reason: 'not a Docker Hub image' },
      [`${PREFIX}/alpine:3`]: { pull: `${PREFIX}/alpine:3`, mirrored: false },
    });
    expect(mirror.tokens).toEqual([expect.objectContaining({ scope: 'aws', user: 'AWS' })]);
    const heads = mirror.requests.filter((r) => r.method === 'HEAD');
    expect(heads[heads.length - 1].headers.accept).toContain(
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
  });

  it('retries 429 and 5xx; a mirror that keeps failing leaves the reference on Docker Hub with a warning', async () => {
    const mirror = await registry({
      manifests: mirrorManifests,
      answers: {
        '/v2/docker/library/nginx/manifests/1.27': [429, 503],
        '/v2/docker/library/alpine/manifests/3': [500, 500, 500],
      },
    });
    const { o, warnings } = options(mirror);
    const result = await resolveReferences(['nginx:1.27', 'alpine:3'], o);
    expect(result.get('nginx:1.27')).toEqual({ pull: `${PREFIX}/nginx:1.27`, mirrored: true });
    expect(result.get('alpine:3')).toEqual({
      pull: 'docker.io/library/alpine:3',
      mirrored: false,
      reason: 'mirror check failed: HTTP 500 from public.ecr.aws',
      unchecked: true,
    });
    expect(warnings).toEqual([
      'docker.io/library/alpine:3 stays on Docker Hub: mirror check failed: HTTP 500 from public.ecr.aws',
    ]);
  });

  it('a token service that refuses the credentials (401) fails the check, not the step', async () => {
    const mirror = await registry({ manifests: mirrorManifests, password: 'another' });
    const { o, warnings } = options(mirror);
    const result = await resolveReferences(['nginx:1.27'], o);
    expect(result.get('nginx:1.27')).toMatchObject({
      mirrored: false,
      reason: expect.stringMatching(/^mirror check failed: .*HTTP 401/),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings.join()).not.toContain('ecr-password');
  });

  it('with verify-digest, a tag goes to the mirror only when Docker Hub has the same digest', async () => {
    const mirror = await registry({ manifests: mirrorManifests });
    const hub = await registry({
      auth: 'bearer-repository',
      anonymous: true,
      manifests: { 'library/nginx:1.27': NGINX, 'library/alpine:3': ALPINE_HUB },
    });
    const { o } = options(mirror, hub, { verifyDigest: true });
    const result = await resolveReferences(
      ['nginx:1.27', 'alpine:3', `alpine@${sha256(ALPINE)}`],
      o,
    );
    expect(result.get('nginx:1.27')).toEqual({ pull: `${PREFIX}/nginx:1.27`, mirrored: true });
    expect(result.get('alpine:3')).toMatchObject({ mirrored: false, reason: 'digest differs' });
    // A digest is its own proof: Docker Hub is not asked.
    expect(result.get(`alpine@${sha256(ALPINE)}`)).toMatchObject({ mirrored: true });
    expect(hub.requests.filter((r) => r.method === 'HEAD' && r.headers.authorization)).toHaveLength(
      2,
    );
    expect(hub.tokens.map((t) => t.scope).sort()).toEqual([
      'repository:library/alpine:pull',
      'repository:library/nginx:pull',
    ]);
  });

  it('maps to Docker Hub and asks nobody when no mirror was logged in (the Docker Hub fallback)', async () => {
    const mirror = await registry({ manifests: mirrorManifests });
    const { o } = options(mirror, undefined, { libraryPrefix: 'docker.io/library' });
    const result = await resolveReferences(['nginx:1.27'], o);
    expect(result.get('nginx:1.27')).toEqual({
      pull: 'docker.io/library/nginx:1.27',
      mirrored: false,
      reason: 'no mirror logged in',
    });
    expect(mirror.requests).toHaveLength(0);
  });

  it('uses whatever mirror the library prefix names (an ECR private pull-through cache)', async () => {
    const mirror = await registry({
      auth: 'basic',
      manifests: { 'ecr-public/docker/library/nginx:1.27': NGINX },
    });
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const client = new RegistryClient({ origin: mirror.url, credentials: creds, timeoutMs: 2000 });
    const result = await resolveReferences(['nginx:1.27'], {
      libraryPrefix: `${host}/ecr-public/docker/library`,
      verifyDigest: false,
      clientFor: (h) => (h === host ? client : (undefined as never)),
    });
    expect(result.get('nginx:1.27')).toEqual({
      pull: `${host}/ecr-public/docker/library/nginx:1.27`,
      mirrored: true,
    });
  });
});

describe('resolution time', () => {
  it.each([0, 50])(
    '20 references with %i ms per request: one token request, 20 HEADs, 8 at a time',
    async (latencyMs) => {
      const tags = Array.from({ length: 20 }, (_, i) => `1.${i}`);
      const mirror = await registry({
        latencyMs,
        manifests: Object.fromEntries(
          tags.map((t) => [`docker/library/nginx:${t}`, `{"t":"${t}"}`]),
        ),
      });
      const newClient = () =>
        new RegistryClient({
          origin: mirror.url,
          credentials: creds,
          timeoutMs: 2000,
          // ECR Public's challenge is known in advance (src/images/clients.ts)
          challenge: {
            scheme: 'bearer',
            params: { realm: `${mirror.url}/token`, service: 'fake-registry', scope: 'aws' },
          },
        });
      const resolve = (client: RegistryClient) =>
        resolveReferences(
          tags.map((t) => `nginx:${t}`),
          { libraryPrefix: PREFIX, verifyDigest: false, clientFor: () => client },
        );
      await resolve(newClient()); // warm-up: the first run also compiles the code under test
      mirror.tokens.length = 0;
      mirror.requests.length = 0;
      const started = performance.now();
      const result = await resolve(newClient());
      const ms = performance.now() - started;
      expect([...result.values()].every((r) => r.mirrored)).toBe(true);
      expect(mirror.tokens).toHaveLength(1);
      expect(mirror.requests.map((r) => r.method).sort()).toEqual([
        ...Array(1).fill('GET'),
        ...Array(20).fill('HEAD'),
      ]);
      // 1 token round trip + ceil(20 / 8) waves of HEADs, plus CPU (generous: 2 shared cores).
      expect(ms).toBeLessThan(latencyMs * (1 + Math.ceil(20 / 8)) + 250);
      process.stdout.write(
        `resolution of 20 references, ${latencyMs} ms latency: ${ms.toFixed(0)} ms\n`,
      );
    },
  );
});

/** A host that accepts connections and never answers (packets dropped after the handshake). */
async function blackHole() {
  const sockets = new Set<import('node:net').Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the resolution is bounded', () => {
  const tags = Array.from({ length: 80 }, (_, i) => `1.${i}`);
  const manifests = Object.fromEntries(
    tags.map((t) => [`docker/library/nginx:${t}`, `{"${t}":1}`]),
  );

  it('a dead Docker Hub (verify-digest, 80 references) is asked about one wave, not 80 × attempts', async () => {
    const mirror = await registry({ manifests });
    const hub = await blackHole();
    const hubClient = new RegistryClient({ origin: hub.url, timeoutMs: 300 });
    const mirrorClient = new RegistryClient({
      origin: mirror.url,
      credentials: creds,
      timeoutMs: 300,
    });
    const { o } = options(mirror, undefined, {
      verifyDigest: true,
      maxAttempts: 5,
      boundMs: 60_000,
      clientFor: (host) => (host === 'registry-1.docker.io' ? hubClient : mirrorClient),
    });
    const started = performance.now();
    const result = await resolveReferences(
      tags.map((t) => `nginx:${t}`),
      o,
    ).finally(() => hub.close());
    const ms = performance.now() - started;
    for (const r of result.values()) {
      expect(r).toMatchObject({ mirrored: false, unchecked: true });
      expect(r.reason).toMatch(/^Docker Hub check failed: /);
    }
    expect([...result.values()].at(-1)?.reason).toContain('registry-1.docker.io did not answer');
    // The first wave of 8, and the few retries that start before 3 failures are in.
    expect(hub.connections()).toBeLessThanOrEqual(12);
    // One wave of 300 ms timeouts; before, 10 waves × 5 attempts × 300 ms (15 s).
    expect(ms).toBeLessThan(2_000);
    process.stdout.write(`80 references, dead Docker Hub, 300 ms timeouts: ${ms.toFixed(0)} ms\n`);
  });

  it('a reference not checked within the bound stays where it is, saying so', async () => {
    const mirror = await registry({ manifests, latencyMs: 5_000 });
    const { o } = options(mirror, undefined, { boundMs: 1_000 });
    const started = performance.now();
    const result = await resolveReferences(['nginx:1.1', 'nginx:1.2'], o);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.get('nginx:1.1')).toEqual({
      pull: 'docker.io/library/nginx:1.1',
      mirrored: false,
      reason: "mirror check failed: not checked within image resolution's 1 s bound",
      unchecked: true,
    });
  });
});
