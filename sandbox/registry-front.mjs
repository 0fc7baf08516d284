// @ts-check
// The TLS front on [::1]:443: one certificate for every registry name; it routes by Host header
// to the stand-ins' docker-registry processes and serves the token endpoints itself, and it
// records every request per stand-in (the access logs tests read).
// Why a front and not one address per registry: one listener keeps [::1]:443 (dockerd treats
// 127.0.0.0/8 as insecure), needs no extra addresses in the namespace, lets /token/ and /v2/
// share public.ecr.aws, and gives exact access logs; it runs in the sandbox's Node process, so
// never block that event loop (no synchronous docker calls from the process running the sandbox).
import http from 'node:http';
import https from 'node:https';
import { parseBasic, tokenEndpoint } from './fakes/registry-auth.mjs';
import { classifyPath, issuerFor } from './registries.mjs';

/**
 * @typedef {import('./registries.mjs').StandIn} StandIn
 * @typedef {import('./fakes/registry-auth.mjs').RegistryLogins} RegistryLogins
 * @typedef {import('./fakes/registry-auth.mjs').TokenKey} TokenKey
 * @typedef {(req: { method: string, url: URL, headers: http.IncomingHttpHeaders }) => import('./fakes/http.mjs').FakeResponse} TokenHandler
 * @typedef {{ standIn: StandIn, token?: TokenHandler, tokenPath?: string,
 *   publicKey?: import('node:crypto').KeyObject }} Route publicKey: the token endpoint's
 */

/**
 * @param {object} o
 * @param {StandIn[]} o.standIns
 * @param {RegistryLogins} o.logins
 * @param {TokenKey} o.key
 */
export function frontRoutes({ standIns, logins, key }) {
  /** @type {Map<string, Route>} */
  const routes = new Map();
  for (const standIn of standIns) {
    const { spec } = standIn;
    for (const host of spec.hosts) routes.set(host, { standIn, publicKey: key.publicKey });
    if (spec.auth !== 'token' || !spec.realm || !spec.service) continue;
    const realm = new URL(spec.realm);
    const token = tokenEndpoint({
      registry: standIn.name,
      service: spec.service,
      issuer: issuerFor(spec.service),
      key,
      logins,
      anonymous: () => standIn.anonymous,
      ...(spec.registryWideScope && {
        registryWide: { scope: spec.registryWideScope, repositories: () => standIn.repositories },
      }),
    });
    const existing = routes.get(realm.hostname);
    routes.set(realm.hostname, {
      standIn: existing?.standIn ?? standIn,
      token,
      tokenPath: realm.pathname,
    });
  }
  return routes;
}

/**
 * @param {object} o
 * @param {Map<string, Route>} o.routes
 * @param {RegistryLogins} o.logins
 * @param {{ cert: string, key: string }} o.tls PEM text
 * @param {number} [o.port] default 443 (WAN mode puts its delay proxy there)
 * @returns {Promise<{ close: () => Promise<void> }>}
 */
export async function startFront({ routes, logins, tls, port = 443 }) {
  const agent = new http.Agent({ keepAlive: true });
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const route = routes.get(host);
    if (!route) {
      res.writeHead(404).end(`no registry stand-in for ${host}\n`);
      return;
    }
    const url = new URL(req.url ?? '/', `https://${host}`);
    if (route.token && route.tokenPath && url.pathname === route.tokenPath) {
      serveToken(route, host, url, req, res);
    } else if (route.standIn.rateLimit && route.publicKey) {
      serveHub({ route, host, url, req, res, agent, logins });
    } else {
      proxy({ route, host, url, req, res, agent, logins });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '::1', () => resolve(undefined));
  });
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/**
 * @param {Route} route
 * @param {string} host
 * @param {URL} url
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function serveToken(route, host, url, req, res) {
  req.resume();
  req.once('end', () => {
    const handler = /** @type {TokenHandler} */ (route.token);
    const answer = handler({ method: req.method ?? 'GET', url, headers: req.headers });
    route.standIn.log.push({
      ...entry(route, host, req, url, answer.status),
      kind: 'token',
      scopes: url.searchParams.getAll('scope'),
    });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
}

/**
 * @param {Route} route
 * @param {string} host
 * @param {http.IncomingMessage} req
 * @param {URL} url
 * @param {number} status
 * @returns {import('./registries.mjs').RegistryRequest}
 */
function entry(route, host, req, url, status) {
  const auth = String(req.headers.authorization ?? '');
  return {
    registry: route.standIn.name,
    host,
    method: req.method ?? 'GET',
    path: url.pathname + url.search,
    ...classifyPath(url.pathname),
    user: parseBasic(auth)?.username ?? null,
    bearer: /^Bearer\s/i.test(auth),
    status,
  };
}

/**
 * Docker Hub: manifest answers carry the pull-limit headers, and the front answers the
 * rate-limit check repository itself (hub-ratelimit.mjs); everything else is proxied as usual.
 * @param {{ route: Route, host: string, url: URL, req: http.IncomingMessage,
 *   res: http.ServerResponse, agent: http.Agent, logins: RegistryLogins }} o
 */
function serveHub(o) {
  const { route, host, url, req, res } = o;
  const hub = /** @type {import('./hub-ratelimit.mjs').HubRateLimit} */ (route.standIn.rateLimit);
  hub
    .manifest({
      method: req.method ?? 'GET',
      pathname: url.pathname,
      authorization: String(req.headers.authorization ?? ''),
      ip: req.socket.remoteAddress ?? '',
      publicKey: /** @type {import('node:crypto').KeyObject} */ (route.publicKey),
    })
    .then(
      (outcome) => {
        if (outcome === null || !('answer' in outcome)) {
          proxy({ ...o, extraHeaders: outcome?.headers });
          return;
        }
        req.resume();
        route.standIn.log.push(entry(route, host, req, url, outcome.answer.status));
        res.writeHead(outcome.answer.status, outcome.answer.headers).end(outcome.answer.body);
      },
      (error) => res.writeHead(500).end(`rate-limit hook failed: ${error}\n`),
    );
}

/**
 * Passes the request to the stand-in's docker-registry; for ECR private it checks the Basic
 * credentials first, as ECR does, since docker-registry's htpasswd cannot hold many passwords.
 * @param {{ route: Route, host: string, url: URL, req: http.IncomingMessage,
 *   res: http.ServerResponse, agent: http.Agent, logins: RegistryLogins,
 *   extraHeaders?: (status: number) => Record<string, string> }} o
 */
function proxy({ route, host, url, req, res, agent, logins, extraHeaders }) {
  const { standIn } = route;
  const { spec } = standIn;
  const headers = { ...req.headers, 'x-forwarded-proto': 'https' };
  if (spec.auth === 'basic') {
    const login = parseBasic(String(req.headers.authorization ?? ''));
    if (!login || !logins.accepts(standIn.name, login.username, login.password)) {
      req.resume();
      standIn.log.push(entry(route, host, req, url, 401));
      res
        .writeHead(401, { 'www-authenticate': spec.challenge, 'content-type': 'text/plain' })
        .end('Not Authorized\n');
      return;
    }
    delete headers.authorization;
  }
  const upstream = http.request(
    { host: '127.0.0.1', port: standIn.port, method: req.method, path: req.url, headers, agent },
    (answer) => {
      const out = { ...answer.headers, ...extraHeaders?.(answer.statusCode ?? 502) };
      if (answer.statusCode === 401 && spec.challenge) out['www-authenticate'] = spec.challenge;
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      standIn.log.push(entry(route, host, req, url, answer.statusCode ?? 502));
    },
  );
  upstream.once('error', (error) => {
    if (!res.headersSent)
      res.writeHead(502).end(`stand-in ${standIn.name} unreachable: ${error}\n`);
    else res.destroy();
  });
  req.pipe(upstream);
}
