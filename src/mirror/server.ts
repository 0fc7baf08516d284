// The mirror's HTTP server: answers the daemon's pulls by streaming the upstream registry's
// answers back (redirects included, so layers still come straight from the registry's CDN).
import http from 'node:http';
import { describeError } from '../common/errors.js';
import type { RegistryClient } from '../registry/client.js';
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
  /** One line per request; never given a header or a token. */
  log: (line: string) => void;
  now?: () => number;
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

async function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { repository: string; path: string },
  o: MirrorServerOptions,
): Promise<string> {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const accept = req.headers.accept
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const answer = await o.client.request({
    method: req.method as 'GET' | 'HEAD',
    path: target.path,
    repository: target.repository,
    accept,
    signal: abort.signal,
  });
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

export function createMirrorServer(o: MirrorServerOptions): http.Server {
  const now = o.now ?? Date.now;
  return http.createServer((req, res) => {
    const started = now();
    const r = route(req.method, req.url ?? '/', o.upstream);
    const done = (detail: string) =>
      o.log(
        `${new Date(started).toISOString()} ${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${detail} ${now() - started} ms`,
      );
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
    forward(req, res, r, o).then(done, (error: unknown) => {
      if (!res.headersSent) sendError(res, 502, 'UNAVAILABLE', 'upstream unreachable');
      else res.destroy();
      done(`upstream failed: ${describeError(error)}`);
    });
  });
}
