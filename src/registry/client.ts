// A small Registry v2 client for reads (manifests, blobs): it answers the registry's auth challenge
// the way docker does (a Bearer token from the realm, with Basic credentials or anonymously; or
// Basic on every request), keeps tokens per scope until shortly before they expire, and hands back
// the response unbuffered so a caller can stream a blob or follow nothing (redirects are returned).
import http from 'node:http';
import https from 'node:https';
import { parseChallenge, pullScopes, type Challenge } from './challenge.js';

/** What a real client accepts for a manifest: OCI index and manifest, Docker list and v2 manifest. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** `https://public.ecr.aws` (http only for loopback tests). */
  origin: string;
  /** None: anonymous (ECR Public and Docker Hub hand out anonymous pull tokens). */
  credentials?: RegistryCredentials;
  timeoutMs: number;
  agent?: http.Agent;
  /**
   * The challenge when it is assumed in advance, saving the first 401 round trip. When its token
   * service answers 401 or 404 (a registry in front of it, a moved realm), the client forgets it
   * and learns the registry's own challenge instead.
   */
  challenge?: Challenge;
  /**
   * Repositories the caller will read. When the registry's scope is not per repository (ECR
   * Public's `aws`), one token request asks pull on all of them, so one token serves every read.
   */
  repositories?: string[];
  /** Sees every token as it arrives, to mask it. */
  onToken?: (token: string) => void;
  now?: () => number;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD';
  /** `/v2/<repository>/manifests/<reference>` and the like. */
  path: string;
  /** The repository the path reads, for the token's scope. */
  repository: string;
  accept?: string[];
  signal?: AbortSignal;
}

export class RegistryAuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryAuthError';
  }
}

interface Token {
  value: string;
  refreshAt: number;
}

export class RegistryClient {
  private challenge?: Challenge;
  /** The challenge in use is the caller's assumption, not yet confirmed by a token. */
  private assumed: boolean;
  /** Settles when an assumed challenge that failed has been replaced by the registry's own. */
  private relearning?: Promise<void>;
  /** Settles when the first request has learnt the challenge; later ones wait for it. */
  private learning?: Promise<unknown>;
  private readonly tokens = new Map<string, Promise<Token>>();
  private readonly now: () => number;

  constructor(private readonly o: RegistryClientOptions) {
    this.challenge = o.challenge;
    this.assumed = o.challenge !== undefined;
    this.now = o.now ?? Date.now;
  }

  /** The response, authenticated as the registry asks; the caller reads or discards its body. */
  async request(r: RegistryRequest): Promise<http.IncomingMessage> {
    // Requests that waited for the first one share its failure to reach the registry: each
    // trying again in turn would cost a timeout apiece against a host that drops packets.
    if (!this.challenge && this.learning) await this.learning;
    if (!this.challenge) {
      const first = this.send(r, undefined);
      this.learning = first;
      first.catch(() => {
        if (this.learning === first) this.learning = undefined;
      });
      const response = await first;
      if (response.statusCode !== 401) return response;
      response.resume();
      this.challenge = parseChallenge(response.headers['www-authenticate']);
      if (!this.challenge) return response;
    }
    const response = await this.send(r, await this.authorizationOrRelearn(r));
    if (response.statusCode === 401 && this.challenge?.scheme === 'bearer') {
      // The token may have been revoked or its scope guessed wrong: learn the new challenge once.
      const retry = parseChallenge(response.headers['www-authenticate']);
      if (!retry) return response;
      response.resume();
      this.challenge = retry;
      this.tokens.delete(this.scopeKey(r.repository));
      return this.send(r, await this.authorization(r.repository));
    }
    return response;
  }

  /** The authorization; an assumed challenge whose token service refuses (401, 404) is dropped. */
  private async authorizationOrRelearn(r: RegistryRequest): Promise<string | undefined> {
    const assumed = this.challenge;
    try {
      const authorization = await this.authorization(r.repository);
      if (this.challenge === assumed) this.assumed = false;
      return authorization;
    } catch (error) {
      const refused = error instanceof RegistryAuthError && [401, 404].includes(error.status);
      if (refused && this.assumed && this.challenge === assumed) this.relearning = this.relearn(r);
      else if (!refused || !this.relearning) throw error;
      await this.relearning;
      return this.authorization(r.repository);
    }
  }

  /** Forgets the assumed challenge and asks the registry for its own (one unauthenticated request). */
  private async relearn(r: RegistryRequest): Promise<void> {
    this.challenge = undefined;
    this.assumed = false;
    this.tokens.clear();
    const first = await this.send(r, undefined);
    first.resume();
    if (first.statusCode === 401)
      this.challenge = parseChallenge(first.headers['www-authenticate']);
  }

  private async authorization(repository: string): Promise<string | undefined> {
    if (!this.challenge && this.relearning) await this.relearning.catch(() => undefined);
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return this.basic();
    return `Bearer ${(await this.token(repository)).value}`;
  }

  private basic(): string | undefined {
    const c = this.o.credentials;
    return c && `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  private scopeKey(repository: string): string {
    if (!this.challenge) return '';
    const scopes = pullScopes(this.challenge, repository);
    // A registry-wide scope (ECR Public's `aws`) and the repositories known up front: one token
    // that covers them all, so N references cost one token request.
    const known = this.o.repositories ?? [];
    if (scopes.length > 1 && known.includes(repository)) {
      return [scopes[0], ...known.map((r) => `repository:${r}:pull`)].join(' ');
    }
    return scopes.join(' ');
  }

  private token(repository: string): Promise<Token> {
    const key = this.scopeKey(repository);
    const cached = this.tokens.get(key);
    if (cached) {
      return cached.then((t) => (t.refreshAt > this.now() ? t : this.fetchToken(key)));
    }
    return this.fetchToken(key);
  }

  private fetchToken(scope: string): Promise<Token> {
    const pending = this.askTokenService(scope);
    this.tokens.set(scope, pending);
    pending.catch(() => this.tokens.delete(scope));
    return pending;
  }

  private async askTokenService(scope: string): Promise<Token> {
    const { realm = '', service } = this.challenge?.params ?? {};
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const one of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', one);
    const started = this.now();
    const response = await transport(url, 'GET', this.o, {
      accept: 'application/json',
      ...(this.basic() ? { authorization: this.basic() } : {}),
    });
    const text = await readText(response);
    if (response.statusCode !== 200) {
      throw new RegistryAuthError(
        response.statusCode ?? 0,
        `the token service ${url.host} answered HTTP ${response.statusCode} for scope ${scope || '(none)'}`,
      );
    }
    return this.tokenFrom(text, url.host, started);
  }

  private tokenFrom(text: string, host: string, started: number): Token {
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(text);
    } catch {
      throw new RegistryAuthError(
        200,
        `the token service ${host} answered with something that is not JSON`,
      );
    }
    const value = body.token || body.access_token;
    if (!value) throw new RegistryAuthError(200, `the token service ${host} gave no token`);
    this.o.onToken?.(value);
    // The spec's default lifetime is 60 s; renew a little before the end, never later than half-way.
    const lifetimeMs = (Number(body.expires_in) > 0 ? Number(body.expires_in) : 60) * 1000;
    return {
      value,
      refreshAt: started + Math.min(lifetimeMs / 2, Math.max(lifetimeMs - 30_000, 0)),
    };
  }

  private send(r: RegistryRequest, authorization: string | undefined) {
    const headers: Record<string, string> = {};
    if (r.accept) headers.accept = r.accept.join(', ');
    if (authorization) headers.authorization = authorization;
    return transport(new URL(r.path, this.o.origin), r.method, this.o, headers, r.signal);
  }
}

function transport(
  url: URL,
  method: string,
  o: RegistryClientOptions,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, agent: o.agent, signal });
    request.setTimeout(o.timeoutMs, () =>
      request.destroy(
        Object.assign(new Error(`no answer from ${url.host} within ${o.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    request.once('error', reject);
    request.once('response', resolve);
    request.end();
  });
}

async function readText(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
