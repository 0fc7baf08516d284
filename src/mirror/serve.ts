// The mirror process itself (dist/mirror/index.js serve): credentials from stdin, a server on
// 127.0.0.1, "listening <port>" on stdout once ready, then one log line per request on stderr
// (a file under RUNNER_TEMP). It exits after its lifetime, so a job killed before its post step
// leaves nothing running for long.
import type http from 'node:http';
import { RegistryClient, type RegistryCredentials } from '../registry/client.js';
import { plainLine } from '../runner/runtime.js';
import { upstreamOf } from './routes.js';
import { createMirrorServer } from './server.js';

const UPSTREAM_TIMEOUT_MS = 30_000;

export interface ServeOptions {
  libraryPrefix: string;
  lifetimeMs: number;
}

export interface ServeIo {
  stdin: NodeJS.ReadableStream;
  ready: (line: string) => void;
  log: (line: string) => void;
  exit: (code: number) => void;
}

async function readCredentials(stdin: NodeJS.ReadableStream): Promise<RegistryCredentials> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RegistryCredentials;
  if (typeof value?.username !== 'string' || typeof value.password !== 'string') {
    throw new Error('expected {"username","password"} on stdin');
  }
  return value;
}

export async function serve(o: ServeOptions, io: ServeIo): Promise<http.Server> {
  const upstream = upstreamOf(o.libraryPrefix);
  if (!upstream) throw new Error(`not a library prefix: ${o.libraryPrefix}`);
  const credentials = await readCredentials(io.stdin);
  const client = new RegistryClient({
    origin: upstream.origin,
    credentials,
    timeoutMs: UPSTREAM_TIMEOUT_MS,
  });
  const log = (line: string) => io.log(plainLine(line.split(credentials.password).join('***')));
  const server = createMirrorServer({ upstream, client, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  const stop = (why: string) => {
    log(`stopping: ${why}`);
    server.close();
    server.closeAllConnections();
    io.exit(0);
  };
  setTimeout(() => stop(`lifetime of ${o.lifetimeMs / 3_600_000} h reached`), o.lifetimeMs);
  process.once('SIGTERM', () => stop('SIGTERM'));
  log(`mirror of ${o.libraryPrefix} listening on http://127.0.0.1:${port}`);
  io.ready(`listening ${port}`);
  return server;
}
