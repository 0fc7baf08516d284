// The credential check `docker login` makes, in process: GET /v2/; on a Bearer challenge, ask the
// realm for a token with Basic credentials (offline, client_id=docker, as the daemon asks) and GET
// /v2/ with it; on a Basic challenge, GET /v2/ with Basic. A refusal carries the registry's answer.
// A registry whose challenge is known (ECR Public) is asked for the token first: one round trip
// fewer; when that realm gives no token, the registry's own challenge decides, as above.
import http from 'node:http';
import https from 'node:https';
import { ActionError } from '../common/errors.js';
import { parseChallenge, type Challenge } from '../registry/challenge.js';
import { DOCKER_HUB, DOCKER_HUB_API_HOST } from '../registry/names.js';

export interface CheckRequest {
  registry: string;
  username: string;
  password: string;
  timeoutMs: number;
  agent?: http.Agent;
  /** The registry's challenge when known in advance (registry/challenge's knownChallenge). */
  challenge?: Challenge;
  /** What to check when the registry refuses (the target says). */
  refusedFix?: string;
  /** Sees each token the registry hands out, to mask it. */
  onToken?: (token: string) => void;
  /** Tests only: `http://127.0.0.1:port`. */
  origin?: string;
}

export interface CheckResult {
  /** The token service gave a refresh token: `docker login` would store it as identitytoken. */
  refreshToken: boolean;
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function get(url: URL, r: CheckRequest, authorization?: string): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  const headers = authorization ? { authorization } : {};
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers, agent: r.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8').slice(0, 65536), // a token fits
        }),
      );
      response.once('error', reject);
    });
    request.setTimeout(r.timeoutMs, () =>
      request.destroy(new Error(`no answer from ${url.host} within ${r.timeoutMs} ms`)),
    );
    request.once('error', reject);
  });
}

/** What the registry said, short: its error message when it sent one, else the status. */
export function registryAnswer(a: Answer): string {
  try {
    const json = JSON.parse(a.body) as {
      errors?: { code?: string; message?: string }[];
      details?: string;
      message?: string;
    };
    const e = json.errors?.[0];
    const text = e ? [e.code?.toLowerCase(), e.message].filter(Boolean).join(': ') : '';
    if (text || json.details || json.message) return text || json.details || json.message || '';
  } catch {
    // not JSON: the status line says it
  }
  return `HTTP ${a.status}${a.body.trim() ? ` ${a.body.trim().slice(0, 200)}` : ''}`;
}

const refused = (r: CheckRequest, a: Answer) =>
  new ActionError(
    `Login to ${r.registry} failed: the registry rejected the credentials (${registryAnswer(a)}).`,
    r.refusedFix ?? 'Check the username and password this registry was given.',
  );

const unexpected = (r: CheckRequest, url: URL, a: Answer) =>
  new ActionError(
    `Login to ${r.registry} failed: ${url.host} answered ${registryAnswer(a)} to ${url.pathname}.`,
    'Check that the registry is reachable from this runner (DNS, proxy, firewall) and works.',
  );

const basic = (r: CheckRequest) =>
  `Basic ${Buffer.from(`${r.username}:${r.password}`).toString('base64')}`;

type TokenAnswer = { realm: URL; answer: Answer };

/** The realm's answer to the Basic credential. */
async function askToken(r: CheckRequest, params: Record<string, string>): Promise<TokenAnswer> {
  const realm = tokenUrl(r, params);
  return { realm, answer: await get(realm, r, basic(r)) };
}

export async function checkCredential(r: CheckRequest): Promise<CheckResult> {
  const host = r.registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : r.registry;
  const v2 = new URL('/v2/', r.origin ?? `https://${host}`);
  const assumed = r.challenge?.scheme === 'bearer' ? r.challenge.params : undefined;
  const early = assumed && (await askToken(r, assumed));
  if (early?.answer.status === 200) return useToken(r, v2, early);
  // No token from the assumed realm: the registry's own challenge decides, as docker asks it.
  const first = await get(v2, r);
  if (first.status === 200) return { refreshToken: false }; // no auth asked: docker stores it as is
  const challenge =
    first.status === 401 ? parseChallenge(first.headers['www-authenticate']) : undefined;
  if (!challenge) throw unexpected(r, v2, first);
  if (challenge.scheme === 'basic') {
    const answer = await get(v2, r, basic(r));
    if (answer.status === 200) return { refreshToken: false };
    throw answer.status === 401 ? refused(r, answer) : unexpected(r, v2, answer);
  }
  // The same realm already answered this credential: it is not asked twice.
  const same = early && assumed && sameRealm(assumed, challenge.params);
  const token = same ? early : await askToken(r, challenge.params);
  const { status } = token.answer;
  if (status === 401 || status === 403) throw refused(r, token.answer);
  if (status !== 200) throw unexpected(r, token.realm, token.answer);
  return useToken(r, v2, token);
}

const sameRealm = (a: Record<string, string>, b: Record<string, string>) =>
  a.realm === b.realm && a.service === b.service && a.scope === b.scope;

/** The token service's address with what docker asks of it. */
function tokenUrl(r: CheckRequest, params: Record<string, string>): URL {
  if (!params.realm)
    throw new ActionError(
      `Login to ${r.registry} failed: its challenge names no token service.`,
      'Check the registry address.',
    );
  const realm = new URL(params.realm);
  if (params.service) realm.searchParams.set('service', params.service);
  if (params.scope) realm.searchParams.set('scope', params.scope);
  realm.searchParams.set('client_id', 'docker');
  realm.searchParams.set('offline_token', 'true');
  return realm;
}

/** The token from the realm's answer (masked), then GET /v2/ with it. */
async function useToken(r: CheckRequest, v2: URL, { realm, answer }: TokenAnswer) {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    throw unexpected(r, realm, answer);
  }
  const token = String(body.token || body.access_token || '');
  if (!token) throw unexpected(r, realm, answer);
  r.onToken?.(token);
  if (typeof body.refresh_token === 'string') r.onToken?.(body.refresh_token);
  const again = await get(v2, r, `Bearer ${token}`);
  if (again.status === 401) throw refused(r, again);
  if (again.status !== 200) throw unexpected(r, v2, again);
  return { refreshToken: typeof body.refresh_token === 'string' };
}
