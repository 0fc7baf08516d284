// Opens the TCP + TLS connections to hosts the step will call next while an earlier request is
// in flight (STS and ECR Public do not depend on the OIDC answer), and hands each to the first
// request for its host. One keep-alive agent then serves every later request to that host.
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

type Env = Record<string, string | undefined>;
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

const truthy = (value: string | undefined) => /^(true|1)$/i.test(value ?? '');

/** The origins the SDK will call for STS and ECR Public, as far as they can be told from env. */
export function awsOrigins(env: Env, stsRegion: string): { sts?: string; ecrPublic?: string } {
  const custom = env.AWS_ENDPOINT_URL;
  // FIPS and dual-stack names differ; guessing wrong only wastes a connection, so don't guess.
  if (truthy(env.AWS_USE_FIPS_ENDPOINT) || truthy(env.AWS_USE_DUALSTACK_ENDPOINT)) {
    return {
      sts: env.AWS_ENDPOINT_URL_STS || custom,
      ecrPublic: env.AWS_ENDPOINT_URL_ECR_PUBLIC || custom,
    };
  }
  const suffix = stsRegion.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    sts: env.AWS_ENDPOINT_URL_STS || custom || `https://sts.${stsRegion}.${suffix}`,
    ecrPublic:
      env.AWS_ENDPOINT_URL_ECR_PUBLIC || custom || 'https://api.ecr-public.us-east-1.amazonaws.com',
  };
}
