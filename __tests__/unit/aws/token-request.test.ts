// GetAuthorizationToken as our own request, against the SDK's clients: one table of answers (in
// the sandbox awsJson fakes' format, which is the services'), each given to the real SDK (caught
// in process) and to our request (a loopback server that also checks the signature as AWS's front
// end does). Both must come out the same to explain-error and to the logs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { explainEcrError, isRetryable } from '../../../src/aws/explain-error.js';
import { getAuthorizationToken, type TokenCall } from '../../../src/aws/token-request.js';
import { describeError } from '../../../src/common/errors.js';
import { tokenSource } from '../../../src/targets/ecr-private.js';
import { ECR_PUBLIC_SOURCE } from '../../../src/targets/ecr-public.js';
import { error as awsJsonError, failureResponse, json } from '../../../sandbox/fakes/aws-json.mjs';
import { startServer, type FakeRequest, type RunningServer } from '../../../sandbox/fakes/http.mjs';
import { verifySigV4 } from '../../../sandbox/fakes/sigv4.mjs';
import {
  secretAccessKey,
  sessionAccessKeyId,
  sessionToken,
} from '../../../sandbox/fakes/random.mjs';
import { sdkGetToken, type ScriptedAnswer } from '../../fixtures/sdk-capture.js';
import { cacheRegistry } from '../../fixtures/targets.js';

const KEYS = {
  accessKeyId: sessionAccessKeyId(),
  secretAccessKey: secretAccessKey(),
  sessionToken: sessionToken(),
};
const VIA = 'role arn:aws:iam::123456789012:role/ecr-public-pull';
const SOURCES = {
  'ecr-public': ECR_PUBLIC_SOURCE,
  ecr: tokenSource(cacheRegistry('123456789012', 'eu-west-1', 'ecr-public')),
};
const REGIONS = { 'ecr-public': 'us-east-1', ecr: 'eu-west-1' };
const SIGNING = { 'ecr-public': 'ecr-public', ecr: 'ecr' };
type Kind = keyof typeof REGIONS;

const fake = (r: {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}): ScriptedAnswer => ({
  status: r.status,
  headers: r.headers,
  body: r.body ?? '',
});

let answer: ScriptedAnswer;
let lastKind: Kind = 'ecr-public';
const received: FakeRequest[] = [];
let server: RunningServer;
beforeAll(async () => {
  server = await startServer(async (req) => {
    received.push(req);
    // What AWS's front end checks first: a valid signature for this service.
    const verdict = verifySigV4(req, {
      service: SIGNING[lastKind],
      secretFor: () => KEYS.secretAccessKey,
      nowMs: Date.now(),
    });
    return verdict.ok ? answer : awsJsonError(403, verdict.code, verdict.message, true);
  });
});
afterAll(() => server.close());

async function ours(kind: Kind, a: ScriptedAnswer) {
  answer = a;
  lastKind = kind;
  const masked: string[] = [];
  const call: TokenCall = {
    origin: server.origin,
    kind,
    region: REGIONS[kind],
    service: SOURCES[kind].service,
    keys: KEYS,
  };
  const o = {
    headers: {},
    timeoutMs: 5000,
    setSecret: (v: string) => void masked.push(v),
    now: () => new Date(),
  };
  try {
    return { value: await getAuthorizationToken(call, o), masked };
  } catch (error) {
    return { error, masked };
  }
}

const seen = (kind: Kind, error: unknown) => ({
  line: describeError(error),
  retried: isRetryable(error),
  explained: explainEcrError(error, VIA, {}, SOURCES[kind]).toString(),
});

const ERRORS: [string, ScriptedAnswer][] = [
  [
    'AccessDeniedException',
    fake(
      awsJsonError(
        400,
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/ecr-public-pull/GitHubActions is not authorized to perform: ecr-public:GetAuthorizationToken on resource: *',
      ),
    ),
  ],
  ['ThrottlingException (retried)', fake(failureResponse('throttle'))],
  ['ServiceUnavailableException, front end (retried)', fake(failureResponse(503))],
  ['ServerException (retried)', fake(failureResponse(500))],
  [
    'UnrecognizedClientException, front end',
    fake(
      awsJsonError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        true,
      ),
    ),
  ],
  [
    'ExpiredTokenException, front end',
    fake(
      awsJsonError(
        403,
        'ExpiredTokenException',
        'The security token included in the request is expired',
        true,
      ),
    ),
  ],
  [
    'InvalidSignatureException, front end',
    fake(
      awsJsonError(
        403,
        'InvalidSignatureException',
        'Signature expired: 20240101T000000Z is now earlier than ...',
        true,
      ),
    ),
  ],
  [
    'UnsupportedCommandException',
    fake(
      awsJsonError(
        400,
        'UnsupportedCommandException',
        'The action is not supported in this Region.',
      ),
    ),
  ],
  [
    'a namespaced __type',
    fake(
      json(400, { __type: 'com.amazonaws.ecr#RepositoryNotFoundException', Message: 'capital M' }),
    ),
  ],
  ['a code member', fake(json(400, { code: 'InvalidParameterException' }))],
  [
    'only the header',
    fake(
      json(
        429,
        { message: 'slow' },
        { 'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/' },
      ),
    ),
  ],
];

describe.each(['ecr-public', 'ecr'] as const)(
  '%s: an error answer comes out as the SDK’s',
  (kind) => {
    test.each(ERRORS)('%s', async (_, a) => {
      const sdk = await sdkGetToken(kind, REGIONS[kind], KEYS, a);
      const direct = await ours(kind, a);
      expect(sdk.error).toBeDefined();
      expect(seen(kind, direct.error)).toEqual(seen(kind, sdk.error));
      const fields = (e: unknown) => {
        const { name, message, Code, $metadata } = e as Record<string, unknown> & {
          $metadata: { httpStatusCode: number };
        };
        return { name, message, Code, status: $metadata.httpStatusCode };
      };
      expect(fields(direct.error)).toEqual(fields(sdk.error));
    });
  },
);

describe('an answer that is no AWS answer', () => {
  test.each([
    [
      'a proxy’s 502 page is retried',
      { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' },
      true,
    ],
    [
      'a 403 page is not',
      { status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' },
      false,
    ],
    [
      'a 200 that is not JSON is not',
      { status: 200, body: '{"authorizationData":{"authorizationToken":"QVdTOnNlY3JldA=="' },
      false,
    ],
  ])('%s; its body is never quoted', async (_, a, retried) => {
    const { error } = await ours('ecr-public', a);
    expect(isRetryable(error)).toBe(retried);
    expect(isRetryable((await sdkGetToken('ecr-public', 'us-east-1', KEYS, a)).error)).toBe(
      retried,
    );
    const text = explainEcrError(error, VIA, {}, ECR_PUBLIC_SOURCE).toString();
    expect(text).toContain(`HTTP ${a.status}`);
    expect(text).not.toContain(a.body.slice(0, 12));
  });
});

describe('the token', () => {
  const token = Buffer.from('AWS:eyJwYXlsb2FkIjoi').toString('base64');
  test.each([
    [
      'ecr-public',
      { authorizationData: { authorizationToken: token, expiresAt: 1_900_000_000.123 } },
    ],
    [
      'ecr',
      {
        authorizationData: [
          { authorizationToken: token, expiresAt: 1_900_000_000.5, proxyEndpoint: 'https://x' },
        ],
      },
    ],
  ] as const)('%s: read as the SDK reads it, and masked as it is read', async (kind, body) => {
    const a = fake(json(200, body));
    const direct = await ours(kind, a);
    const sdk = await sdkGetToken(kind, REGIONS[kind], KEYS, a);
    const data = (sdk.value as { authorizationData: unknown }).authorizationData;
    const first = (Array.isArray(data) ? data[0] : data) as {
      authorizationToken: string;
      expiresAt: Date;
    };
    expect(direct.value).toEqual({
      authorizationToken: first.authorizationToken,
      expiresAt: first.expiresAt,
    });
    expect(direct.masked).toEqual([token]);
    // Sent as the service expects it: its target, signed for its name and region.
    const req = received.at(-1)!;
    expect(req.headers['x-amz-target']).toBe(
      kind === 'ecr'
        ? 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken'
        : 'SpencerFrontendService.GetAuthorizationToken',
    );
    expect(req.headers.authorization).toContain(`/${REGIONS[kind]}/${SIGNING[kind]}/aws4_request`);
    expect(req.headers['x-amz-security-token']).toBe(KEYS.sessionToken);
  });

  test('an answer without a token is no token (the decoder says it is not usable)', async () => {
    expect((await ours('ecr-public', fake(json(200, {})))).value).toBeUndefined();
  });
});
