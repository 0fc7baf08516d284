import { describe, expect, test } from '@jest/globals';
import { libraryPrefix } from '../../../src/docker/registries.js';
import { computeOutputs, type Outputs } from '../../../src/runner/outputs.js';
import { OUTPUT_NAMES } from '../../../src/runner/action-inputs.js';

const EXPIRES = new Date('2025-06-01T23:59:59.000Z');
const noImages = { images: '{}', 'images-not-mirrored': '[]', 'rewritten-files': '[]' };
const ecrMirror = '[registry."docker.io"]\n  mirrors = ["public.ecr.aws/docker"]\n';

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
      { loggedIn: [], fallbackUsed: false },
      {
        registry: '',
        'library-prefix': '',
        'fallback-used': 'false',
        registries: '',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
      },
    ],
    [
      'ECR Public only',
      { loggedIn: ['public.ecr.aws'], ecrExpiresAt: EXPIRES, fallbackUsed: false },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '2025-06-01T23:59:59.000Z',
      },
    ],
    [
      'ECR Public without a known expiry',
      { loggedIn: ['public.ecr.aws'], fallbackUsed: false },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '',
      },
    ],
    [
      'Docker Hub fallback used',
      { loggedIn: ['docker.io'], ecrExpiresAt: EXPIRES, fallbackUsed: true },
      {
        registry: 'docker.io',
        'library-prefix': 'docker.io/library',
        'fallback-used': 'true',
        registries: 'docker.io',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
      },
    ],
    [
      'a fallback registry without a library mirror',
      { loggedIn: ['ghcr.io'], fallbackUsed: true },
      {
        registry: 'ghcr.io',
        'library-prefix': '',
        'fallback-used': 'true',
        registries: 'ghcr.io',
        ...noImages,
        'buildkitd-config': '',
        'expires-at': '',
      },
    ],
    [
      'mode always: both, ECR Public is the registry even when listed second',
      { loggedIn: ['docker.io', 'public.ecr.aws'], ecrExpiresAt: EXPIRES, fallbackUsed: false },
      {
        registry: 'public.ecr.aws',
        'library-prefix': 'public.ecr.aws/docker/library',
        'fallback-used': 'false',
        registries: 'docker.io,public.ecr.aws',
        ...noImages,
        'buildkitd-config': ecrMirror,
        'expires-at': '2025-06-01T23:59:59.000Z',
      },
    ],
    [
      'a Harbor fallback with fallback-library-prefix',
      {
        loggedIn: ['harbor.example.com'],
        fallbackUsed: true,
        fallbackLibraryPrefix: 'harbor.example.com/dockerhub/library',
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
      },
    ],
  ])('%s', (_label, input, expected) => {
    expect(computeOutputs(input)).toEqual(expected);
  });

  test('every output named in action.yml is a string', () => {
    const outputs = computeOutputs({ loggedIn: ['public.ecr.aws'], fallbackUsed: false });
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const value of Object.values(outputs)) expect(typeof value).toBe('string');
  });
});
