// The signer against AWS's own Signature Version 4 test suite (the cases whose request goes to
// the root path without a query, as every request the step signs does), then differentially
// against the SDK's signer (@smithy/signature-v4) on the requests the step sends.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest, type RootRequest } from '../../../src/aws/sigv4.js';
import { verifySigV4 } from '../../../sandbox/fakes/sigv4.mjs';
import {
  secretAccessKey,
  sessionAccessKeyId,
  sessionToken,
} from '../../../sandbox/fakes/random.mjs';

// The suite's common values (aws-sig-v4-test-suite, as published in the AWS General Reference).
const SUITE = {
  keys: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  scope: { service: 'service', region: 'us-east-1' },
  now: new Date('2015-08-30T12:36:00Z'),
  host: 'example.amazonaws.com',
  sessionToken:
    'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
};

interface SuiteCase {
  name: string;
  method: string;
  /** The .req file's headers besides Host and X-Amz-Date (which every case has). */
  headers?: Record<string, string>;
  body?: string;
  withToken?: boolean;
  /** The .authz file. */
  authz: string;
}

const authz = (signedHeaders: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`;

const CASES: SuiteCase[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    authz: authz(
      'host;x-amz-date',
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ),
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    authz: authz(
      'host;x-amz-date',
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ),
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    authz: authz(
      'content-type;host;x-amz-date',
      'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    ),
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    withToken: true,
    authz: authz(
      'host;x-amz-date;x-amz-security-token',
      '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    ),
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    headers: { 'My-Header1': 'value1' },
    authz: authz(
      'host;my-header1;x-amz-date',
      'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
    ),
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' },
    authz: authz(
      'host;my-header1;my-header2;x-amz-date',
      'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ),
  },
];

describe("AWS's SigV4 test suite", () => {
  test.each(CASES)('$name', (c) => {
    const keys = { ...SUITE.keys, ...(c.withToken ? { sessionToken: SUITE.sessionToken } : {}) };
    const request = {
      method: c.method,
      headers: { Host: SUITE.host, ...c.headers },
      body: c.body ?? '',
    };
    const signed = signRequest(request, SUITE.scope, keys, SUITE.now);
    expect(signed.authorization).toBe(c.authz);
    expect(signed['x-amz-date']).toBe('20150830T123600Z');
    expect(signed['x-amz-security-token']).toBe(c.withToken ? SUITE.sessionToken : undefined);
  });
});

/** The SDK's signer over node:crypto, as the SDK's node runtime gives it one. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);
class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: Data) {
    this.hash.update(bytes(data));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {}
}

/** What the SDK's signer makes of the same request (it signs every header it is given). */
async function smithySigned(
  r: RootRequest,
  scope: { service: string; region: string },
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  now: Date,
) {
  const signer = new SignatureV4({
    ...scope,
    credentials: keys,
    sha256: Sha256,
    applyChecksum: false,
  });
  const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = await signer.sign(
    {
      method: r.method,
      protocol: 'https:',
      hostname: lower.host,
      path: '/',
      query: {},
      headers: lower,
      body: r.body,
    },
    { signingDate: now },
  );
  return signed.headers;
}

/** A GetAuthorizationToken request as the step builds it, with random keys. */
function tokenRequest(host: string, target: string): RootRequest {
  return {
    method: 'POST',
    headers: {
      host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      'content-length': '2',
      'x-amz-content-sha256': createHash('sha256').update('{}').digest('hex'),
    },
    body: '{}',
  };
}

describe('differentially against @smithy/signature-v4', () => {
  const cases = [
    {
      scope: { service: 'ecr-public', region: 'us-east-1' },
      host: 'api.ecr-public.us-east-1.amazonaws.com',
      target: 'SpencerFrontendService.GetAuthorizationToken',
    },
    {
      scope: { service: 'ecr', region: 'eu-west-1' },
      host: 'api.ecr.eu-west-1.amazonaws.com',
      target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    },
    {
      scope: { service: 'ecr', region: 'ap-southeast-2' },
      host: '127.0.0.1:43111',
      target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    },
  ];
  test.each(cases)(
    '$scope.service in $scope.region at $host: the same headers, signature included',
    async ({ scope, host, target }) => {
      for (let i = 0; i < 20; i++) {
        const keys = {
          accessKeyId: sessionAccessKeyId(),
          secretAccessKey: secretAccessKey(),
          sessionToken: sessionToken(),
        };
        // Any second of any day: dates cross midnight, months and years.
        const now = new Date(Date.UTC(2020, 0, 1) + randomBytes(4).readUInt32BE() * 1000);
        const request = tokenRequest(host, target);
        const ours = signRequest(request, scope, keys, now);
        expect(ours).toEqual(await smithySigned(request, scope, keys, now));
        // And what a front end checks (the sandbox's verifier, written from the spec) accepts it.
        const rawHeaders = Object.entries(ours).flat();
        const verdict = verifySigV4(
          { method: 'POST', rawPath: '/', rawHeaders, body: Buffer.from('{}'), headers: ours },
          { service: scope.service, secretFor: () => keys.secretAccessKey, nowMs: now.getTime() },
        );
        expect(verdict).toMatchObject({ ok: true });
      }
    },
  );

  test('a changed secret, body or header changes the signature', () => {
    const keys = { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' };
    const scope = cases[0].scope;
    const request = tokenRequest(cases[0].host, cases[0].target);
    const base = signRequest(request, scope, keys, SUITE.now).authorization;
    expect(
      signRequest(request, scope, { ...keys, secretAccessKey: 'other' }, SUITE.now).authorization,
    ).not.toBe(base);
    expect(signRequest({ ...request, body: '{ }' }, scope, keys, SUITE.now).authorization).not.toBe(
      base,
    );
    expect(
      signRequest(
        { ...request, headers: { ...request.headers, 'x-amz-target': 'X.Y' } },
        scope,
        keys,
        SUITE.now,
      ).authorization,
    ).not.toBe(base);
  });
});
