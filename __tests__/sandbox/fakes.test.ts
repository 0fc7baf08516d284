// The local fakes of GitHub OIDC, STS and ECR Public, driven by the real AWS SDK: if the SDK
// accepts their answers and they reject what AWS would reject, the action's tests can trust them.
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { ECRPUBLICClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
import { fromWebToken } from '@aws-sdk/credential-provider-web-identity';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_ROLE_ARN, startFakes, type Fakes } from '../../sandbox/fakes/index.mjs';
import { canonicalRequest, computeSignature, verifySigV4 } from '../../sandbox/fakes/sigv4.mjs';
import { stringLike } from '../../sandbox/fakes/trust.mjs';

const ENV_KEYS = [
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_ECR_PUBLIC',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

function useEnv(fakes: Fakes): void {
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, fakes.env());
}

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function idToken(fakes: Fakes, audience?: string, bearer = fakes.requestToken) {
  const url = new URL(fakes.urls.oidcRequestUrl);
  if (audience !== undefined) url.searchParams.set('audience', audience);
  return fetch(url, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
}

async function stsToken(fakes: Fakes): Promise<string> {
  const res = await idToken(fakes, 'sts.amazonaws.com');
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: string }).value;
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** ECR Public client as the action builds it: endpoints come from AWS_ENDPOINT_URL_* env vars. */
function ecrClient(
  credentials: ECRPUBLICClient['config']['credentials'] | AwsCredentialIdentity,
  region = 'us-east-1',
  maxAttempts = 3,
) {
  return new ECRPUBLICClient({ region, credentials, maxAttempts });
}

function webCredentials(token: string, extra: { durationSeconds?: number } = {}) {
  return fromWebToken({
    roleArn: DEFAULT_ROLE_ARN,
    roleSessionName: 'fakes-test',
    webIdentityToken: token,
    clientConfig: { region: 'us-east-1' },
    ...extra,
  });
}

async function login(fakes: Fakes, credentials?: ReturnType<typeof webCredentials>) {
  const provider = credentials ?? webCredentials(await stsToken(fakes));
  const out = await ecrClient(provider).send(new GetAuthorizationTokenCommand({}));
  return out.authorizationData;
}

async function sessionCredentials(fakes: Fakes): Promise<AwsCredentialIdentity> {
  return webCredentials(await stsToken(fakes))();
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('fakes driven by the real AWS SDK', () => {
  let fakes: Fakes;

  beforeAll(async () => {
    fakes = await startFakes({ repository: 'octo-org/app', ref: 'refs/heads/main' });
    useEnv(fakes);
  });
  afterEach(() => {
    fakes.clearFaults();
    fakes.setClaims({});
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: { sub: 'repo:octo-org/app:*' } });
  });
  afterAll(() => fakes.close());

  it('logs in end to end: OIDC token, STS session, ECR Public password', async () => {
    const before = fakes.counters();
    const token = await stsToken(fakes);
    const data = await login(fakes, webCredentials(token));

    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    expect(decoded).toBe(`AWS:${fakes.ecrPassword}`);
    const hoursLeft = ((data?.expiresAt?.getTime() ?? 0) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    const after = fakes.counters();
    expect(after.oidc - before.oidc).toBe(1);
    expect(after.sts - before.sts).toBe(1);
    expect(after.ecr - before.ecr).toBe(1);
    expect(after.stsSessionsIssued - before.stsSessionsIssued).toBe(1);
    expect(after.stsWebIdentityTokens.at(-1)).toBe(token);

    // Everything handed out is reported for leak scans.
    const secrets = fakes.issuedSecrets();
    expect(secrets).toEqual(
      expect.arrayContaining([token, fakes.ecrPassword, data?.authorizationToken]),
    );
    const ecrRequest = fakes
      .requests()
      .filter((r) => r.endpoint === 'ecr')
      .at(-1);
    const keyId = /Credential=(\w+)\//.exec(String(ecrRequest?.headers.authorization))?.[1];
    expect(keyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(secrets).toContain(keyId);
    expect(secrets).toContain(ecrRequest?.headers['x-amz-security-token']);
  });

  it('issues RS256 ID tokens with GitHub claims, verifiable with the served JWKS', async () => {
    const jwt = await stsToken(fakes);
    const [headerPart, payloadPart, signaturePart] = jwt.split('.');
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    const jwks = (await (await fetch(fakes.urls.jwks)).json()) as { keys: JsonWebKey[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    expect(header.alg).toBe('RS256');
    expect(jwk).toBeDefined();
    const ok = verifySignature(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
      Buffer.from(signaturePart, 'base64url'),
    );
    expect(ok).toBe(true);

    const claims = claimsOf(jwt);
    const discovery = (await (await fetch(fakes.urls.openidConfiguration)).json()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: discovery.issuer,
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/app:ref:refs/heads/main',
      repository: 'octo-org/app',
      repository_owner: 'octo-org',
      ref: 'refs/heads/main',
    });
    expect(discovery.jwks_uri).toBe(fakes.urls.jwks);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(claims.jti).not.toBe(claimsOf(await stsToken(fakes)).jti);
  });

  it('refuses an OIDC request without the job bearer (401)', async () => {
    const wrong = await idToken(fakes, 'sts.amazonaws.com', 'not-the-request-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: expect.any(String) });
    const missing = await fetch(`${fakes.urls.oidcRequestUrl}&audience=sts.amazonaws.com`);
    expect(missing.status).toBe(401);
  });

  it('defaults the audience to the owner, which STS rejects', async () => {
    const res = await idToken(fakes);
    const jwt = ((await res.json()) as { value: string }).value;
    expect(claimsOf(jwt).aud).toBe('https://github.com/octo-org');

    const error = await rejection(webCredentials(jwt)());
    expect(error.name).toMatch(/InvalidIdentityToken/);
    expect(error.message).toBe('Incorrect token audience');
  });

  it('rejects an expired ID token with ExpiredTokenException', async () => {
    fakes.setClaims({ exp: Math.floor(Date.now() / 1000) - 60 });
    const error = await rejection(webCredentials(await stsToken(fakes))());
    expect(error.name).toBe('ExpiredTokenException');
    expect(error.message).toMatch(/^Token expired: current date\/time \d+ must be before/);
  });

  it('rejects a token whose payload was tampered with', async () => {
    const [h, , s] = (await stsToken(fakes)).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...claimsOf(await stsToken(fakes)),
        sub: 'repo:evil/app:ref:refs/heads/main',
      }),
    ).toString('base64url');
    const error = await rejection(webCredentials(`${h}.${forged}.${s}`)());
    expect(error.name).toMatch(/InvalidIdentityToken/);
  });

  it('denies a role whose trust policy does not match the token sub', async () => {
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: { sub: 'repo:octo-org/other:*' } });
    const error = await rejection(webCredentials(await stsToken(fakes))());
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });

  it('matches trust patterns like IAM StringLike, and sub overrides reach STS', async () => {
    expect(stringLike('repo:o/r:*', 'repo:o/r:ref:refs/heads/main')).toBe(true);
    expect(stringLike('repo:o/r:ref:refs/heads/?ain', 'repo:o/r:ref:refs/heads/main')).toBe(true);
    expect(stringLike('repo:o/r:*', 'repo:o/r2:ref:x')).toBe(false);
    expect(stringLike('repo:o/r.x', 'repo:o/rax')).toBe(false);

    fakes.setClaims({ sub: 'repo:octo-org/app:environment:prod' });
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: { sub: 'repo:octo-org/app:environment:prod' } });
    await expect(webCredentials(await stsToken(fakes))()).resolves.toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/),
    });
  });

  it('validates STS parameters like the real API', async () => {
    const token = await stsToken(fakes);
    const short = await rejection(webCredentials(token, { durationSeconds: 100 })());
    expect(short.name).toBe('ValidationError');
    expect(short.message).toMatch(/durationSeconds/);
    // IAM roles default to a one-hour maximum session.
    const long = await rejection(webCredentials(token, { durationSeconds: 7200 })());
    expect(long.message).toMatch(/MaxSessionDuration/);
    const badName = await rejection(
      fromWebToken({
        roleArn: DEFAULT_ROLE_ARN,
        roleSessionName: 'has space',
        webIdentityToken: token,
        clientConfig: { region: 'us-east-1' },
      })(),
    );
    expect(badName.message).toMatch(/roleSessionName/);
  });

  it('rejects a request signed with the wrong secret, key or session token', async () => {
    const creds = await sessionCredentials(fakes);
    const call = (c: AwsCredentialIdentity) =>
      rejection(ecrClient(c, 'us-east-1', 1).send(new GetAuthorizationTokenCommand({})));

    const wrongSecret = await call({
      ...creds,
      secretAccessKey: creds.secretAccessKey.slice(1) + 'x',
    });
    expect(wrongSecret.name).toBe('InvalidSignatureException');
    expect((wrongSecret.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);

    const unknownKey = await call({ ...creds, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' });
    expect(unknownKey.name).toBe('UnrecognizedClientException');

    const noToken = await call({ ...creds, sessionToken: undefined });
    expect(noToken.name).toBe('UnrecognizedClientException');

    // The same credentials, untouched, work.
    const ok = await ecrClient(creds).send(new GetAuthorizationTokenCommand({}));
    expect(ok.authorizationData?.authorizationToken).toBeDefined();
  });

  it('serves GetAuthorizationToken only in us-east-1', async () => {
    const creds = await sessionCredentials(fakes);
    const error = await rejection(
      ecrClient(creds, 'eu-west-1', 1).send(new GetAuthorizationTokenCommand({})),
    );
    expect(error.name).toBe('UnsupportedCommandException');
  });

  it('answers expired sessions with ExpiredTokenException', async () => {
    const creds = await sessionCredentials(fakes);
    fakes.expireSessions();
    const error = await rejection(
      ecrClient(creds, 'us-east-1', 1).send(new GetAuthorizationTokenCommand({})),
    );
    expect(error.name).toBe('ExpiredTokenException');
  });

  it('needs sts:GetServiceBearerToken on the role as well', async () => {
    fakes.setRoles({
      [DEFAULT_ROLE_ARN]: {
        sub: 'repo:octo-org/*',
        permissions: ['ecr-public:GetAuthorizationToken'],
      },
    });
    const error = await rejection(login(fakes));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(/sts:GetServiceBearerToken/);
  });

  it('throttles the next N ECR calls, then answers; the SDK retries through it', async () => {
    const creds = await sessionCredentials(fakes);
    const before = fakes.counters();
    fakes.setFault('ecr', { failNext: 2, failWith: 'throttle' });
    const out = await ecrClient(creds).send(new GetAuthorizationTokenCommand({}));
    expect(out.authorizationData?.authorizationToken).toBeDefined();
    const after = fakes.counters();
    expect(after.ecr - before.ecr).toBe(3);
    expect(after.faulted.ecr - before.faulted.ecr).toBe(2);
    expect(after.ecrTokensIssued - before.ecrTokensIssued).toBe(1);

    fakes.setFault('ecr', { failNext: 2, failWith: 'throttle' });
    const error = await rejection(
      ecrClient(creds, 'us-east-1', 2).send(new GetAuthorizationTokenCommand({})),
    );
    expect(error.name).toBe('ThrottlingException');
    expect((error.$metadata as { attempts: number }).attempts).toBe(2);
  });

  it('throttles STS with Throttling / Rate exceeded and records every token it received', async () => {
    const token = await stsToken(fakes);
    const before = fakes.counters();
    fakes.setFault('sts', { failNext: 1, failWith: 'throttle' });
    await expect(webCredentials(token)()).resolves.toBeDefined();
    const after = fakes.counters();
    expect(after.sts - before.sts).toBe(2);
    expect(after.faulted.sts - before.faulted.sts).toBe(1);
    expect(after.stsWebIdentityTokens.slice(before.stsWebIdentityTokens.length)).toEqual([
      token,
      token,
    ]);

    fakes.setFault('sts', { failNext: 1, failWith: 'throttle' });
    const res = await fetch(fakes.urls.sts, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<Code>Throttling</Code>');
    expect(body).toContain('<Message>Rate exceeded</Message>');
  });

  it('injects custom service errors in the service format (IDPCommunicationError)', async () => {
    const token = await stsToken(fakes);
    const before = fakes.counters().sts;
    const idpError = {
      status: 400,
      code: 'IDPCommunicationError',
      message: "Couldn't retrieve key",
    };
    // This SDK models IDPCommunicationError as retryable: one fault is retried away...
    fakes.setFault('sts', { failNext: 1, failWith: idpError });
    await expect(webCredentials(token)()).resolves.toBeDefined();
    expect(fakes.counters().sts - before).toBe(2);
    // ...and a persistent one surfaces under the modeled exception name.
    fakes.setFault('sts', { failWith: idpError });
    const error = await rejection(webCredentials(token)());
    expect(error.name).toBe('IDPCommunicationErrorException');
    expect(error.message).toBe("Couldn't retrieve key");
  });

  it('recovers from 503 and connection resets, and adds latency', async () => {
    const creds = await sessionCredentials(fakes);
    fakes.setFault('ecr', { failNext: 1, failWith: 503 });
    await expect(
      ecrClient(creds).send(new GetAuthorizationTokenCommand({})),
    ).resolves.toBeDefined();
    fakes.setFault('ecr', { failNext: 1, failWith: 'reset' });
    await expect(
      ecrClient(creds).send(new GetAuthorizationTokenCommand({})),
    ).resolves.toBeDefined();

    fakes.setFault('oidc', { latencyMs: 150 });
    const started = Date.now();
    expect((await idToken(fakes, 'sts.amazonaws.com')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    fakes.setFault('oidc', { failNext: 1, failWith: 'throttle' });
    expect((await idToken(fakes, 'sts.amazonaws.com')).status).toBe(429);
    expect((await idToken(fakes, 'sts.amazonaws.com')).status).toBe(200);
  });

  it('rejects unknown fault settings and endpoints', () => {
    expect(() => fakes.setFault('ecr', { failWith: 'boom' as never })).toThrow(TypeError);
    expect(() => fakes.setFault('nope' as never, { failNext: 1 })).toThrow(TypeError);
  });
});

describe('a hung request', () => {
  it('stays unanswered until close(), which releases it', async () => {
    const fakes = await startFakes();
    useEnv(fakes);
    const creds = await sessionCredentials(fakes);
    fakes.setFault('ecr', { hang: true });
    const pending = rejection(
      ecrClient(creds, 'us-east-1', 1).send(new GetAuthorizationTokenCommand({})),
    );
    let settled = false;
    void pending.then(() => (settled = true));
    while (fakes.counters().ecr < 1) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);

    await fakes.close();
    const error = await pending;
    expect(error.message).toMatch(/socket hang up|ECONNRESET|aborted/i);
  });
});

describe('SigV4 verification', () => {
  it('reproduces the get-vanilla vector of the AWS SigV4 test suite', () => {
    const req = {
      method: 'GET',
      rawPath: '/',
      rawHeaders: ['Host', 'example.amazonaws.com', 'X-Amz-Date', '20150830T123600Z'],
      body: Buffer.alloc(0),
    };
    const canonical = canonicalRequest(req, ['host', 'x-amz-date']);
    expect(canonical).not.toBeNull();
    const signature = computeSignature(
      canonical as string,
      '20150830T123600Z',
      { date: '20150830', region: 'us-east-1', service: 'service' },
      'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    );
    expect(signature).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('accepts what the SDK signer signs for awkward paths and queries, and nothing altered', async () => {
    const secret = 'abc/def+ghi';
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret },
      region: 'us-east-1',
      service: 'ecr-public',
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path: '/a%20b/./c/%E2%82%AC',
      query: { 'x y': 'z/1', a: ['2', '1'], empty: '' },
      headers: {
        host: '127.0.0.1:8080',
        'content-type': 'application/json',
        'x-custom': ' a   b ',
      },
      body: '{"k":"v"}',
    });
    const query = 'x%20y=z%2F1&a=2&a=1&empty=';
    const rawHeaders = Object.entries(signed.headers).flat();
    const req = {
      method: 'POST',
      rawPath: `/a%20b/./c/%E2%82%AC?${query}`,
      rawHeaders,
      headers: Object.fromEntries(
        Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      body: Buffer.from('{"k":"v"}'),
    };
    const check = (r: typeof req, s = secret) =>
      verifySigV4(r, { service: 'ecr-public', secretFor: () => s, nowMs: Date.now() });

    expect(check(req)).toMatchObject({ ok: true, auth: { accessKeyId: 'AKIDEXAMPLE' } });
    expect(check(req, 'other')).toMatchObject({ ok: false, code: 'InvalidSignatureException' });
    expect(check({ ...req, body: Buffer.from('{"k":"w"}') })).toMatchObject({ ok: false });
    expect(check({ ...req, rawPath: `/a%20b/c/%E2%82%AC?${query}&more=1` })).toMatchObject({
      ok: false,
    });
    const stale = verifySigV4(req, {
      service: 'ecr-public',
      secretFor: () => secret,
      nowMs: Date.now() + 16 * 60_000,
    });
    expect(stale).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Signature expired/),
    });
  });
});
