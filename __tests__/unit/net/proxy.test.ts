import { afterEach, describe, expect, test } from '@jest/globals';
import {
  bypassesProxy,
  proxyAgents,
  proxyConfigured,
  proxyFor,
  ProxyError,
  proxyUrlProblem,
} from '../../../src/net/proxy.js';
import {
  httpGet,
  json,
  startConnectProxy,
  startHttpServer,
  type ConnectProxy,
  type LocalServer,
} from '../../fixtures/local-servers.js';

describe('bypassesProxy', () => {
  test.each<[string, number, string | undefined, boolean]>([
    // nothing set
    ['example.com', 443, undefined, false],
    ['example.com', 443, '', false],
    // wildcard
    ['example.com', 443, '*', true],
    ['10.1.2.3', 80, 'foo.com, *', true],
    // exact host
    ['example.com', 443, 'example.com', true],
    ['example.com', 443, 'other.com', false],
    ['127.0.0.1', 80, '127.0.0.1', true],
    ['127.0.0.2', 80, '127.0.0.1', false],
    // .suffix matches subdomains and the domain itself
    ['api.example.com', 443, '.example.com', true],
    ['a.b.example.com', 443, '.example.com', true],
    ['example.com', 443, '.example.com', true],
    ['notexample.com', 443, '.example.com', false],
    ['example.com', 443, '*.example.com', true],
    ['api.example.com', 443, '*.example.com', true],
    // bare suffix matches subdomains, not lookalikes
    ['api.example.com', 443, 'example.com', true],
    ['notexample.com', 443, 'example.com', false],
    ['example.com.evil.net', 443, 'example.com', false],
    // host:port
    ['example.com', 8443, 'example.com:8443', true],
    ['example.com', 443, 'example.com:8443', false],
    ['api.example.com', 8443, '.example.com:8443', true],
    // IPv6
    ['::1', 80, '[::1]', true],
    ['[::1]', 80, '[::1]', true],
    ['[::1]', 80, '::1', true],
    ['[::1]', 8080, '[::1]:8080', true],
    ['[::1]', 8081, '[::1]:8080', false],
    ['::2', 80, '[::1]', false],
    // separators, spaces and case
    ['b.com', 443, 'a.com,b.com', true],
    ['b.com', 443, ' a.com , b.com ', true],
    ['b.com', 443, 'a.com b.com', true],
    ['API.Example.COM', 443, 'example.com', true],
    ['api.example.com', 443, 'EXAMPLE.COM', true],
    ['example.com.', 443, 'example.com', true],
  ])('%s:%d with NO_PROXY=%j → %s', (host, port, noProxy, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const https = new URL('https://sts.us-east-1.amazonaws.com/');
  const http = new URL('http://169.254.170.2/creds');

  test.each<[string, URL, Record<string, string>, string, string | undefined]>([
    ['no proxy variables', https, {}, '', undefined],
    ['HTTPS_PROXY for https', https, { HTTPS_PROXY: 'http://up:3128' }, '', 'http://up:3128/'],
    ['https_proxy for https', https, { https_proxy: 'http://low:3128' }, '', 'http://low:3128/'],
    [
      'lower-case wins over upper-case',
      https,
      { https_proxy: 'http://low:3128', HTTPS_PROXY: 'http://up:3128' },
      '',
      'http://low:3128/',
    ],
    ['HTTP_PROXY is not used for https', https, { HTTP_PROXY: 'http://p:1' }, '', undefined],
    ['HTTP_PROXY for http', http, { HTTP_PROXY: 'http://p:1' }, '', 'http://p:1/'],
    ['HTTPS_PROXY is not used for http', http, { HTTPS_PROXY: 'http://p:1' }, '', undefined],
    [
      'http_proxy wins over HTTP_PROXY',
      http,
      { http_proxy: 'http://low:2', HTTP_PROXY: 'http://up:1' },
      '',
      'http://low:2/',
    ],
    [
      'the override beats the environment',
      https,
      { HTTPS_PROXY: 'http://env:3128' },
      'http://input:8080',
      'http://input:8080/',
    ],
    ['the override applies to http too', http, {}, 'http://input:8080', 'http://input:8080/'],
    [
      'NO_PROXY still applies with the override',
      https,
      { NO_PROXY: '.amazonaws.com' },
      'http://input:8080',
      undefined,
    ],
    [
      'no_proxy (lower-case) applies too',
      https,
      { no_proxy: 'sts.us-east-1.amazonaws.com', HTTPS_PROXY: 'http://p:1' },
      '',
      undefined,
    ],
    [
      'NO_PROXY for another host does not apply',
      https,
      { NO_PROXY: 'example.com', HTTPS_PROXY: 'http://p:1' },
      '',
      'http://p:1/',
    ],
    [
      'NO_PROXY with a port uses the default port of the scheme',
      https,
      { NO_PROXY: 'sts.us-east-1.amazonaws.com:443', HTTPS_PROXY: 'http://p:1' },
      '',
      undefined,
    ],
    [
      'a proxy without scheme is http://',
      https,
      { HTTPS_PROXY: 'proxy.corp:3128' },
      '',
      'http://proxy.corp:3128/',
    ],
    [
      'an https:// proxy is kept',
      https,
      { HTTPS_PROXY: 'https://proxy.corp' },
      '',
      'https://proxy.corp/',
    ],
  ])('%s', (_label, target, env, override, expected) => {
    expect(proxyFor(target, env, override)?.href).toBe(expected);
  });

  test('keeps the proxy credentials in the URL', () => {
    const proxy = proxyFor(https, { HTTPS_PROXY: 'http://user:p%40ss@proxy:3128' });
    expect(proxy?.username).toBe('user');
    expect(decodeURIComponent(proxy?.password ?? '')).toBe('p@ss');
  });
});

describe('proxyConfigured', () => {
  test.each<[Record<string, string>, string, boolean]>([
    [{}, '', false],
    [{ NO_PROXY: '*' }, '', false],
    [{ HTTPS_PROXY: 'http://p:1' }, '', true],
    [{ https_proxy: 'http://p:1' }, '', true],
    [{ HTTP_PROXY: 'http://p:1' }, '', true],
    [{}, 'http://p:1', true],
  ])('%j override %j → %s', (env, override, expected) => {
    expect(proxyConfigured(env, override)).toBe(expected);
  });
});

describe('proxyAgents through a real CONNECT proxy', () => {
  let proxy: ConnectProxy | undefined;
  let target: LocalServer | undefined;
  const agents: { http: { destroy(): void }; https: { destroy(): void } }[] = [];
  const make = (env: Record<string, string>, override: string) => {
    const a = proxyAgents(env, override, 2000);
    agents.push(a);
    return a;
  };

  afterEach(async () => {
    for (const a of agents.splice(0)) {
      a.http.destroy();
      a.https.destroy();
    }
    await proxy?.close();
    await target?.close();
    proxy = target = undefined;
  });

  test('tunnels an http request with CONNECT and returns the answer (override)', async () => {
    proxy = await startConnectProxy();
    target = await startHttpServer(json(200, { hello: 'through the tunnel' }));
    const { http } = make({}, proxy.url);
    const answer = await httpGet(`${target.url}/path?q=1`, http);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ hello: 'through the tunnel' });
    expect(proxy.connects.map((c) => `${c.method} ${c.url}`)).toEqual([
      `CONNECT 127.0.0.1:${target.port}`,
    ]);
    expect(proxy.others).toEqual([]);
    expect(target.requests.map((r) => r.url)).toEqual(['/path?q=1']);
  });

  test('uses HTTP_PROXY from the environment when there is no override', async () => {
    proxy = await startConnectProxy();
    target = await startHttpServer(json(200, { ok: true }));
    const { http } = make({ HTTP_PROXY: `127.0.0.1:${proxy.port}` }, '');
    const answer = await httpGet(target.url, http);
    expect(answer.status).toBe(200);
    expect(proxy.connects.map((c) => c.url)).toEqual([`127.0.0.1:${target.port}`]);
  });

  test('sends the proxy credentials as Proxy-Authorization: Basic', async () => {
    proxy = await startConnectProxy();
    target = await startHttpServer(json(200, {}));
    const { http } = make({}, `http://user:p%40ss@127.0.0.1:${proxy.port}`);
    await httpGet(target.url, http);
    const header = String(proxy.connects[0]?.headers['proxy-authorization']);
    expect(header).toMatch(/^Basic /);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString()).toBe('user:p@ss');
  });

  test('a proxy answering 407 gives a ProxyError naming the proxy and the status', async () => {
    proxy = await startConnectProxy(407);
    target = await startHttpServer(json(200, {}));
    const { http } = make({}, proxy.url);
    const error = await httpGet(target.url, http).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${proxy.port}`);
    expect(message).toContain('407');
    expect(message).toContain(`127.0.0.1:${target.port}`);
    expect(target.requests).toEqual([]);
  });

  test('a proxy that is not listening gives a ProxyError naming it', async () => {
    const dead = await startHttpServer(json(200, {}));
    const deadPort = dead.port;
    await dead.close();
    target = await startHttpServer(json(200, {}));
    const { http } = make({}, `http://127.0.0.1:${deadPort}`);
    const error = await httpGet(target.url, http).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as Error).message).toContain(`proxy 127.0.0.1:${deadPort}`);
    expect(target.requests).toEqual([]);
  });

  test('a NO_PROXY host bypasses the proxy', async () => {
    proxy = await startConnectProxy();
    target = await startHttpServer(json(200, { direct: true }));
    const { http } = make({ NO_PROXY: '127.0.0.1' }, proxy.url);
    const answer = await httpGet(target.url, http);
    expect(JSON.parse(answer.body)).toEqual({ direct: true });
    expect(proxy.connects).toEqual([]);
    expect(proxy.others).toEqual([]);
    expect(target.requests).toHaveLength(1);
  });

  test('NO_PROXY with another port does not bypass', async () => {
    proxy = await startConnectProxy();
    target = await startHttpServer(json(200, {}));
    const { http } = make({ NO_PROXY: `127.0.0.1:${target.port + 1}` }, proxy.url);
    await httpGet(target.url, http);
    expect(proxy.connects.map((c) => c.url)).toEqual([`127.0.0.1:${target.port}`]);
  });

  test('without any proxy setting the agent connects directly', async () => {
    target = await startHttpServer(json(200, { direct: true }));
    const { http } = make({}, '');
    const answer = await httpGet(target.url, http);
    expect(JSON.parse(answer.body)).toEqual({ direct: true });
  });
});

describe('proxyUrlProblem', () => {
  test.each([
    ['http://proxy.example.com:3128', undefined],
    ['https://user:p%40ss@proxy.example.com:8443/', undefined],
    ['ftp://proxy.example.com:21', 'http:// or https://'],
    ['http://proxy.example.com:3128/path', 'path'],
    ['http://proxy.example.com:99999', 'not a URL'],
    ['http://u:p%E0%A4%A@proxy:3128', 'malformed %-escape'],
    ['http://127.\uFEFF0.0.1:3128', 'printable ASCII'],
    ['http://proxy example:3128', 'printable ASCII'],
  ])('%j', (value, problem) => {
    const found = proxyUrlProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
