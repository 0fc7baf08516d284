// The registry stand-ins' token endpoint and login store (sandbox/fakes/registry-auth.mjs) and the
// access-log path parser; the e2e suite proves docker-registry accepts the tokens.
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  RegistryLogins,
  grantPull,
  libtrustKeyId,
  tokenEndpoint,
} from '../../sandbox/fakes/registry-auth.mjs';
import { frontRoutes } from '../../sandbox/registry-front.mjs';
import { STAND_INS, StandIn, classifyPath } from '../../sandbox/registries.mjs';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function endpoint(anonymous = true, repositories?: Set<string>) {
  const logins = new RegistryLogins();
  logins.set('ecrPublic', [{ username: 'AWS', password: 'p'.repeat(100) }]);
  const handle = tokenEndpoint({
    registry: 'ecrPublic',
    service: 'public.ecr.aws',
    issuer: 'test issuer',
    key,
    logins,
    anonymous: () => anonymous,
    now: () => 1_700_000_000_000,
    ...(repositories && { registryWide: { scope: 'aws', repositories: () => repositories } }),
  });
  const get = (query: string, authorization?: string, method = 'GET') =>
    handle({
      method,
      url: new URL(`https://public.ecr.aws/token/${query}`),
      headers: authorization ? { authorization } : {},
    });
  return { logins, get };
}

const payload = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

describe('tokenEndpoint', () => {
  it('signs an ES256 token for the service, with the libtrust kid, granting pull only', () => {
    const { get } = endpoint();
    const answer = get(
      '?service=public.ecr.aws&scope=aws&scope=repository:docker/library/busybox:pull,push',
      basic('AWS', 'p'.repeat(100)),
    );
    expect(answer.status).toBe(200);
    const { token, access_token, expires_in } = JSON.parse(answer.body ?? '');
    expect(access_token).toBe(token);
    expect(expires_in).toBe(300);
    const [header, , signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      typ: 'JWT',
      alg: 'ES256',
      kid: libtrustKeyId(key.publicKey),
    });
    const input = Buffer.from(token.split('.').slice(0, 2).join('.'));
    const sig = Buffer.from(signature, 'base64url');
    expect(verify('sha256', input, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig)).toBe(
      true,
    );
    expect(payload(token)).toMatchObject({
      iss: 'test issuer',
      sub: 'AWS',
      aud: 'public.ecr.aws',
      iat: 1_700_000_000,
      exp: 1_700_000_300,
      access: [{ type: 'repository', name: 'docker/library/busybox', actions: ['pull'] }],
    });
  });

  it.each([
    ['a password differing after byte 72', basic('AWS', `${'p'.repeat(72)}x`), 401],
    ['another user', basic('octo', 'p'.repeat(100)), 401],
    ['a malformed Authorization', 'Basic !!!', 401],
    ['no credentials (anonymous)', undefined, 200],
  ])('%s → %s', (_, authorization, status) => {
    expect(endpoint().get('?service=public.ecr.aws', authorization).status).toBe(status);
  });

  it('refuses anonymous clients when switched off, another service, and other methods', () => {
    expect(endpoint(false).get('?service=public.ecr.aws').status).toBe(401);
    expect(endpoint().get('?service=registry.docker.io').status).toBe(400);
    expect(endpoint().get('?service=public.ecr.aws', undefined, 'POST').status).toBe(405);
  });

  it('keeps every token it issued and every password as secrets', () => {
    const { logins, get } = endpoint();
    logins.add('ecrPrivate', { username: 'AWS', password: 'issued' });
    const { token } = JSON.parse(get('').body ?? '');
    expect(logins.secrets()).toEqual(expect.arrayContaining(['p'.repeat(100), 'issued', token]));
    expect(logins.accepts('ecrPrivate', 'AWS', 'issued')).toBe(true);
    expect(logins.accepts('ecrPublic', 'AWS', 'issued')).toBe(false);
  });
});

describe('registry-wide tokens (public.ecr.aws: scope "aws")', () => {
  const held = () => new Set(['docker/library/busybox', 'docker/library/nginx']);
  const access = (answer: { body?: string }) => payload(JSON.parse(answer.body ?? '').token).access;

  it('the aws scope grants pull on every repository the stand-in holds, to what was asked', () => {
    // containerd asks with the challenge's scope and the docker.io name (not held here).
    const answer = endpoint(true, held()).get(
      '?service=public.ecr.aws&scope=aws&scope=repository:library/busybox:pull',
      basic('AWS', 'p'.repeat(100)),
    );
    expect(answer.status).toBe(200);
    expect(access(answer)).toEqual([
      { type: 'repository', name: 'library/busybox', actions: ['pull'] },
      { type: 'repository', name: 'docker/library/busybox', actions: ['pull'] },
      { type: 'repository', name: 'docker/library/nginx', actions: ['pull'] },
    ]);
  });

  it('anonymous tokens too, when the stand-in allows them; refused when it does not', () => {
    const answer = endpoint(true, held()).get('?service=public.ecr.aws&scope=aws');
    expect(answer.status).toBe(200);
    expect(access(answer).map((a: { name: string }) => a.name)).toEqual([
      'docker/library/busybox',
      'docker/library/nginx',
    ]);
    expect(endpoint(false, held()).get('?service=public.ecr.aws&scope=aws').status).toBe(401);
  });

  it('reads the list when the token is asked (a later push is covered), and names each once', () => {
    const repositories = held();
    const { get } = endpoint(true, repositories);
    repositories.add('docker/library/largelayer');
    const answer = get('?scope=repository:docker/library/nginx:pull&scope=aws');
    expect(access(answer).map((a: { name: string }) => a.name)).toEqual([
      'docker/library/nginx',
      'docker/library/busybox',
      'docker/library/largelayer',
    ]);
  });

  it('without the aws scope, only the repositories asked', () => {
    const answer = endpoint(true, held()).get('?scope=repository:docker/library/busybox:pull');
    expect(access(answer)).toEqual([
      { type: 'repository', name: 'docker/library/busybox', actions: ['pull'] },
    ]);
  });

  it('a stand-in without registry-wide tokens (Docker Hub) grants nothing for aws', () => {
    const answer = endpoint().get('?scope=aws&scope=repository:library/busybox:pull');
    expect(access(answer)).toEqual([
      { type: 'repository', name: 'library/busybox', actions: ['pull'] },
    ]);
  });
});

describe('the front wires registry-wide tokens to public.ecr.aws only', () => {
  const standIns = Object.values(STAND_INS).map((spec) => new StandIn(spec, '/nonexistent', 'x'));
  const byName = Object.fromEntries(standIns.map((s) => [s.name, s]));
  byName.ecrPublic.repositories.add('docker/library/busybox');
  byName.dockerHub.repositories.add('library/busybox');
  byName.dockerHub.repositories.add('library/nginx');
  const routes = frontRoutes({ standIns, logins: new RegistryLogins(), key });
  const names = (host: string, query: string) => {
    const route = routes.get(host);
    const answer = route!.token!({
      method: 'GET',
      url: new URL(`https://${host}${route!.tokenPath}${query}`),
      headers: {},
    });
    expect(answer.status).toBe(200);
    return payload(JSON.parse(answer.body ?? '').token).access.map((a: { name: string }) => a.name);
  };

  it('public.ecr.aws: the aws scope covers the repositories the stand-in holds', () => {
    expect(STAND_INS.ecrPublic.registryWideScope).toBe('aws');
    expect(names('public.ecr.aws', '?scope=aws&scope=repository:library/busybox:pull')).toEqual([
      'library/busybox',
      'docker/library/busybox',
    ]);
    expect(names('public.ecr.aws', '?scope=repository:docker/library/nginx:pull')).toEqual([
      'docker/library/nginx',
    ]);
  });

  it('Docker Hub keeps per-repository scopes; ECR private has no token endpoint', () => {
    expect(STAND_INS.dockerHub.registryWideScope).toBeUndefined();
    expect(names('auth.docker.io', '?scope=aws&scope=repository:library/busybox:pull')).toEqual([
      'library/busybox',
    ]);
    expect(routes.get(STAND_INS.ecrPrivate.hosts[0])?.token).toBeUndefined();
  });
});

describe('grantPull', () => {
  it('keeps repository scopes that ask for pull, with names containing slashes', () => {
    expect(
      grantPull(['aws', 'repository:a/b/c:push', 'repository:x/y:pull', 'registry:catalog:*']),
    ).toEqual([{ type: 'repository', name: 'x/y', actions: ['pull'] }]);
  });

  it('a registry-wide scope adds every held repository; another scope of that name does not', () => {
    const wide = { scope: 'aws', repositories: () => ['a/b', 'x/y'] };
    expect(grantPull(['repository:x/y:pull', 'aws'], wide)).toEqual([
      { type: 'repository', name: 'x/y', actions: ['pull'] },
      { type: 'repository', name: 'a/b', actions: ['pull'] },
    ]);
    expect(grantPull(['registry:catalog:*', 'aws:x'], wide)).toEqual([]);
  });
});

describe('classifyPath', () => {
  it.each([
    ['/v2/', { kind: 'base' }],
    [
      '/v2/docker/library/busybox/manifests/latest',
      { kind: 'manifests', repository: 'docker/library/busybox', reference: 'latest' },
    ],
    [
      '/v2/library/busybox/blobs/sha256:ab',
      { kind: 'blobs', repository: 'library/busybox', reference: 'sha256:ab' },
    ],
    ['/v2/library/busybox/blobs/uploads/123', { kind: 'uploads', repository: 'library/busybox' }],
    ['/v2/bitnami/redis/tags/list', { kind: 'tags', repository: 'bitnami/redis' }],
    ['/token', { kind: 'other' }],
  ])('%s', (path, expected) => {
    expect(classifyPath(path)).toEqual(expected);
  });
});
