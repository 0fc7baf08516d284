import { describe, expect, test } from '@jest/globals';
import {
  dockerLogin,
  dockerLogout,
  explainDockerFailure,
  loginArgs,
  type LoginRequest,
} from '../../../src/docker/cli.js';
import { ActionError } from '../../../src/common/errors.js';
import { fakeExec, notFound } from '../../fixtures/exec.js';

const PASSWORD = 'eyJwYXlsb2FkIjoiU3VwZXJTZWNyZXQifQ==';
const request = (over: Partial<LoginRequest> = {}): LoginRequest => ({
  registry: 'public.ecr.aws',
  username: 'AWS',
  password: PASSWORD,
  env: { PATH: '/usr/bin', DOCKER_CONFIG: '/tmp/cfg' },
  timeoutMs: 12_345,
  ...over,
});

async function loginFailure(stderr: string, exitCode = 1, over: Partial<LoginRequest> = {}) {
  const f = fakeExec({ login: { exitCode, stderr } });
  try {
    await dockerLogin(f.exec, request(over));
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }
  throw new Error('dockerLogin succeeded');
}

const DAEMON_DOWN =
  'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const NOISE = [
  'time="2025-06-01T12:00:00Z" level=info msg="Error logging in to endpoint, trying next endpoint" error="Get \\"https://public.ecr.aws/v2/\\": net/http: TLS handshake timeout"',
  'time="2025-06-01T12:00:01Z" level=debug msg="attempting next endpoint"',
  'time="2025-06-01T12:00:01Z" level=warning msg="config file has no credsStore"',
];

describe('loginArgs', () => {
  test('is docker login --username U --password-stdin REGISTRY', () => {
    expect(loginArgs('docker.io', 'octo-org')).toEqual([
      'login',
      '--username',
      'octo-org',
      '--password-stdin',
      'docker.io',
    ]);
  });
});

describe('dockerLogin', () => {
  test('runs docker with the exact argv and the password only on stdin', async () => {
    const f = fakeExec({ login: { stdout: 'Login Succeeded\n' } });
    await dockerLogin(f.exec, request());
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0];
    expect(call.command).toBe('docker');
    expect(call.args).toEqual(['login', '--username', 'AWS', '--password-stdin', 'public.ecr.aws']);
    expect(call.options.input).toBe(PASSWORD);
    expect(call.args.join(' ')).not.toContain(PASSWORD);
    expect(JSON.stringify(call.options.env)).not.toContain(PASSWORD);
    expect(call.options.env).toEqual({ PATH: '/usr/bin', DOCKER_CONFIG: '/tmp/cfg' });
    expect(call.options.timeoutMs).toBe(12_345);
  });

  test('a username that looks like a flag stays a single argv element', async () => {
    const f = fakeExec();
    await dockerLogin(f.exec, request({ registry: 'docker.io', username: '--help; rm -rf /' }));
    expect(f.calls[0].args).toEqual([
      'login',
      '--username',
      '--help; rm -rf /',
      '--password-stdin',
      'docker.io',
    ]);
  });

  test('docker not on PATH (ENOENT) → says the CLI was not found', async () => {
    const f = fakeExec({ login: notFound() });
    const error = await dockerLogin(f.exec, request()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    const a = error as ActionError;
    expect(a.message).toBe(
      'docker login public.ecr.aws failed: the docker CLI was not found on PATH.',
    );
    expect(a.fix).toContain('Install Docker');
    expect((a.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  test('another spawn error is passed through as is', async () => {
    const boom = Object.assign(new Error('spawn docker EACCES'), { code: 'EACCES' });
    const f = fakeExec({ login: boom });
    await expect(dockerLogin(f.exec, request())).rejects.toBe(boom);
  });

  test.each([
    DAEMON_DOWN,
    'error during connect: Post "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/auth": open //./pipe/docker_engine: The system cannot find the file specified.',
    'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Post "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/auth": dial unix /var/run/docker.sock: connect: permission denied',
  ])('daemon down: %s', async (stderr) => {
    const error = await loginFailure(stderr);
    expect(error.message).toContain('docker login public.ecr.aws failed');
    expect(error.message).toContain('the Docker daemon is not running or not reachable');
    expect(error.fix).toContain('Start the Docker daemon');
    expect(error.fix).toContain('DOCKER_HOST');
  });

  test.each([
    'Error response from daemon: Get "https://public.ecr.aws/v2/": unauthorized: authentication required',
    'Error response from daemon: login attempt to https://registry-1.docker.io/v2/ failed with status: 401 Unauthorized',
    'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password',
    'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied',
  ])('the registry rejected the credentials: %s', async (stderr) => {
    const refusedFix = 'What the login target says to check.';
    const error = await loginFailure(stderr, 1, { refusedFix });
    expect(error.message).toContain(
      'docker login public.ecr.aws failed: the registry rejected the credentials',
    );
    expect(error.message).toContain(stderr.replace(/^.*?: /, '').slice(0, 20));
    expect(error.fix).toBe(refusedFix);
  });

  test("a refused login without the target's advice says what to check in general", async () => {
    const error = await loginFailure('unauthorized: incorrect username or password');
    expect(error.fix).toBe('Check the username and password this registry was given.');
  });

  test.each([1, 2, 125, 137])('non-zero exit %d with EMPTY stderr is a failure', async (code) => {
    const error = await loginFailure('', code);
    expect(error.message).toBe(
      `docker login public.ecr.aws failed with exit code ${code}: (docker printed nothing on stderr)`,
    );
    expect(error.fix).toContain('docker info');
  });

  test('an exit 0 is success even with warnings on stderr', async () => {
    const f = fakeExec({
      login: {
        exitCode: 0,
        stderr:
          'WARNING! Your password will be stored unencrypted in /root/.docker/config.json.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/engine/reference/commandline/login/#credential-stores\n',
      },
    });
    await expect(dockerLogin(f.exec, request())).resolves.toBeUndefined();
  });

  test("docker's level=info/debug/warning noise and advice are filtered from the message", async () => {
    const real =
      'Error response from daemon: Get "https://public.ecr.aws/v2/": net/http: TLS handshake timeout';
    const stderr = [
      ...NOISE,
      'WARNING! Using --password via the CLI is insecure. Use --password-stdin.',
      'Configure a credential helper to remove this warning. See',
      'https://docs.docker.com/go/credential-store/',
      real,
      '',
    ].join('\n');
    const error = await loginFailure(stderr, 1);
    expect(error.message).toBe(`docker login public.ecr.aws failed with exit code 1: ${real}`);
    expect(error.message).not.toContain('level=');
    expect(error.message).not.toContain('WARNING!');
  });

  test('only noise on stderr counts as nothing printed', async () => {
    const error = await loginFailure(NOISE.join('\r\n'), 1);
    expect(error.message).toContain('(docker printed nothing on stderr)');
    expect(error.message).not.toContain('level=info');
  });

  test('the last three meaningful lines are kept, joined on one line', async () => {
    const stderr = ['line one', 'line two', 'line three', 'line four'].join('\n');
    const error = await loginFailure(stderr, 1);
    expect(error.message).toBe(
      'docker login public.ecr.aws failed with exit code 1: line two line three line four',
    );
  });
});

describe('misclassified docker failures', () => {
  // Only the registry's own refusal is blamed on the credentials: a local "permission denied"
  // while docker SAVES the accepted login, or a "401" inside a port number, is something else.
  test('a permission error saving the login is not blamed on the registry', async () => {
    const error = await loginFailure(
      'Error saving credentials: mkdir /home/runner/.docker: permission denied',
      1,
      { registry: 'docker.io', username: 'octo-org' },
    );
    expect(error.message).not.toContain('rejected the credentials');
    expect(error.message).toContain('permission denied');
  });

  test('a refused connection to port 4401 is not blamed on the credentials', async () => {
    const error = await loginFailure(
      'Error response from daemon: Get "https://registry.example.com:4401/v2/": dial tcp 10.1.2.3:4401: connect: connection refused',
      1,
      { registry: 'registry.example.com:4401', username: 'u' },
    );
    expect(error.message).not.toContain('rejected the credentials');
    expect(error.message).toContain('connection refused');
  });
});

describe('dockerLogout', () => {
  test('runs docker logout REGISTRY with nothing on stdin', async () => {
    const f = fakeExec();
    await dockerLogout(f.exec, 'docker.io', { DOCKER_CONFIG: '/tmp/x' }, 30_000);
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].command).toBe('docker');
    expect(f.calls[0].args).toEqual(['logout', 'docker.io']);
    expect(f.calls[0].options.input).toBeUndefined();
    expect(f.calls[0].options.env).toEqual({ DOCKER_CONFIG: '/tmp/x' });
    expect(f.calls[0].options.timeoutMs).toBe(30_000);
  });

  test('failures are explained with the logout action', async () => {
    const f = fakeExec({ logout: { exitCode: 1, stderr: DAEMON_DOWN } });
    await expect(dockerLogout(f.exec, 'ghcr.io', {}, 1000)).rejects.toThrow(
      'docker logout ghcr.io failed: the Docker daemon is not running',
    );
    const g = fakeExec({ logout: notFound() });
    await expect(dockerLogout(g.exec, 'ghcr.io', {}, 1000)).rejects.toThrow(
      'docker logout ghcr.io failed: the docker CLI was not found on PATH.',
    );
  });
});

describe('explainDockerFailure', () => {
  test('the daemon check wins over an auth word in the same output', () => {
    const error = explainDockerFailure('login', 'public.ecr.aws', 1, `${DAEMON_DOWN}\ndenied`);
    expect(error.message).toContain('Docker daemon is not running');
  });
});
