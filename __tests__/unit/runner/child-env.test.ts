// Which variables a child (docker, its plugins and credential helpers) inherits.
import { describe, expect, test } from '@jest/globals';
import { childEnv, isPassedToChildren } from '../../../src/runner/child-env.js';

describe('isPassedToChildren', () => {
  test.each([
    'PATH',
    'HOME',
    'Path', // Windows spells it so
    'DOCKER_CONFIG',
    'DOCKER_HOST',
    'DOCKER_CERT_PATH',
    'DOCKER_TLS_VERIFY',
    'DOCKER_CONTEXT',
    'BUILDX_CONFIG',
    'XDG_RUNTIME_DIR', // rootless docker's socket
    'https_proxy',
    'NO_PROXY',
    'SSL_CERT_FILE',
    'SSH_AUTH_SOCK', // DOCKER_HOST=ssh://
    'PASSWORD_STORE_DIR', // docker-credential-pass
    'DBUS_SESSION_BUS_ADDRESS', // docker-credential-secretservice
    'RUNNER_TRACKING_ID',
    'LC_ALL',
  ])('%s is passed', (name) => expect(isPassedToChildren(name)).toBe(true));

  test.each([
    'INPUT_FALLBACK-TOKEN',
    'INPUT_ROLE-TO-ASSUME',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RESULTS_URL',
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'DOCKER_AUTH_CONFIG',
    'DOCKER_PASSWORD',
    'DOCKER_HUB_TOKEN',
    'DOCKER_PRIVATE_KEY',
    'STATE_post',
    'NPM_TOKEN',
    'MY_SECRET',
  ])('%s is not', (name) => expect(isPassedToChildren(name)).toBe(false));
});

test('childEnv keeps the values of what passes, drops undefined', () => {
  expect(childEnv({ PATH: '/bin', HOME: undefined, GITHUB_TOKEN: 'ghs_x' })).toEqual({
    PATH: '/bin',
  });
});
