import { afterEach, describe, expect, test } from '@jest/globals';
import { isRetryable } from '../../../src/aws/explain-error.js';
import { ActionError, describeError } from '../../../src/common/errors.js';
import { getJson, HttpError } from '../../../src/net/get-json.js';
import { decodeClaims, explainOidcError, fetchIdToken } from '../../../src/net/oidc-token.js';
import { proxyAgents, ProxyError } from '../../../src/net/proxy.js';
import {
  json,
  startConnectProxy,
  startHttpServer,
  type ConnectProxy,
  type Handler,
  type LocalServer,
} from '../../fixtures/local-servers.js';

const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) =>
  `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}.c2lnbmF0dXJl`;

const CLAIMS = {
  iss: 'https://token.actions.githubusercontent.com',
  aud: 'sts.amazonaws.com',
  sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
  repository: 'octo-org/octo-repo',
  ref: 'refs/heads/main',
  exp: 1_900_000_000,
};
const REQUEST_TOKEN = 'runtime-request-token-abc';

const rejected = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

let server: LocalServer | undefined;
let proxy: ConnectProxy | undefined;
afterEach(async () => {
  await server?.close();
  await proxy?.close();
  server = proxy = undefined;
});

const serve = async (handler: Handler) => (server = await startHttpServer(handler));

describe('getJson', () => {
  test('returns the parsed JSON and sends accept: application/json plus the given headers', async () => {
    const s = await serve(json(200, { a: [1, 2] }));
    const body = await getJson(new URL(`${s.url}/x?y=1`), {
      headers: { 'x-test': 'yes' },
      timeoutMs: 2000,
    });
    expect(body).toEqual({ a: [1, 2] });
    expect(s.requests[0].method).toBe('GET');
    expect(s.requests[0].url).toBe('/x?y=1');
    expect(s.requests[0].headers.accept).toBe('application/json');
    expect(s.requests[0].headers['x-test']).toBe('yes');
  });

  test.each([400, 401, 404, 429, 500, 503])(
    'HTTP %d is an HttpError with the status, host and start of the body',
    async (status) => {
      const s = await serve(json(status, { message: `status was ${status}` }));
      const error = await rejected(getJson(new URL(s.url), { headers: {}, timeoutMs: 2000 }));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(status);
      expect((error as Error).message).toContain(`HTTP ${status} from 127.0.0.1:${s.port}`);
      expect((error as Error).message).toContain(`status was ${status}`);
    },
  );

  test('a long error body is cut to 200 characters', async () => {
    const s = await serve(json(500, 'x'.repeat(5000)));
    const error = (await rejected(
      getJson(new URL(s.url), { headers: {}, timeoutMs: 2000 }),
    )) as Error;
    expect(error.message).toContain('x'.repeat(200));
    expect(error.message).not.toContain('x'.repeat(201));
  });

  test('a 200 that is not JSON is an HttpError saying so', async () => {
    const s = await serve((_q, r) => r.end('<html>captive portal</html>'));
    const error = await rejected(getJson(new URL(s.url), { headers: {}, timeoutMs: 2000 }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toContain('not JSON');
  });

  test('no answer within timeoutMs is a TimeoutError (ETIMEDOUT) naming the host', async () => {
    const s = await serve(() => undefined); // never answers
    const error = (await rejected(
      getJson(new URL(s.url), { headers: {}, timeoutMs: 100 }),
    )) as NodeJS.ErrnoException;
    expect(error.code).toBe('ETIMEDOUT');
    // Worded as the SDK's request handler words it, so both AWS paths say the same.
    expect(describeError(error)).toBe(
      `TimeoutError: no answer from 127.0.0.1:${s.port} within 100 ms`,
    );
    expect(isRetryable(error)).toBe(true);
  });

  test('the abort signal cancels the request', async () => {
    const s = await serve(() => undefined);
    const controller = new AbortController();
    const promise = rejected(
      getJson(new URL(s.url), { headers: {}, timeoutMs: 5000, signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 30);
    const error = (await promise) as Error;
    expect(error.name).toBe('AbortError');
  });

  test('a refused connection rejects with ECONNREFUSED (retryable)', async () => {
    const s = await serve(json(200, {}));
    const url = new URL(s.url);
    await s.close();
    server = undefined;
    const error = (await rejected(
      getJson(url, { headers: {}, timeoutMs: 2000 }),
    )) as NodeJS.ErrnoException;
    expect(error.code).toBe('ECONNREFUSED');
    expect(isRetryable(error)).toBe(true);
  });

  test('goes through the proxy agents when given', async () => {
    const s = await serve(json(200, { via: 'proxy' }));
    proxy = await startConnectProxy();
    const agents = proxyAgents({}, proxy.url, 2000);
    try {
      const body = await getJson(new URL(s.url), { headers: {}, timeoutMs: 2000, agents });
      expect(body).toEqual({ via: 'proxy' });
      expect(proxy.connects.map((c) => c.url)).toEqual([`127.0.0.1:${s.port}`]);
    } finally {
      agents.http.destroy();
      agents.https.destroy();
    }
  });
});

describe('fetchIdToken', () => {
  const env = (s: LocalServer) => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: `${s.url}/_apis/token?api-version=2.0&jobId=1`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
  });

  test('sends Authorization: Bearer and adds audience to a URL that already has a query', async () => {
    const token = jwt(CLAIMS);
    const s = await serve(json(200, { count: 1, value: token }));
    await expect(
      fetchIdToken(env(s), { audience: 'sts.amazonaws.com', timeoutMs: 2000 }),
    ).resolves.toBe(token);
    expect(s.requests).toHaveLength(1);
    const seen = s.requests[0];
    expect(seen.headers.authorization).toBe(`Bearer ${REQUEST_TOKEN}`);
    const url = new URL(seen.url, s.url);
    expect(url.pathname).toBe('/_apis/token');
    expect(url.searchParams.get('api-version')).toBe('2.0');
    expect(url.searchParams.get('jobId')).toBe('1');
    expect(url.searchParams.get('audience')).toBe('sts.amazonaws.com');
    expect(seen.url).toContain('audience=sts.amazonaws.com');
  });

  test('a custom audience is URL-encoded', async () => {
    const s = await serve(json(200, { value: jwt(CLAIMS) }));
    await fetchIdToken(env(s), { audience: 'https://github.com/octo org', timeoutMs: 2000 });
    const url = new URL(s.requests[0].url, s.url);
    expect(url.searchParams.get('audience')).toBe('https://github.com/octo org');
    expect(s.requests[0].url).not.toContain(' ');
  });

  test('an audience already in the URL is replaced, not duplicated', async () => {
    const s = await serve(json(200, { value: jwt(CLAIMS) }));
    await fetchIdToken(
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${s.url}/t?audience=wrong`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
      },
      { audience: 'sts.amazonaws.com', timeoutMs: 2000 },
    );
    expect(new URL(s.requests[0].url, s.url).searchParams.getAll('audience')).toEqual([
      'sts.amazonaws.com',
    ]);
  });

  test.each<[string, string, Record<string, string>]>([
    ['no variables', 'ACTIONS_ID_TOKEN_REQUEST_URL', {}],
    [
      'no request token',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/t?x=1' },
    ],
    ['no request URL', 'ACTIONS_ID_TOKEN_REQUEST_URL', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' }],
    [
      'an empty URL',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' },
    ],
  ])('%s → ActionError naming %s, asking for id-token: write', async (_label, missing, e) => {
    const error = await rejected(
      fetchIdToken(e, { audience: 'sts.amazonaws.com', timeoutMs: 100 }),
    );
    expect(error).toBeInstanceOf(ActionError);
    const a = error as ActionError;
    expect(a.message).toContain(`${missing} is not set`);
    expect(a.message).toContain('role-to-assume');
    expect(a.fix).toContain('id-token: write');
    expect(a.fix).toContain('forks');
    expect(a.toString()).toContain('fallback-token');
  });

  test.each([401, 403])(
    'HTTP %d → ActionError with the same fix, not retryable',
    async (status) => {
      const s = await serve(json(status, { message: 'Bad credentials' }));
      const error = await rejected(fetchIdToken(env(s), { audience: 'a', timeoutMs: 2000 }));
      expect(error).toBeInstanceOf(ActionError);
      const a = error as ActionError;
      expect(a.message).toContain(`HTTP ${status}`);
      expect(a.fix).toContain('id-token: write');
      expect(a.fix).toContain('forks');
      expect(a.cause).toBeInstanceOf(HttpError);
      expect(isRetryable(error)).toBe(false);
    },
  );

  test.each([429, 500, 503])('HTTP %d → HttpError, retryable', async (status) => {
    const s = await serve(json(status, { message: 'try later' }));
    const error = await rejected(fetchIdToken(env(s), { audience: 'a', timeoutMs: 2000 }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(ActionError);
    expect((error as HttpError).status).toBe(status);
    expect(isRetryable(error)).toBe(true);
  });

  test.each<[string, unknown]>([
    ['no value', { count: 0 }],
    ['value null', { value: null }],
    ['value a number', { value: 12 }],
    ['value not a JWT', { value: 'just-a-string' }],
    ['value with two parts', { value: 'a.b' }],
    ['JSON null', null],
    ['a JSON array', [jwt(CLAIMS)]],
  ])('a body with %s → ActionError', async (_label, body) => {
    const s = await serve(json(200, JSON.stringify(body)));
    const error = await rejected(fetchIdToken(env(s), { audience: 'a', timeoutMs: 2000 }));
    expect(error).toBeInstanceOf(ActionError);
    expect((error as Error).message).toContain('without a token');
  });
});

describe('decodeClaims', () => {
  test('reads the claims of a real-shaped GitHub JWT', () => {
    expect(decodeClaims(jwt(CLAIMS))).toEqual(CLAIMS);
  });

  test('reads a list audience and unicode claims', () => {
    const claims = { aud: ['a', 'b'], sub: 'repo:ö/ü:environment:prod' };
    expect(decodeClaims(jwt(claims))).toEqual(claims);
  });

  test.each(['', 'garbage', 'a.b.c', 'a..c', '...', `x.${b64url('{not json')}.y`])(
    'garbage %j → {}',
    (value) => {
      expect(decodeClaims(value)).toEqual({});
    },
  );

  // A payload that is valid JSON but not an object reads as no claims: explainStsError reads
  // claims.sub, which must not throw a TypeError on a `null` payload.
  test('a payload of JSON null → {}', () => {
    expect(decodeClaims(`x.${b64url('null')}.y`)).toEqual({});
  });
});

describe('explainOidcError', () => {
  test('a dead proxy is blamed on the proxy, not on GitHub', () => {
    const error = explainOidcError(new ProxyError('proxy 127.0.0.1:3128: connect ECONNREFUSED'));
    expect(error.message).toContain('through the proxy');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.fix).toContain('HTTPS_PROXY');
  });

  test('a 503 from the token service is blamed on GitHub, after retries', () => {
    const error = explainOidcError(new HttpError(503, 'HTTP 503 from 127.0.0.1:1: busy'));
    expect(error.message).toContain("GitHub's token service");
    expect(error.message).toContain('HTTP 503');
    expect(error.fix).toContain('retried');
  });

  test('an ActionError passes through unchanged', () => {
    const original = new ActionError('no token', 'add id-token: write');
    expect(explainOidcError(original)).toBe(original);
  });
});
