// Is the Docker daemon up? docker login (CLI 28) succeeds without one, and every pull after it
// would then fail, so main asks the daemon's /_ping the way the CLI would connect: its unix
// socket, or tcp:// with TLS and the client certificate when DOCKER_TLS_VERIFY is set.
// No extra process; about a millisecond.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ActionError, describeError } from '../common/errors.js';

type Env = Record<string, string | undefined>;

/** Where the CLI would reach the daemon; undefined when we cannot tell cheaply (ssh, contexts). */
type TcpTarget = {
  url: string;
  host: string;
  port: number;
  tls?: { verify: boolean; certPath: string };
};
export type DaemonTarget = { url: string; socketPath: string } | TcpTarget;

const START_FIX =
  'Start the Docker daemon on this runner (e.g. `sudo systemctl start docker`), or point DOCKER_HOST at a running one.';

/** The unix socket the CLI would use (kept for callers that only need that). */
export function daemonSocket(
  env: Env,
  currentContext?: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const target = daemonTarget(env, currentContext, platform);
  return target && 'socketPath' in target ? target.socketPath : undefined;
}

export function daemonTarget(
  env: Env,
  currentContext?: string,
  platform: NodeJS.Platform = process.platform,
): DaemonTarget | undefined {
  if (platform === 'win32') return undefined; // a named pipe, not a socket path
  const context = env.DOCKER_CONTEXT || currentContext;
  if (context && context !== 'default') return undefined;
  const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return { url: host, socketPath: host.slice('unix://'.length) };
  if (!host.startsWith('tcp://')) return undefined;
  // As the CLI: DOCKER_TLS_VERIFY (any value) verifies the daemon; DOCKER_TLS alone encrypts.
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  const secure = verify || Boolean(env.DOCKER_TLS);
  let url: URL;
  try {
    url = new URL(host.replace(/^tcp:/, secure ? 'https:' : 'http:'));
  } catch {
    return undefined; // the CLI reports a malformed DOCKER_HOST itself
  }
  const certPath = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), '.docker');
  return {
    url: host,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (secure ? 2376 : 2375),
    tls: secure ? { verify, certPath } : undefined,
  };
}

/** The CLI's files in DOCKER_CERT_PATH: ca.pem (when verifying), cert.pem and key.pem. */
function tlsOptions(target: TcpTarget & { tls: NonNullable<TcpTarget['tls']> }) {
  const read = (name: string, required: boolean) => {
    try {
      return readFileSync(join(target.tls.certPath, name));
    } catch (error) {
      if (!required) return undefined;
      throw new ActionError(
        `Cannot reach the Docker daemon at ${target.url} over TLS: ${join(target.tls.certPath, name)} could not be read (${describeError(error)}).`,
        'DOCKER_TLS_VERIFY is set: DOCKER_CERT_PATH (else ~/.docker) must hold ca.pem, cert.pem and key.pem, as the docker CLI needs them too.',
      );
    }
  };
  const verify = target.tls.verify;
  return {
    ca: verify ? read('ca.pem', true) : undefined,
    cert: read('cert.pem', verify),
    key: read('key.pem', verify),
    rejectUnauthorized: verify,
  };
}

/** Pings the daemon behind a unix socket (undefined: nothing to check). */
export const pingDaemon = (socketPath: string | undefined, timeoutMs: number): Promise<void> =>
  pingDaemonAt(socketPath ? { url: `unix://${socketPath}`, socketPath } : undefined, timeoutMs);

/**
 * A request over the daemon's unix socket, on a connection of its own. No TLS there: the empty
 * server name spares node's agent its IP check of "localhost" (the first costs ~2.5 ms: V8
 * interprets node's IPv6 expression once before compiling it), which post pays for nothing else.
 */
export const overSocket = (socketPath: string) =>
  ({ socketPath, servername: '', agent: false }) as const;

/** node:https only for a daemon behind TLS: post and most mains never need it. */
const loadHttps = () => createRequire(import.meta.url)('node:https') as typeof https;

function daemonRequest(target: DaemonTarget, path: string, timeoutMs: number): http.ClientRequest {
  const options = { path, timeout: timeoutMs, agent: false as const };
  if ('socketPath' in target) return http.get({ ...options, ...overSocket(target.socketPath) });
  const where = { ...options, host: target.host, port: target.port };
  if (!target.tls) return http.get(where);
  return loadHttps().get({ ...where, ...tlsOptions({ ...target, tls: target.tls }) });
}

export function pingDaemonAt(target: DaemonTarget | undefined, timeoutMs: number): Promise<void> {
  if (!target) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(
        new ActionError(
          `The Docker daemon is not running or not reachable at ${target.url} (${why}), so images could not be pulled after a login.`,
          START_FIX,
        ),
      );
    const request = daemonRequest(target, '/_ping', timeoutMs); // throws (rejecting) when a TLS file is missing
    request.once('response', (response) => {
      response.resume();
      if (response.statusCode === 200) resolve();
      else fail(`/_ping answered HTTP ${response.statusCode}`);
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', (error) => fail((error as NodeJS.ErrnoException).code ?? error.message));
  });
}

/** The registry mirrors the daemon uses now (`docker info`'s RegistryConfig.Mirrors), from its socket. */
export const daemonMirrors = (socketPath: string, timeoutMs: number): Promise<string[]> =>
  daemonMirrorsAt({ url: `unix://${socketPath}`, socketPath }, timeoutMs);

/** The same over however the CLI reaches the daemon: its socket, tcp:// or TLS. */
export function daemonMirrorsAt(target: DaemonTarget, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = daemonRequest(target, '/info', timeoutMs); // throws (rejecting) when a TLS file is missing
    request.once('response', (response) => {
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
