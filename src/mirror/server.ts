// The mirror's HTTP server: answers the daemon's pulls by streaming the upstream registry's
// answers back (redirects included, so layers still come straight from the registry's CDN).
import http from 'node:http';
import { describeError } from '../common/errors.js';
import type { RegistryClient } from '../registry/client.js';
import type { Admit } from './admit.js';
import type { Breaker } from './breaker.js';
import { route, type Upstream } from './routes.js';

/** Headers a pull needs from the upstream answer; nothing else (no cookies, no auth) is passed. */
const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'docker-content-digest',
  'location',
  'etag',
  'last-modified',
  'cache-control',
];

export interface MirrorServerOptions {
  upstream: Upstream;
  client: Pick<RegistryClient, 'request'>;
  /** Refuses connections that are not the daemon's (a reason), once per connection. */
  admit: Admit;
  /** Answers at once for a while after the upstream failed. */
  breaker: Breaker;
  /** Connect, TLS, token and the answer's headers must all come within this. */
  headerTimeoutMs: number;
  /** One line per request; never given a header or a token. */
  log: (line: string) => void;
  now?: () => number;
}

/** The upstream did not answer within the bound, or the daemon hung up first. */
class Cut extends Error {
  constructor(
    message: string,
    readonly byClient: boolean,
  ) {
    super(message);
  }
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string) {
  const body = JSON.stringify({ errors: [{ code, message }] });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'docker-distribution-api-version': 'registry/2.0',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The answer, or the abort's reason as soon as the signal fires: the client's token request
 * takes no signal, so it is raced rather than waited for (an answer that comes late is dropped).
 */
function bounded<T extends http.IncomingMessage>(pending: Promise<T>, signal: AbortSignal) {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  pending.then(
    (late) => signal.aborted && late.resume(),
    () => undefined,
  );
  return Promise.race([pending, aborted]);
}

/** Asks the upstream for what the daemon asked, bounded until the answer's headers arrive. */
function askUpstream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { repository: string; path: string },
  o: MirrorServerOptions,
): Promise<http.IncomingMessage> {
  const abort = new AbortController();
  res.once('close', () => abort.abort(new Cut('the daemon hung up', true)));
  const timer = setTimeout(
    () => abort.abort(new Cut(`no answer within ${o.headerTimeoutMs} ms`, false)),
    o.headerTimeoutMs,
  );
  const accept = req.headers.accept
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const request = o.client.request({
    method: req.method as 'GET' | 'HEAD',
    path: target.path,
    repository: target.repository,
    accept,
    signal: abort.signal,
  });
  return bounded(request, abort.signal).finally(() => clearTimeout(timer));
}

async function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { repository: string; path: string },
  o: MirrorServerOptions,
): Promise<string> {
  const answer = await askUpstream(req, res, target, o);
  const status = answer.statusCode ?? 502;
  if (status >= 400) {
    answer.resume();
    // 404: the daemon then pulls from Docker Hub itself. Anything else is our failure: 502.
    if (status === 404) sendError(res, 404, 'MANIFEST_UNKNOWN', 'not on the upstream registry');
    else sendError(res, 502, 'UNAVAILABLE', `upstream answered HTTP ${status}`);
    return `upstream ${status}`;
  }
  const headers: Record<string, string | string[]> = {
    'docker-distribution-api-version': 'registry/2.0',
  };
  for (const name of PASSED_HEADERS) {
    const value = answer.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  res.writeHead(status, headers);
  answer.pipe(res);
  await new Promise((resolve) => res.once('close', resolve));
  return `upstream ${status}${answer.readableEnded ? '' : ' (cut short)'}`;
}

/** Forwards through the breaker: a failure opens it, an answer closes it. */
function forwardGuarded(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { repository: string; path: string },
  o: MirrorServerOptions,
  done: (detail: string) => void,
) {
  const waitMs = o.breaker.wait();
  if (waitMs > 0) {
    res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
    sendError(res, 503, 'UNAVAILABLE', 'the upstream registry failed just now; try Docker Hub');
    return done(`upstream failed recently, next try in ${waitMs} ms`);
  }
  forward(req, res, target, o).then(
    (detail) => {
      if (res.statusCode >= 500) o.breaker.failed();
      else o.breaker.succeeded();
      done(detail);
    },
    (error: unknown) => {
      if (error instanceof Cut && error.byClient) o.breaker.released();
      else o.breaker.failed();
      if (!res.headersSent) sendError(res, 502, 'UNAVAILABLE', 'upstream unreachable');
      else res.destroy();
      done(`upstream failed: ${describeError(error)}`);
    },
  );
}

function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  o: MirrorServerOptions,
  done: (detail: string) => void,
) {
  const r = route(req.method, req.url ?? '/', o.upstream);
  if (r.kind === 'ping') {
    res.writeHead(200, {
      'content-type': 'application/json',
      'docker-distribution-api-version': 'registry/2.0',
    });
    res.end('{}');
    return done('ping');
  }
  if (r.kind === 'refuse') {
    sendError(res, r.status, r.code, r.message);
    return done(r.message);
  }
  forwardGuarded(req, res, r, o, done);
}

export function createMirrorServer(o: MirrorServerOptions): http.Server {
  const now = o.now ?? Date.now;
  return http.createServer((req, res) => {
    const started = now();
    const done = (detail: string) =>
      o.log(
        `${new Date(started).toISOString()} ${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${detail} ${now() - started} ms`,
      );
    void o.admit(req.socket).then((refusal) => {
      if (!refusal) return handle(req, res, o, done);
      sendError(res, 403, 'DENIED', 'this mirror serves the local Docker daemon only');
      done(`refused: ${refusal}`);
    });
  });
}
