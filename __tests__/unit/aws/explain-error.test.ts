import { describe, expect, test } from '@jest/globals';
import { explainEcrError, explainStsError, isRetryable } from '../../../src/aws/explain-error.js';
import { ActionError, InputError } from '../../../src/common/errors.js';
import { cacheRegistry } from '../../fixtures/targets.js';
import { tokenSource } from '../../../src/targets/ecr-private.js';
import { ECR_PUBLIC_SOURCE } from '../../../src/targets/ecr-public.js';
import { HttpError } from '../../../src/net/get-json.js';
import { ProxyError } from '../../../src/net/proxy.js';
import { DeadlineError } from '../../../src/net/retry.js';
import { ecrError, sdkError, stsError } from '../../fixtures/aws-sdk.js';

/** A Node network error: name "Error", a string code. */
const netError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

const ROLE = 'arn:aws:iam::123456789012:role/ecr-public-pull';
const SUB = 'repo:octo-org/octo-repo:ref:refs/heads/main';

describe('isRetryable', () => {
  test.each<[string, unknown, boolean]>([
    ['Throttling', sdkError('Throttling', 'Rate exceeded', 400), true],
    ['ThrottlingException', sdkError('ThrottlingException', 'Rate exceeded', 400), true],
    ['TooManyRequestsException', sdkError('TooManyRequestsException', 'slow down', 429), true],
    ['RequestLimitExceeded', sdkError('RequestLimitExceeded', 'limit', 400), true],
    ['ServiceUnavailable', sdkError('ServiceUnavailable', 'down', 503), true],
    ['InternalFailure', sdkError('InternalFailure', 'oops', 500), true],
    ['IDPCommunicationError', sdkError('IDPCommunicationError', 'IdP unreachable', 400), true],
    ['TimeoutError', sdkError('TimeoutError', 'timed out'), true],
    ['HTTP 429 via $metadata', sdkError('UnknownError', 'x', 429), true],
    ['HTTP 500 via $metadata', sdkError('UnknownError', 'x', 500), true],
    ['HTTP 502 via $metadata', sdkError('UnknownError', 'x', 502), true],
    ['HTTP 503 via $metadata', sdkError('UnknownError', 'x', 503), true],
    ['HTTP 400 via $metadata', sdkError('UnknownError', 'x', 400), false],
    ['HTTP 404 via $metadata', sdkError('UnknownError', 'x', 404), false],
    ['ECONNRESET', netError('ECONNRESET'), true],
    ['ETIMEDOUT', netError('ETIMEDOUT'), true],
    ['ECONNREFUSED', netError('ECONNREFUSED'), true],
    ['EAI_AGAIN', netError('EAI_AGAIN'), true],
    ['ENOTFOUND', netError('ENOTFOUND'), false],
    ['EPIPE', netError('EPIPE'), true],
    ['EACCES', netError('EACCES'), false],
    [
      'InvalidIdentityToken "Couldn\'t retrieve verification key"',
      sdkError(
        'InvalidIdentityToken',
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        400,
      ),
      true,
    ],
    [
      'InvalidIdentityToken (other)',
      sdkError('InvalidIdentityToken', 'Incorrect token audience', 400),
      false,
    ],
    [
      'InvalidIdentityToken (no provider)',
      sdkError('InvalidIdentityToken', 'No OpenIDConnect provider found in your account', 400),
      false,
    ],
    ['AccessDenied', sdkError('AccessDenied', 'Not authorized', 403), false],
    ['AccessDeniedException', sdkError('AccessDeniedException', 'denied', 403), false],
    ['ValidationError', sdkError('ValidationError', 'bad duration', 400), false],
    ['ExpiredTokenException', sdkError('ExpiredTokenException', 'expired', 400), false],
    ['IDPRejectedClaim', sdkError('IDPRejectedClaim', 'rejected', 403), false],
    ['STS Throttling (fixture)', stsError.throttling(), true],
    ['STS IDPCommunicationError (fixture)', stsError.idpCommunication(), true],
    ['STS AccessDenied (fixture)', stsError.accessDenied(), false],
    ['STS audience InvalidIdentityToken (fixture)', stsError.invalidAudience(), false],
    ['ECR ThrottlingException (fixture)', ecrError.throttling(), true],
    ['ECR ServiceUnavailableException (fixture)', ecrError.unavailable(), true],
    ['ECR AccessDeniedException (fixture)', ecrError.accessDenied(), false],
    ['ActionError', new ActionError('x', 'fix'), false],
    ['InputError', new InputError(['a']), false],
    ['DeadlineError', new DeadlineError('x', 1, netError('ECONNRESET')), false],
    ['HttpError 429', new HttpError(429, 'HTTP 429'), true],
    ['HttpError 500', new HttpError(500, 'HTTP 500'), true],
    ['HttpError 503', new HttpError(503, 'HTTP 503'), true],
    ['HttpError 401', new HttpError(401, 'HTTP 401'), false],
    ['HttpError 403', new HttpError(403, 'HTTP 403'), false],
    ['HttpError 404', new HttpError(404, 'HTTP 404'), false],
    ['a plain Error', new Error('boom'), false],
    ['undefined', undefined, false],
    ['null', null, false],
    ['a string', 'ECONNRESET', false],
  ])('%s → %s', (_label, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  test('a proxy that refuses the tunnel (407) is not retried; an unreachable or failing proxy is', () => {
    expect(
      isRetryable(new ProxyError('proxy p:1 refused CONNECT to h:443 with HTTP 407', 407)),
    ).toBe(false);
    expect(
      isRetryable(new ProxyError('proxy p:1 refused CONNECT to h:443 with HTTP 502', 502)),
    ).toBe(true);
    expect(isRetryable(new ProxyError('proxy p:1: connect ECONNREFUSED'))).toBe(true);
  });
});

describe('explainStsError', () => {
  const claims = { sub: SUB, aud: 'sts.amazonaws.com' };

  test('AccessDenied keeps the STS code and message, shows the sub and a trust-policy fix', () => {
    const cause = sdkError(
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      403,
    );
    const error = explainStsError(cause, ROLE, claims);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toContain('STS AssumeRoleWithWebIdentity failed for ' + ROLE);
    expect(error.message).toContain(
      'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    expect(error.message).toContain(`sub claim is "${SUB}"`);
    expect(error.fix).toContain('trust policy');
    expect(error.fix).toContain('token.actions.githubusercontent.com:sub');
    expect(error.fix).toContain('"repo:octo-org/octo-repo:*"');
    expect(error.fix).toContain('sts:AssumeRoleWithWebIdentity');
    expect(error.fix).toContain('sts.amazonaws.com');
    expect(error.fix).not.toContain('immutable');
    expect(error.cause).toBe(cause);
  });

  test.each<[string, string]>([
    ['repo:octo-org/octo-repo:ref:refs/tags/v1.2.3', 'repo:octo-org/octo-repo:*'],
    ['repo:octo-org/octo-repo:environment:production', 'repo:octo-org/octo-repo:*'],
  ])('the suggested sub pattern for %s is %s', (sub, pattern) => {
    const error = explainStsError(sdkError('AccessDenied', 'no', 403), ROLE, { sub });
    expect(error.fix).toContain(`"${pattern}"`);
  });

  // The suggested trust condition keeps OWNER/REPO for the one-field pull_request form
  // `repo:OWNER/REPO:pull_request`: stripping two fields would give "repo:*", a condition that
  // lets ANY GitHub repository assume the role.
  test('the pull_request sub form suggests repo:OWNER/REPO:*, never repo:*', () => {
    const error = explainStsError(sdkError('AccessDenied', 'no', 403), ROLE, {
      sub: 'repo:octo-org/octo-repo:pull_request',
    });
    expect(error.fix).not.toContain('"repo:*"');
    expect(error.fix).toContain('"repo:octo-org/octo-repo:*"');
  });

  test('AccessDeniedException is explained the same way', () => {
    const error = explainStsError(sdkError('AccessDeniedException', 'denied', 403), ROLE, claims);
    expect(error.message).toContain(`sub claim is "${SUB}"`);
    expect(error.fix).toContain('trust policy');
  });

  test('the immutable sub form gets the extra hint', () => {
    const sub = 'repo:octo-org@1234/octo-repo@5678:ref:refs/heads/main';
    const error = explainStsError(sdkError('AccessDenied', 'Not authorized', 403), ROLE, { sub });
    expect(error.message).toContain(`"${sub}"`);
    expect(error.fix).toContain('immutable sub form');
    expect(error.fix).toContain('"repo:octo-org@1234/octo-repo@5678:*"');
  });

  test('without a sub claim the fix shows a placeholder pattern', () => {
    const error = explainStsError(sdkError('AccessDenied', 'Not authorized', 403), ROLE, {});
    expect(error.message).toContain('sub claim is ""');
    expect(error.fix).toContain('"repo:OWNER/REPO:*"');
  });

  test('an audience error shows the token audience and the provider fix', () => {
    const error = explainStsError(
      sdkError('InvalidIdentityToken', 'Incorrect token audience', 400),
      ROLE,
      { sub: SUB, aud: 'https://github.com/octo-org' },
    );
    expect(error.message).toContain('InvalidIdentityToken: Incorrect token audience');
    expect(error.message).toContain('audience is "https://github.com/octo-org"');
    expect(error.fix).toContain('client ID');
    expect(error.fix).toContain('sts.amazonaws.com');
  });

  test('a list audience is shown joined', () => {
    const error = explainStsError(
      sdkError('InvalidIdentityToken', 'Incorrect token audience', 400),
      ROLE,
      { aud: ['a', 'b'] },
    );
    expect(error.message).toContain('audience is "a,b"');
  });

  test('no OIDC provider in the account → create it', () => {
    const error = explainStsError(
      sdkError(
        'InvalidIdentityToken',
        'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
        400,
      ),
      ROLE,
      claims,
    );
    expect(error.message).toContain('No OpenIDConnect provider found');
    expect(error.fix).toContain('Create the IAM OIDC identity provider');
    expect(error.fix).toContain('https://token.actions.githubusercontent.com');
  });

  test('another InvalidIdentityToken → check the provider', () => {
    const error = explainStsError(
      sdkError('InvalidIdentityToken', 'The web identity token is malformed', 400),
      ROLE,
      claims,
    );
    expect(error.message).toContain('InvalidIdentityToken: The web identity token is malformed');
    expect(error.fix).toContain('OIDC identity provider');
  });

  test('a duration ValidationError → lower role-duration-seconds or raise MaxSessionDuration', () => {
    const error = explainStsError(
      sdkError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        400,
      ),
      ROLE,
      claims,
    );
    expect(error.message).toContain('ValidationError: The requested DurationSeconds exceeds');
    expect(error.fix).toContain('`role-duration-seconds`');
    expect(error.fix).toContain('MaxSessionDuration');
  });

  test('another ValidationError → check the role inputs', () => {
    const error = explainStsError(
      sdkError('ValidationError', "1 validation error detected: Value at 'roleSessionName'", 400),
      ROLE,
      claims,
    );
    expect(error.fix).toContain('`role-session-name`');
    expect(error.fix).not.toContain('MaxSessionDuration');
  });

  test('ExpiredTokenException → the clock and retries', () => {
    const error = explainStsError(
      sdkError('ExpiredTokenException', 'Token expired', 400),
      ROLE,
      claims,
    );
    expect(error.message).toContain('ExpiredTokenException: Token expired');
    expect(error.fix).toContain('clock');
  });

  test('IDPRejectedClaim → trust policy fix', () => {
    const error = explainStsError(sdkError('IDPRejectedClaim', 'rejected', 403), ROLE, claims);
    expect(error.fix).toContain('"repo:octo-org/octo-repo:*"');
  });

  test('a network error → says it was retried and mentions proxies', () => {
    const error = explainStsError(netError('ECONNRESET'), ROLE, claims);
    expect(error.message).toContain('ECONNRESET: connect ECONNRESET');
    expect(error.fix).toContain('retried');
    expect(error.fix).toContain('HTTPS_PROXY');
  });

  test('an unknown non-retryable error → points at the README', () => {
    const error = explainStsError(sdkError('SomethingNew', 'what', 400), ROLE, claims);
    expect(error.message).toContain('SomethingNew: what');
    expect(error.fix).toContain('README');
    expect(error.fix).not.toContain('retried');
  });

  test('an ActionError passes through unchanged', () => {
    const original = new ActionError('already explained', 'do this');
    expect(explainStsError(original, ROLE, claims)).toBe(original);
  });
});

describe('explainEcrError', () => {
  test('AccessDeniedException names both IAM actions', () => {
    const cause = ecrError.accessDenied();
    const error = explainEcrError(cause, 'the role ' + ROLE, {}, ECR_PUBLIC_SOURCE);
    expect(error.message).toContain(
      'ECR Public GetAuthorizationToken failed with the role ' + ROLE,
    );
    expect(error.message).toContain('AccessDeniedException: User: arn:aws:sts::');
    expect(error.fix).toContain('ecr-public:GetAuthorizationToken');
    expect(error.fix).toContain('sts:GetServiceBearerToken');
    expect(error.cause).toBe(cause);
  });

  test('CredentialsProviderError says to set role-to-assume', () => {
    const error = explainEcrError(
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'the environment credentials',
      {},
      ECR_PUBLIC_SOURCE,
    );
    expect(error.message).toContain('No AWS credentials were found');
    expect(error.message).toContain('Could not load credentials from any providers');
    expect(error.fix).toContain('`role-to-assume`');
  });

  test.each(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException'])(
    '%s → the credentials were rejected',
    (code) => {
      const error = explainEcrError(
        sdkError(code, 'bad creds', 400),
        'env credentials',
        {},
        ECR_PUBLIC_SOURCE,
      );
      expect(error.message).toContain(`${code}: bad creds`);
      expect(error.fix).toContain('credentials were rejected');
    },
  );

  test('throttling → retried, check status and proxy', () => {
    const error = explainEcrError(
      sdkError('ThrottlingException', 'Rate exceeded', 400),
      'x',
      {},
      ECR_PUBLIC_SOURCE,
    );
    expect(error.fix).toContain('ECR Public looks unavailable or slow');
    expect(error.fix).toContain('NO_PROXY');
  });

  test('an ActionError passes through unchanged', () => {
    const original = new ActionError('a', 'b');
    expect(explainEcrError(original, 'x', {}, ECR_PUBLIC_SOURCE)).toBe(original);
  });
});

describe('explainEcrError for an ECR pull-through cache', () => {
  const registry = cacheRegistry('210987654321', 'ap-east-2', 'cache');
  const HOST = registry.host;
  const target = tokenSource(registry);

  test('AccessDeniedException: the login action, and the pull actions on the namespace', () => {
    const cause = sdkError('AccessDeniedException', 'not authorized: ecr:GetAuthorizationToken');
    const error = explainEcrError(cause, 'the role ' + ROLE, {}, target);
    expect(error.message).toBe(
      `ECR in ap-east-2 GetAuthorizationToken failed with the role ${ROLE} (AccessDeniedException: not authorized: ecr:GetAuthorizationToken).`,
    );
    expect(error.fix).toBe(
      'Allow "ecr:GetAuthorizationToken" on "*" in the role\'s permission policy; pulls through the cache also need "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage" and "ecr:CreateRepository" on "arn:aws:ecr:ap-east-2:210987654321:repository/cache/*" (see the README).',
    );
  });

  test('an opt-in region not enabled (every credential unknown): names the region and the input', () => {
    const error = explainEcrError(
      sdkError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
      'x',
      {},
      target,
    );
    expect(error.fix).toContain(
      `If ap-east-2 (the region in the \`registry\` input, ${HOST}) is an opt-in region, enable it for the account`,
    );
    expect(error.fix).toContain('credentials were rejected');
  });

  test('no ECR endpoint for the region (mistyped or unreachable): names the region and the input', () => {
    const cause = Object.assign(
      new Error('getaddrinfo ENOTFOUND api.ecr.ap-east-2.amazonaws.com'),
      {
        code: 'ENOTFOUND',
      },
    );
    const error = explainEcrError(cause, 'x', {}, target);
    expect(error.fix).toContain(
      `No ECR endpoint answers for the region ap-east-2 from this runner: check the region in the \`registry\` input (${HOST})`,
    );
    expect(error.fix).toContain('AWS_ENDPOINT_URL_ECR');
  });

  test('a 5xx: ECR in the region looks unavailable', () => {
    const error = explainEcrError(ecrError.unavailable(), 'x', {}, target);
    expect(error.fix).toContain('ECR in ap-east-2 looks unavailable or slow');
  });
});
