import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonSocket, pingDaemon } from '../../../src/docker/daemon.js';
import { ActionError } from '../../../src/common/errors.js';
import { startHttpServer, type Handler, type LocalServer } from '../../fixtures/local-servers.js';

describe('daemonSocket', () => {
  test.each<[string, Record<string, string>, string | undefined, string | undefined]>([
    ['nothing set', {}, undefined, '/var/run/docker.sock'],
    ['empty DOCKER_HOST', { DOCKER_HOST: '' }, undefined, '/var/run/docker.sock'],
    ['the default context', {}, 'default', '/var/run/docker.sock'],
    [
      'a unix DOCKER_HOST',
      { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' },
      undefined,
      '/run/user/1000/docker.sock',
    ],
    ['a tcp DOCKER_HOST', { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, undefined, undefined],
    ['an ssh DOCKER_HOST', { DOCKER_HOST: 'ssh://me@build-host' }, undefined, undefined],
    [
      'an npipe DOCKER_HOST',
      { DOCKER_HOST: 'npipe:////./pipe/docker_engine' },
      undefined,
      undefined,
    ],
    ['DOCKER_CONTEXT set', { DOCKER_CONTEXT: 'colima' }, undefined, undefined],
    [
      'DOCKER_CONTEXT with a unix DOCKER_HOST',
      { DOCKER_CONTEXT: 'x', DOCKER_HOST: 'unix:///a.sock' },
      undefined,
      undefined,
    ],
    ['a non-default current context', {}, 'rootless', undefined],
    [
      'a non-default context with a unix DOCKER_HOST',
      { DOCKER_HOST: 'unix:///a.sock' },
      'rootless',
      undefined,
    ],
  ])('%s', (_label, env, currentContext, expected) => {
    expect(daemonSocket(env, currentContext)).toBe(expected);
  });
  test('Windows: a named pipe, so no socket ping', () => {
    expect(daemonSocket({}, undefined, 'win32')).toBeUndefined();
    expect(daemonSocket({}, undefined, 'linux')).toBe('/var/run/docker.sock');
  });
});

describe('pingDaemon', () => {
  let dir: string;
  let server: LocalServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ping-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const daemon = async (handler: Handler) => {
    const socket = join(dir, 'docker.sock');
    server = await startHttpServer(handler, socket);
    return socket;
  };
  const failure = async (promise: Promise<void>): Promise<ActionError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  };

  test('resolves when /_ping answers 200 over the unix socket', async () => {
    const socket = await daemon((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain', 'api-version': '1.47' });
      r.end('OK');
    });
    await expect(pingDaemon(socket, 2000)).resolves.toBeUndefined();
    expect(server?.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /_ping']);
  });

  test('an HTTP 500 from /_ping is an ActionError naming the socket and status', async () => {
    const socket = await daemon((_q, r) => {
      r.writeHead(500);
      r.end('daemon is shutting down');
    });
    const error = await failure(pingDaemon(socket, 2000));
    expect(error.message).toContain(`unix://${socket}`);
    expect(error.message).toContain('/_ping answered HTTP 500');
    expect(error.fix).toContain('Start the Docker daemon');
  });

  test('a missing socket is an ActionError naming the socket', async () => {
    const socket = join(dir, 'no-such.sock');
    const error = await failure(pingDaemon(socket, 2000));
    expect(error.message).toContain(
      `The Docker daemon is not running or not reachable at unix://${socket}`,
    );
    expect(error.message).toContain('ENOENT');
    expect(error.fix).toContain('DOCKER_HOST');
  });

  test('a daemon that never answers fails after the timeout', async () => {
    const socket = await daemon(() => undefined);
    const started = Date.now();
    const error = await failure(pingDaemon(socket, 100));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toContain(`unix://${socket}`);
    expect(error.message).toContain('no answer within 100 ms');
  });

  test('no socket (tcp, ssh, contexts) resolves without trying', async () => {
    await expect(pingDaemon(undefined, 10)).resolves.toBeUndefined();
  });
});
