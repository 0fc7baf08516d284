import { describe, expect, test } from '@jest/globals';
import { parseChallenge, pullScope } from '../../../src/registry/challenge.js';

describe('parseChallenge', () => {
  test.each([
    [
      'ECR Public',
      'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"',
      {
        scheme: 'bearer',
        params: { realm: 'https://public.ecr.aws/token/', service: 'public.ecr.aws', scope: 'aws' },
      },
    ],
    [
      'Docker Hub, a scope with a comma inside quotes',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull,push',
        },
      },
    ],
    [
      'ECR private (Basic), spaces and upper-case names',
      'basic  Realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/" , Service="ecr.amazonaws.com"',
      {
        scheme: 'basic',
        params: {
          realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/',
          service: 'ecr.amazonaws.com',
        },
      },
    ],
    [
      'escaped quote, unquoted token',
      'Bearer realm="a\\"b",error=invalid_token',
      { scheme: 'bearer', params: { realm: 'a"b', error: 'invalid_token' } },
    ],
  ])('%s', (_name, header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  test('the first Bearer or Basic challenge of several headers; none for other schemes', () => {
    expect(parseChallenge(['Negotiate abc', 'Basic realm="x"'])?.scheme).toBe('basic');
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

describe('pullScope', () => {
  test('a registry-wide scope is kept (one token for every repository)', () => {
    expect(pullScope({ scheme: 'bearer', params: { scope: 'aws' } }, 'docker/library/nginx')).toBe(
      'aws',
    );
  });

  test('a per-repository scope becomes pull on the repository read', () => {
    const hub = { scheme: 'bearer' as const, params: { scope: 'repository:library/alpine:pull' } };
    expect(pullScope(hub, 'library/nginx')).toBe('repository:library/nginx:pull');
    expect(pullScope({ scheme: 'bearer', params: {} }, 'library/nginx')).toBe(
      'repository:library/nginx:pull',
    );
  });
});
