import { describe, expect, test } from '@jest/globals';
import { libraryPrefix } from '../../../src/registry/names.js';
import { cacheRegistry } from '../../fixtures/targets.js';
import { ecrPrivateTarget } from '../../../src/targets/ecr-private.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { registryTokenTarget } from '../../../src/targets/registry-token.js';
import { computeOutputs, type Outputs } from '../../../src/report/outputs.js';
import { OUTPUT_NAMES } from '../../../src/runner/action-inputs.js';

const EXPIRES = new Date('2025-06-01T23:59:59.000Z');
// The outputs only image resolution and the pull-limit check fill in.
const noImages = {
  images: '{}',
  'images-not-mirrored': '[]',
  'rewritten-files': '[]',
  'docker-hub-pulls-remaining': '',
  mirrors: '{}',
  'buildkitd-config-file': '',
};
const ecrMirror = '[registry."docker.io"]\n  mirrors = ["public.ecr.aws/docker"]\n';
const fallback = (host: string, prefix = '') => registryTokenTarget(host, 'octo-org', 'x', prefix);
const cache = ecrPrivateTarget(cacheRegistry('123456789012', 'eu-west-1', 'ecr-public'));
const CACHE_HOST = cache.host;

describe('libraryPrefix', () => {
  test.each<[string, string]>([
    ['public.ecr.aws', 'public.ecr.aws/docker/library'],
    ['docker.io', 'docker.io/library'],
    ['ghcr.io', ''],
    ['registry.example.com:5000', ''],
  ])('%s → %j', (registry, prefix) => {
    expect(libraryPrefix(registry)).toBe(prefix);
  });
});

describe('computeOutputs', () => {
  test.each<[string, Parameters<typeof computeOutputs>[0], Outputs]>([
    [
      'nothing logged in',
      { target: ECR_PUBLIC_TARGET, loggedIn: [], fallbackUsed: false },
      {
        registry: '',
        'library-prefix': '',
        'fallback-used': 'false',
        registries: '',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'ECR Public only',
      {
        target: ECR_PUBLIC_TARGET,
        loggedIn: ['public.ecr.aws'],
        expiresAt: EXPIRES,
        fallbackUsed: false,
      },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '2025-06-01T23:59:59.000Z',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'ECR Public without a known expiry',
      { target: ECR_PUBLIC_TARGET, loggedIn: ['public.ecr.aws'], fallbackUsed: false },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'Docker Hub fallback used',
      {
        target: ECR_PUBLIC_TARGET,
        fallback: fallback('docker.io'),
        loggedIn: ['docker.io'],
        expiresAt: EXPIRES,
        fallbackUsed: true,
      },
      {
        registry: 'docker.io',
        'library-prefix': 'docker.io/library',
        'fallback-used': 'true',
        registries: 'docker.io',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'a fallback registry without a library mirror',
      {
        target: ECR_PUBLIC_TARGET,
        fallback: fallback('ghcr.io'),
        loggedIn: ['ghcr.io'],
        fallbackUsed: true,
      },
      {
        registry: 'ghcr.io',
        'library-prefix': '',
        'fallback-used': 'true',
        registries: 'ghcr.io',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'mode always: both, ECR Public is the registry even when listed second',
      {
        target: ECR_PUBLIC_TARGET,
        fallback: fallback('docker.io'),
        loggedIn: ['docker.io', 'public.ecr.aws'],
        expiresAt: EXPIRES,
        fallbackUsed: false,
      },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'docker.io,public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '2025-06-01T23:59:59.000Z',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'mirrors configured',
      {
        target: ECR_PUBLIC_TARGET,
        loggedIn: ['public.ecr.aws'],
        expiresAt: EXPIRES,
        fallbackUsed: false,
        mirrors: { docker: 'http://127.0.0.1:41234', buildkit: '/tmp/b.toml' },
      },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'public.ecr.aws',
        'expires-at': '2025-06-01T23:59:59.000Z',
        'docker-mirror': 'http://127.0.0.1:41234',
        clients: '[]',
        ...noImages,
        mirrors: '{"docker":"http://127.0.0.1:41234","buildkit":"/tmp/b.toml"}',
        'buildkitd-config-file': '/tmp/b.toml',
        'buildkitd-config': ecrMirror,
      },
    ],
    [
      'a Harbor fallback with fallback-library-prefix',
      {
        target: ECR_PUBLIC_TARGET,
        fallback: fallback('harbor.example.com', 'harbor.example.com/dockerhub/library'),
        loggedIn: ['harbor.example.com'],
        fallbackUsed: true,
      },
      {
        registry: 'harbor.example.com',
        'library-prefix': 'harbor.example.com/dockerhub/library',
        'fallback-used': 'true',
        registries: 'harbor.example.com',
        ...noImages,
        'buildkitd-config':
          '[registry."docker.io"]\n  mirrors = ["harbor.example.com/dockerhub"]\n',
        'expires-at': '',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
    [
      'a pull-through cache',
      { target: cache, loggedIn: [CACHE_HOST], expiresAt: EXPIRES, fallbackUsed: false },
      {
        registry: CACHE_HOST,
        'library-prefix': `${CACHE_HOST}/ecr-public/docker/library`,
        'fallback-used': 'false',
        registries: CACHE_HOST,
        ...noImages,
        'buildkitd-config': `[registry."docker.io"]\n  mirrors = ["${CACHE_HOST}/ecr-public/docker"]\n`,
        'expires-at': '2025-06-01T23:59:59.000Z',
        'docker-mirror': '',
        clients: '[]',
      },
    ],
  ])('%s', (_label, input, expected) => {
    expect(computeOutputs(input)).toEqual(expected);
  });

  test('every output named in action.yml is a string', () => {
    const outputs = computeOutputs({
      target: ECR_PUBLIC_TARGET,
      loggedIn: ['public.ecr.aws'],
      fallbackUsed: false,
    });
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const value of Object.values(outputs)) expect(typeof value).toBe('string');
  });
});
