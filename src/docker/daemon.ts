// Is the Docker daemon up? docker login (CLI 28) succeeds without one, and every pull after it
// would then fail, so main asks the daemon's /_ping over its socket: no extra process, overlapped
// with the AWS calls.
import http from 'node:http';
import { ActionError } from '../errors.js';

type Env = Record<string, string | undefined>;

/** The unix socket the CLI would use, or undefined when we cannot tell cheaply (tcp, ssh, contexts). */
export function daemonSocket(
  env: Env,
  currentContext?: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform === 'win32') return undefined; // a named pipe, not a socket path
  const context = env.DOCKER_CONTEXT || currentContext;
  if (context && context !== 'default') return undefined;
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

export function pingDaemon(socketPath: string | undefined, timeoutMs: number): Promise<void> {
  if (!socketPath) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(
        new ActionError(
          `The Docker daemon is not running or not reachable at unix://${socketPath} (${why}), so images could not be pulled after a login.`,
          'Start the Docker daemon on this runner (e.g. `sudo systemctl start docker`), or point DOCKER_HOST at a running one.',
        ),
      );
    const request = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (response) => {
      response.resume();
      if (response.statusCode === 200) resolve();
      else fail(`/_ping answered HTTP ${response.statusCode}`);
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', (error) => fail((error as NodeJS.ErrnoException).code ?? error.message));
  });
}

/** The registry mirrors the daemon uses now (`docker info`'s RegistryConfig.Mirrors), from its socket. */
export function daemonMirrors(socketPath: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: '/info', timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        try {
          const info = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve((info?.RegistryConfig?.Mirrors as string[] | null) ?? []);
        } catch (error) {
          reject(error);
        }
      });
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', reject);
  });
}
