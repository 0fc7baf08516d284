// @ts-check
// A plain-HTTP server on 127.0.0.1 with a random port. Handlers return a response description
// (or 'hang' / 'reset'); close() also cuts keep-alive and deliberately hung connections.
// listenLocal is the one loopback listener: the fakes and the test fixtures' servers use it.
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
  const local = await listenLocal(server);
  origin = local.origin;
  return { origin, close: local.close };
}

/**
 * Listens on 127.0.0.1 (random port), or on a unix socket, and closes with every connection
 * cut: keep-alive, hung, and any other socket handed to `track` (a proxy's upstream tunnels).
 * @param {http.Server} server
 * @param {string} [socketPath]
 */
export async function listenLocal(server, socketPath) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @param {import('node:net').Socket} socket */
  const track = (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    if (socketPath) server.listen(socketPath, () => resolve(undefined));
    else server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  return {
    origin: socketPath ? '' : `http://127.0.0.1:${port}`,
    port,
    track,
    /** @returns {Promise<void>} */
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
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
