// @ts-check
// A plain-HTTP server on 127.0.0.1 with a random port. Handlers return a response description
// (or 'hang' / 'reset'); close() also cuts keep-alive and deliberately hung connections.
import http from 'node:http';

/**
 * A request with its whole body read.
 * @typedef {object} FakeRequest
 * @property {string} method
 * @property {URL} url parsed against the server's own origin
 * @property {string} rawPath path and query exactly as sent (SigV4 signs this form)
 * @property {http.IncomingHttpHeaders} headers
 * @property {string[]} rawHeaders
 * @property {Buffer} body
 */

/**
 * @typedef {object} FakeResponse
 * @property {number} status
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 */

/** @typedef {FakeResponse | 'hang' | 'reset'} Outcome */

/**
 * @typedef {object} RunningServer
 * @property {string} origin e.g. http://127.0.0.1:PORT
 * @property {() => Promise<void>} close
 */

/**
 * @param {(req: FakeRequest) => Promise<Outcome>} handler
 * @returns {Promise<RunningServer>}
 */
export async function startServer(handler) {
  /** @type {string} */
  let origin = '';
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', origin),
        rawPath: req.url ?? '/',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      handler(request).then(
        (outcome) => answer(res, outcome),
        (error) => answer(res, { status: 500, body: `fake crashed: ${error?.stack ?? error}` }),
      );
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * @param {http.ServerResponse} res
 * @param {Outcome} outcome
 */
function answer(res, outcome) {
  if (outcome === 'hang') return; // held open until close() destroys the socket
  if (outcome === 'reset') {
    // A TCP RST, so clients see ECONNRESET rather than a clean end of stream.
    res.socket?.resetAndDestroy();
    return;
  }
  if (res.destroyed) return;
  const body = outcome.body ?? '';
  res.writeHead(outcome.status, {
    ...outcome.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
