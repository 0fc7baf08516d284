// The mirror process itself (dist/mirror/index.js serve): credentials from stdin, a server on
// 127.0.0.1, "listening <port>" on stdout once ready, then one log line per request on stderr
// (a file under RUNNER_TEMP). When it ends is job-watch.ts's business, not this file's.
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import net from 'node:net';
import { proxyAgents, proxyConfigured, proxyFor } from '../net/proxy.js';
import { RegistryClient, type RegistryCredentials } from '../registry/client.js';
import { plainLine } from '../runner/runtime.js';
import { admitByUid } from './admit.js';
import { Breaker } from './breaker.js';
import { sharedReads } from './peer-uid.js';
import { NO_CREDENTIAL, PORT_TAKEN } from './protocol.js';
import { upstreamOf } from './routes.js';
import { createMirrorServer } from './server.js';

/**
 * Connect, TLS, token and headers: a pull waits at most this for a mirror that cannot answer
 * before the daemon falls back to Docker Hub.
 */
const HEADER_TIMEOUT_MS = 4_000;
/** A stream that stalls this long mid-body is cut. */
const IDLE_TIMEOUT_MS = 15_000;
/** After a failure, the mirror answers 503 at once for this long. */
const BREAKER_OPEN_MS = 30_000;

/** What main writes on stdin: the credentials and the step's proxy settings. */
export interface MirrorInput extends RegistryCredentials {
  /** The `http-proxy` input ('' when unset) and the proxy variables of main's environment. */
  proxy?: { override: string; env: Record<string, string> };
}

export interface ServeOptions {
  libraryPrefix: string;
  /** `mirror-port`; unset: a free port. */
  port?: number;
}

export interface ServeIo {
  stdin: NodeJS.ReadableStream;
  ready: (line: string) => void;
  log: (line: string) => void;
  exit: (code: number) => void;
}

async function readInput(stdin: NodeJS.ReadableStream): Promise<MirrorInput> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  // Spawned while the login was out: main ended (or gave up) before it had the credential.
  if (chunks.length === 0) throw new Error(NO_CREDENTIAL);
  const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MirrorInput;
  if (typeof value?.username !== 'string' || typeof value.password !== 'string') {
    throw new Error('expected {"username","password"} on stdin');
  }
  return value;
}

/** Root (a rootful daemon) and our own user (it holds the credentials already). */
const allowedUids = () => [...new Set([0, process.geteuid?.() ?? 0])];

/** Listens on 127.0.0.1 (never shared: a port another process holds is a refusal, not a retry). */
function listen(server: http.Server, port = 0): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`${PORT_TAKEN}: another process listens on 127.0.0.1:${port}`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
}

/**
 * Node's first listen() loads its dns and cluster modules and compiles its IPv6 check (about
 * 5 ms on Node 24, measured): done on a throwaway port while main's login is out, so the real
 * listen after the credential is quick. Nothing can be served there: it closes at once.
 */
function warmListen(): void {
  const probe = net.createServer((socket) => socket.destroy());
  probe.once('error', () => undefined);
  probe.listen(0, '127.0.0.1', () => probe.close());
}

export async function serve(o: ServeOptions, io: ServeIo): Promise<http.Server> {
  const upstream = upstreamOf(o.libraryPrefix);
  if (!upstream) throw new Error(`not a library prefix: ${o.libraryPrefix}`);
  warmListen();
  const { proxy, ...credentials } = await readInput(io.stdin);
  const { override = '', env = {} } = proxy ?? {};
  const client = new RegistryClient({
    origin: upstream.origin,
    credentials,
    timeoutMs: IDLE_TIMEOUT_MS,
    agent: proxyConfigured(env, override)
      ? proxyAgents(env, override, HEADER_TIMEOUT_MS).https
      : undefined,
  });
  const log = (line: string) => io.log(plainLine(line.split(credentials.password).join('***')));
  const server = createMirrorServer({
    upstream,
    client,
    log,
    admit: admitByUid({ allowed: allowedUids(), read: sharedReads((f) => readFile(f, 'latin1')) }),
    breaker: new Breaker({ openMs: BREAKER_OPEN_MS }),
    headerTimeoutMs: HEADER_TIMEOUT_MS,
  });
  await listen(server, o.port);
  const { port } = server.address() as { port: number };
  const via = proxyFor(new URL(upstream.origin), env, override);
  log(
    `mirror of ${o.libraryPrefix} listening on http://127.0.0.1:${port} for uids ${allowedUids().join(', ')}${via ? ` (upstream through proxy ${via.host})` : ''}`,
  );
  io.ready(`listening ${port}`);
  return server;
}
