// The fake of Docker's OIDC token exchange (sandbox/fakes/docker-oidc.mjs) through the fakes'
// OIDC service, and the Docker Hub stand-in's pull-limit headers (sandbox/hub-ratelimit.mjs) with
// tokens from its token endpoint. Protocol and sources: docs/docker-hub-oidc.md.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_DOCKER_CONNECTION_ID,
  DOCKER_IDENTITY_AUDIENCE,
  startFakes,
  type Fakes,
} from '../../sandbox/fakes/index.mjs';
import { subjectMatches } from '../../sandbox/fakes/docker-oidc.mjs';
import { RegistryLogins, tokenEndpoint } from '../../sandbox/fakes/registry-auth.mjs';
import { HubRateLimit, PREVIEW_REPOSITORY } from '../../sandbox/hub-ratelimit.mjs';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

let fakes: Fakes;

async function githubToken(audience = DOCKER_IDENTITY_AUDIENCE): Promise<string> {
  const url = `${fakes.urls.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${fakes.requestToken}` } });
  return ((await res.json()) as { value: string }).value;
}

type Answer = { status: number; headers: Headers; body: Record<string, unknown> };

async function exchange(fields: Record<string, string | undefined>): Promise<Answer> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.set(k, v);
  const res = await fetch(fakes.urls.dockerExchange, { method: 'POST', body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

async function request(overrides: Record<string, string | undefined> = {}) {
  return exchange({
    grant_type: GRANT,
    subject_token_type: ID_TOKEN,
    subject_token: await githubToken(),
    connection_id: DEFAULT_DOCKER_CONNECTION_ID,
    expires_in: '300',
    ...overrides,
  });
}

const refusal = (status: number, error: string, text: string | RegExp) => ({
  status,
  body: { error, error_description: expect.stringMatching(text), message: expect.any(String) },
});

beforeAll(async () => {
  fakes = await startFakes();
});
afterEach(() => {
  fakes.clearFaults();
  fakes.setClaims({});
  fakes.resetDockerConnections();
});
afterAll(() => fakes.close());

describe('Docker OIDC token exchange fake', () => {
  it('exchanges a GitHub token for a Docker Hub password of the organization', async () => {
    const before = fakes.counters();
    const answer = await request({ expires_in: '900' });
    expect(answer.status).toBe(200);
    const token = String(answer.body.access_token);
    expect(answer.body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 900,
    });
    expect(fakes.registryLogins.accepts('dockerHub', 'octo-org', token)).toBe(true);
    expect(fakes.registryLogins.accepts('dockerHub', 'someone-else', token)).toBe(false);
    expect(fakes.issuedSecrets()).toContain(token);
    const issued = fakes.dockerTokens().at(-1);
    expect(issued?.organization).toBe('octo-org');
    expect((issued?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(890_000);
    const after = fakes.counters();
    expect(after.dockerIdentity - before.dockerIdentity).toBe(1);
    expect(after.dockerTokensIssued - before.dockerTokensIssued).toBe(1);
  });

  it('refuses a GitHub token requested for another audience', async () => {
    const answer = await request({ subject_token: await githubToken('sts.amazonaws.com') });
    expect(answer).toMatchObject(refusal(400, 'invalid_request', /audience/));
  });

  it('refuses an expired GitHub token', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    fakes.setClaims({ iat: past - 300, nbf: past - 300, exp: past });
    expect(await request()).toMatchObject(refusal(400, 'invalid_request', /expired/));
  });

  it('refuses a token whose signature does not match the JWKS', async () => {
    const issued = fakes.counters().dockerTokensIssued;
    const [header, payload, signature] = (await githubToken()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.sub = 'repo:octo-org/app:ref:refs/heads/forged';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature];
    const answer = await request({ subject_token: forged.join('.') });
    expect(answer).toMatchObject(refusal(400, 'invalid_request', /signature/));
    expect(fakes.counters().dockerTokensIssued).toBe(issued);
  });

  it("refuses a sub that matches none of the connection's rulesets, naming the sub", async () => {
    fakes.setDockerConnections([
      {
        id: DEFAULT_DOCKER_CONNECTION_ID,
        organization: 'octo-org',
        rulesets: [{ label: 'releases', subjects: ['repo:octo-org/app:ref:refs/tags/*'] }],
      },
    ]);
    const answer = await request();
    expect(answer).toMatchObject(
      refusal(403, 'access_denied', 'subject "repo:octo-org/app:ref:refs/heads/main" matches no'),
    );
  });

  it('refuses unknown and deactivated connections', async () => {
    const unknown = await request({ connection_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toMatchObject(refusal(400, 'invalid_request', /not found/));
    fakes.setDockerConnections([
      {
        id: DEFAULT_DOCKER_CONNECTION_ID,
        organization: 'octo-org',
        rulesets: [{ subjects: ['*'] }],
        active: false,
      },
    ]);
    expect(await request()).toMatchObject(refusal(400, 'invalid_request', /inactive/));
  });

  it('keeps the lifetime within 300..21600 s and defaults to 300', async () => {
    for (const bad of ['299', '21601', '1e3x', '']) {
      expect(await request({ expires_in: bad })).toMatchObject(
        refusal(400, 'invalid_request', /between 300 and 21600/),
      );
    }
    expect((await request({ expires_in: '21600' })).body.expires_in).toBe(21600);
    expect((await request({ expires_in: undefined })).body.expires_in).toBe(300);
  });

  it('wants the RFC 8693 grant, an id_token subject and a form body', async () => {
    expect(await request({ grant_type: 'client_credentials' })).toMatchObject(
      refusal(400, 'unsupported_grant_type', /client_credentials/),
    );
    const jwtType = 'urn:ietf:params:oauth:token-type:jwt';
    expect(await request({ subject_token_type: jwtType })).toMatchObject(
      refusal(400, 'invalid_request', /subject_token_type/),
    );
    const res = await fetch(fakes.urls.dockerExchange, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: GRANT }),
    });
    expect(res.status).toBe(400);
  });

  it('injects faults: a throttle with Retry-After, then a normal answer', async () => {
    fakes.setFault('dockerIdentity', { failWith: 'throttle', failNext: 1 });
    const before = fakes.counters();
    const throttled = await request();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect((await request()).status).toBe(200);
    expect(fakes.counters().faulted.dockerIdentity - before.faulted.dockerIdentity).toBe(1);
  });
});

describe('exchanged tokens as Docker Hub passwords', () => {
  it('stop working when they expire', () => {
    const logins = new RegistryLogins();
    logins.add('dockerHub', { username: 'org', password: 'old', expiresAt: Date.now() - 1 });
    logins.add('dockerHub', { username: 'org', password: 'new', expiresAt: Date.now() + 60_000 });
    expect(logins.accepts('dockerHub', 'org', 'old')).toBe(false);
    expect(logins.accepts('dockerHub', 'org', 'new')).toBe(true);
  });
});

describe('subjectMatches', () => {
  it('lets * stand for any run of characters, slashes and colons included', () => {
    expect(subjectMatches('repo:my-org/*', 'repo:my-org/app:ref:refs/heads/main')).toBe(true);
    expect(
      subjectMatches(
        'repo:my-org/app:ref:refs/heads/release-*',
        'repo:my-org/app:ref:refs/heads/release-1',
      ),
    ).toBe(true);
    expect(
      subjectMatches('repo:my-org/app:ref:refs/heads/main', 'repo:my-org/app:ref:refs/heads/mainx'),
    ).toBe(false);
    expect(subjectMatches('repo:my-org/a.p', 'repo:my-org/axp')).toBe(false);
  });
});

describe('Docker Hub pull-limit headers', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const logins = new RegistryLogins();
  logins.set('dockerHub', [{ username: 'octo-dev', password: 'pat' }]);
  logins.add('dockerHub', { username: 'octo-org', password: 'exchanged' });
  const authDockerIo = tokenEndpoint({
    registry: 'dockerHub',
    service: 'registry.docker.io',
    issuer: 'test issuer',
    key,
    logins,
    anonymous: () => true,
  });
  /** A token as the documented check gets one, anonymously or with Basic credentials. */
  const hubToken = (user?: string, password?: string) => {
    const basic = user && `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const query = `?service=registry.docker.io&scope=repository:${PREVIEW_REPOSITORY}:pull`;
    const answer = authDockerIo({
      method: 'GET',
      url: new URL(`https://auth.docker.io/token${query}`),
      headers: basic ? { authorization: basic } : {},
    });
    return `Bearer ${JSON.parse(answer.body ?? '').token}`;
  };
  const check = async (hub: HubRateLimit, authorization: string, method = 'HEAD') => {
    const outcome = await hub.manifest({
      method,
      pathname: `/v2/${PREVIEW_REPOSITORY}/manifests/latest`,
      authorization,
      ip: '::1',
      publicKey: key.publicKey,
    });
    if (!outcome || !('answer' in outcome)) throw new Error('expected the preview answer');
    return outcome.answer;
  };

  it('answers anonymous checks per IP with 100;w=21600', async () => {
    const answer = await check(new HubRateLimit(), hubToken());
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'ratelimit-limit': '100;w=21600',
      'ratelimit-remaining': '100;w=21600',
      'docker-ratelimit-source': '::1',
    });
  });

  it('answers authenticated checks for the account, and none for unlimited accounts', async () => {
    const hub = new HubRateLimit();
    const personal = await check(hub, hubToken('octo-dev', 'pat'));
    expect(personal.headers).toMatchObject({
      'ratelimit-limit': '200;w=21600',
      'docker-ratelimit-source': 'octo-dev',
    });
    hub.unlimited.add('octo-org');
    const org = await check(hub, hubToken('octo-org', 'exchanged'));
    expect(org.status).toBe(200);
    expect(Object.keys(org.headers ?? {}).filter((h) => h.includes('ratelimit'))).toEqual([]);
  });

  it('counts a GET of a manifest as a pull and a HEAD not', async () => {
    const hub = new HubRateLimit();
    const anonymous = hubToken();
    await check(hub, anonymous, 'HEAD');
    await check(hub, anonymous, 'GET');
    const proxied = await hub.manifest({
      method: 'GET',
      pathname: '/v2/library/busybox/manifests/latest',
      authorization: anonymous,
      ip: '::1',
      publicKey: key.publicKey,
    });
    if (!proxied || !('headers' in proxied)) throw new Error('expected headers for the answer');
    expect(proxied.headers(200)['ratelimit-remaining']).toBe('98;w=21600');
    expect(proxied.headers(401)).toEqual({});
    expect((await check(hub, anonymous)).headers?.['ratelimit-remaining']).toBe('98;w=21600');
  });

  it('asks for a token without one, and ignores forged ones', async () => {
    const hub = new HubRateLimit();
    const none = await check(hub, '');
    expect(none.status).toBe(401);
    expect(none.headers?.['www-authenticate']).toBe(
      `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:${PREVIEW_REPOSITORY}:pull"`,
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await hub.manifest({
      method: 'HEAD',
      pathname: `/v2/${PREVIEW_REPOSITORY}/manifests/latest`,
      authorization: hubToken(),
      ip: '::1',
      publicKey: other.publicKey,
    });
    expect(forged && 'answer' in forged && forged.answer.status).toBe(401);
  });

  it('delays manifest HEADs when switched on, and not otherwise', async () => {
    const hub = new HubRateLimit();
    let started = Date.now();
    await check(hub, hubToken());
    expect(Date.now() - started).toBeLessThan(150);
    hub.delayMs = 300;
    started = Date.now();
    await check(hub, hubToken());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    hub.reset();
    expect(hub.delayMs).toBe(0);
  });
});
