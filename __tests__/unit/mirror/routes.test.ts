import { describe, expect, test } from '@jest/globals';
import { libraryPrefix } from '../../../src/registry/names.js';
import { route, upstreamOf } from '../../../src/mirror/routes.js';

const ECR = upstreamOf(libraryPrefix('public.ecr.aws'))!;
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('upstreamOf', () => {
  test.each([
    ['public.ecr.aws/docker/library', 'https://public.ecr.aws', 'docker/library'],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/docker/library',
      'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'ecr-public/docker/library',
    ],
    ['registry.local:5000/mirror/library/', 'https://registry.local:5000', 'mirror/library'],
  ])('%s', (prefix, origin, library) => {
    expect(upstreamOf(prefix)).toEqual({ origin, library });
  });

  test('a registry with no library path is no upstream', () => {
    expect(upstreamOf('')).toBeUndefined();
    expect(upstreamOf('ghcr.io')).toBeUndefined();
  });
});

describe('route: official images go to the library path upstream', () => {
  test.each([
    ['GET', '/v2/library/nginx/manifests/1.27', '/v2/docker/library/nginx/manifests/1.27'],
    ['HEAD', '/v2/library/busybox/manifests/latest', '/v2/docker/library/busybox/manifests/latest'],
    [
      'GET',
      `/v2/library/nginx/manifests/${DIGEST}`,
      `/v2/docker/library/nginx/manifests/${DIGEST}`,
    ],
    ['GET', `/v2/library/nginx/blobs/${DIGEST}`, `/v2/docker/library/nginx/blobs/${DIGEST}`],
    [
      'GET',
      '/v2/library/node/manifests/22.1-bookworm_slim.x',
      '/v2/docker/library/node/manifests/22.1-bookworm_slim.x',
    ],
    [
      'GET',
      '/v2/library/my_image__x-y.z/manifests/_t',
      '/v2/docker/library/my_image__x-y.z/manifests/_t',
    ],
    [
      'GET',
      '/v2/library/nginx/manifests/latest?ns=docker.io',
      '/v2/docker/library/nginx/manifests/latest',
    ],
  ])('%s %s', (method, path, upstreamPath) => {
    expect(route(method, path, ECR)).toEqual({
      kind: 'forward',
      repository: upstreamPath.split('/').slice(2, -2).join('/'),
      path: upstreamPath,
    });
  });

  test('GET /v2/ is the version check', () => {
    expect(route('GET', '/v2/', ECR)).toEqual({ kind: 'ping' });
    expect(route('HEAD', '/v2', ECR)).toEqual({ kind: 'ping' });
  });
});

describe('route: everything else is a 404 (the daemon then asks Docker Hub) or a 405', () => {
  test.each([
    ['another namespace', '/v2/bitnami/redis/manifests/7.4'],
    ['a user image', '/v2/octocat/app/manifests/latest'],
    ['a nested name', '/v2/library/a/b/manifests/latest'],
    ['an encoded slash', '/v2/library/a%2Fb/manifests/latest'],
    ['dot segments', '/v2/library/../x/manifests/latest'],
    ['an upper-case name', '/v2/library/Nginx/manifests/latest'],
    ['a tag starting with a dot', '/v2/library/nginx/manifests/.hidden'],
    ['a tag of 129 characters', `/v2/library/nginx/manifests/${'t'.repeat(129)}`],
    ['a blob by tag', '/v2/library/nginx/blobs/latest'],
    ['tags/list', '/v2/library/nginx/tags/list'],
    ['the catalog', '/v2/_catalog'],
    ['an upload', '/v2/library/nginx/blobs/uploads/'],
    ['not the API', '/'],
  ])('%s', (_label, path) => {
    expect(route('GET', path, ECR)).toMatchObject({ kind: 'refuse', status: 404 });
  });

  test.each(['PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS', undefined])('%s: 405', (method) => {
    expect(route(method, '/v2/library/nginx/manifests/latest', ECR)).toMatchObject({
      kind: 'refuse',
      status: 405,
    });
  });

  test('a 129-character tag is refused, 128 accepted', () => {
    expect(route('GET', `/v2/library/nginx/manifests/${'t'.repeat(128)}`, ECR).kind).toBe(
      'forward',
    );
  });
});
