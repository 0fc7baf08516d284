// AssumeRoleWithWebIdentity as our own request, against the SDK's: one table of STS answers (in
// the sandbox STS fake's format, which is STS's), each given to the real SDK (caught in process)
// and to our request (a loopback server). Both must come out the same to explain-error and to
// the logs: error name, code, message, HTTP status, retry, and the words the user reads.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { explainStsError, isRetryable } from '../../../src/aws/explain-error.js';
import { assumeRoleWithWebIdentity } from '../../../src/aws/sts-request.js';
import { ActionError, describeError } from '../../../src/common/errors.js';
import { stsService } from '../../../sandbox/fakes/sts.mjs';
import { startServer, type RunningServer } from '../../../sandbox/fakes/http.mjs';
import { sdkAssumeRole, type ScriptedAnswer } from '../../fixtures/sdk-capture.js';

const ROLE = 'arn:aws:iam::123456789012:role/ecr-public-pull';
const PARAMS = {
  roleArn: ROLE,
  roleSessionName: 'GitHubActions',
  webIdentityToken: 'eyJh.eyJz.c2ln',
  durationSeconds: 3600,
};
const CLAIMS = { sub: 'repo:octo-org/octo-app:ref:refs/heads/main', aud: 'sts.amazonaws.com' };

/** STS's error answer for a code, rendered by the sandbox's STS fake. */
const stsAnswer = (status: number, code: string, message: string): ScriptedAnswer => {
  const fake = stsService({} as Parameters<typeof stsService>[0]).failure({
    status,
    code,
    message,
  });
  return { status: fake.status, headers: fake.headers, body: fake.body ?? '' };
};

let answer: ScriptedAnswer;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer(async () => answer);
});
afterAll(() => server.close());

/** Our request against the loopback server answering `a`; the secrets it masked. */
async function ours(a: ScriptedAnswer) {
  answer = a;
  const masked: string[] = [];
  const o = { headers: {}, timeoutMs: 5000, setSecret: (v: string) => void masked.push(v) };
  try {
    return { value: await assumeRoleWithWebIdentity(server.origin, PARAMS, o), masked };
  } catch (error) {
    return { error, masked };
  }
}

/** What a user and the retry loop see of a failure. */
const seen = (error: unknown) => ({
  line: describeError(error),
  retried: isRetryable(error),
  explained: explainStsError(error, ROLE, CLAIMS).toString(),
});

const ERRORS: [string, ScriptedAnswer][] = [
  [
    'AccessDenied (trust policy)',
    stsAnswer(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
  ],
  [
    'InvalidIdentityToken (audience)',
    stsAnswer(400, 'InvalidIdentityToken', 'Incorrect token audience'),
  ],
  [
    'InvalidIdentityToken (no provider)',
    stsAnswer(
      400,
      'InvalidIdentityToken',
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    ),
  ],
  [
    'InvalidIdentityToken (key fetch, retried)',
    stsAnswer(
      400,
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
    ),
  ],
  [
    'ExpiredTokenException',
    stsAnswer(
      400,
      'ExpiredTokenException',
      'Token expired: current date/time 1700000400 must be before the expiration date/time1700000300',
    ),
  ],
  [
    'IDPCommunicationError (retried)',
    stsAnswer(
      400,
      'IDPCommunicationError',
      'The identity provider could not be reached & <timed out>',
    ),
  ],
  ['IDPRejectedClaim', stsAnswer(403, 'IDPRejectedClaim', 'Rejected claim')],
  ['Throttling (retried)', stsAnswer(400, 'Throttling', 'Rate exceeded')],
  [
    'ServiceUnavailable (retried)',
    stsAnswer(503, 'ServiceUnavailable', 'Service is unable to handle request.'),
  ],
  [
    'InternalFailure (retried)',
    stsAnswer(500, 'InternalFailure', 'An internal error has occurred.'),
  ],
  [
    'ValidationError (duration)',
    stsAnswer(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ),
  ],
  [
    'RegionDisabledException',
    stsAnswer(403, 'RegionDisabledException', 'STS is not activated in this region'),
  ],
  [
    'an error without a message',
    { status: 400, body: '<ErrorResponse><Error><Code>Odd</Code></Error></ErrorResponse>' },
  ],
  ['404 without a code', { status: 404, body: '<ErrorResponse></ErrorResponse>' }],
];

describe('an error answer comes out as the SDK’s', () => {
  test.each(ERRORS)('%s', async (_, a) => {
    const sdk = await sdkAssumeRole('us-east-1', PARAMS, a);
    const direct = await ours(a);
    expect(sdk.error).toBeDefined();
    expect(seen(direct.error)).toEqual(seen(sdk.error));
    const fields = (e: unknown) => {
      const { name, message, Code, $metadata } = e as Record<string, unknown> & {
        $metadata: { httpStatusCode: number };
      };
      return { name, message, Code, status: $metadata.httpStatusCode };
    };
    expect(fields(direct.error)).toEqual(fields(sdk.error));
  });

  test('the retried ones are the ones the loop retries', async () => {
    const retried = [];
    for (const [name, a] of ERRORS) if (isRetryable((await ours(a)).error)) retried.push(name);
    expect(retried).toEqual([
      'InvalidIdentityToken (key fetch, retried)',
      'IDPCommunicationError (retried)',
      'Throttling (retried)',
      'ServiceUnavailable (retried)',
      'InternalFailure (retried)',
    ]);
  });
});

describe('an answer that is no STS answer', () => {
  const page = '<html><body>Bad gateway for WebIdentityToken=eyJh.eyJz.c2ln</body></html>';
  test.each([
    [
      'a proxy’s 502 page is retried',
      { status: 502, headers: { 'content-type': 'text/html' }, body: page },
      true,
    ],
    [
      'a 400 that is not XML is not',
      { status: 400, headers: { 'content-type': 'text/plain' }, body: 'nope' },
      false,
    ],
    ['a 200 that is not XML is not', { status: 200, body: 'garbage' }, false],
  ])('%s; its body is never quoted', async (_, a, retried) => {
    const { error } = await ours(a);
    expect(isRetryable(error)).toBe(retried);
    // The SDK agrees on retrying it.
    expect(isRetryable((await sdkAssumeRole('us-east-1', PARAMS, a)).error)).toBe(retried);
    const text = explainStsError(error, ROLE, CLAIMS).toString();
    expect(text).toContain(`HTTP ${a.status}`);
    expect(text).not.toContain(a.body.slice(0, 20));
    expect(text).not.toContain('eyJh');
  });
});

const credentialsXml = (inner: string) =>
  `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:octo-org/octo-app:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Credentials>${inner}</Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;

describe('the credentials', () => {
  test('read as the SDK reads them (entities, CDATA), and masked as they are read', async () => {
    const a = {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: credentialsXml(`<AccessKeyId>ASIA&#x41;EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJal&amp;rX/K7&lt;M&#62;&quot;q&apos;</SecretAccessKey>
      <SessionToken><![CDATA[IQo&amp;b3JpZ2luX2Vj]]></SessionToken>
      <Expiration>2030-01-01T00:15:00Z</Expiration>`),
    };
    const direct = await ours(a);
    const sdk = await sdkAssumeRole('us-east-1', PARAMS, a);
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = sdk.value!;
    expect(direct.value).toEqual({ accessKeyId, secretAccessKey, sessionToken, expiration });
    expect(direct.value?.secretAccessKey).toBe('wJal&rX/K7<M>"q\'');
    expect(direct.masked).toEqual([accessKeyId, secretAccessKey, sessionToken]);
  });

  test('an answer without them is refused, saying so; what did come is still masked', async () => {
    const a = {
      status: 200,
      body: credentialsXml(
        '<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>',
      ),
    };
    const { error, masked } = await ours(a);
    expect(error).toBeInstanceOf(ActionError);
    expect(String(error)).toBe(
      `STS answered AssumeRoleWithWebIdentity for ${ROLE} without credentials (an access key, secret key and session token).\nThis is unexpected from AWS; retry the job, and report it if it persists.`,
    );
    expect(isRetryable(error)).toBe(false);
    expect(masked).toEqual(['ASIAEXAMPLE', 's3cr3t']);
    // The SDK refuses it too (it wants at least the two keys; this answer has them, so it takes
    // it, and the token call fails later): ours says why at once.
  });
});
