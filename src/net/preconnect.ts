// Opens the TCP + TLS connections to hosts the step will call next while an earlier request is
// in flight (STS and the token service do not depend on the OIDC answer; aws/direct-rule says
// which hosts they are), and hands each to the first request for its host. One keep-alive agent
// then serves every later request to that host.
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

type AgentCallback = (error: Error | null, stream: Duplex) => void;

const hostKey = (host: string, port: number) => `${host.replace(/^\[|\]$/g, '')}:${port}`;

export class PreconnectingAgent extends https.Agent {
  private readonly opened = new Map<string, tls.TLSSocket>();

  constructor(private readonly tlsOptions: Pick<tls.ConnectionOptions, 'ca'> = {}) {
    super({ ...tlsOptions, keepAlive: true });
  }

  /** Starts connecting to an https origin; a failed connection is dropped and the request connects itself. */
  preconnect(origin: string | undefined): void {
    const url = origin ? safeUrl(origin) : undefined;
    if (url?.protocol !== 'https:') return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || 443;
    const key = hostKey(host, port);
    if (this.opened.has(key)) return;
    const servername = net.isIP(host) ? undefined : host;
    const socket = tls.connect({ ...this.tlsOptions, host, port, servername });
    const drop = () => {
      if (this.opened.get(key) === socket) this.opened.delete(key);
    };
    socket.on('error', drop).once('close', drop);
    this.opened.set(key, socket);
  }

  override createConnection(options: http.ClientRequestArgs, done?: AgentCallback) {
    const key = hostKey(String(options.host ?? 'localhost'), Number(options.port) || 443);
    const socket = this.opened.get(key);
    this.opened.delete(key);
    if (socket && !socket.destroyed) return socket;
    return super.createConnection(options, done);
  }
}

const safeUrl = (value: string) => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};
