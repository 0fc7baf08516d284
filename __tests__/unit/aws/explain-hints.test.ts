// Messages that lead to the fix: an AWS_REGION that names no region, an AWS_PROFILE that does
// not exist. Each says which variable is wrong and is not retried as if AWS were down.
import { explainEcrError, explainStsError, isRetryable } from '../../../src/aws/explain-error.js';
import { retry } from '../../../src/net/retry.js';
import { ECR_PUBLIC_SOURCE } from '../../../src/targets/ecr-public.js';
import { sdkError } from '../../fixtures/aws-sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/ecr-public-pull';
/** What Node's resolver throws for a name that does not exist. */
const unresolved = (host: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
    code: 'ENOTFOUND',
    hostname: host,
    syscall: 'getaddrinfo',
  });

describe('AWS_REGION = eu-west-1a (an Availability Zone)', () => {
  const error = unresolved('sts.eu-west-1a.amazonaws.com');

  test('is tried once, not five times', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw error;
        },
        {
          what: 'STS',
          maxAttempts: 5,
          deadline: Date.now() + 60_000,
          isRetryable,
          sleep: async () => {},
        },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  test('the message names AWS_REGION and the bad value, not STS being unavailable', () => {
    const explained = explainStsError(error, ROLE, {});
    expect(explained.message).toContain('sts.eu-west-1a.amazonaws.com does not resolve');
    expect(explained.message).toContain('"eu-west-1a" (from AWS_REGION or AWS_DEFAULT_REGION)');
    expect(explained.fix).toMatch(/Set AWS_REGION to a region such as eu-west-1/);
    expect(String(explained)).not.toMatch(/unavailable|retried/);
  });

  test('a DNS server that does not answer (EAI_AGAIN) is still retried', () => {
    expect(
      isRetryable(Object.assign(new Error('getaddrinfo EAI_AGAIN x'), { code: 'EAI_AGAIN' })),
    ).toBe(true);
  });
});

describe('a missing AWS_PROFILE', () => {
  const error = sdkError(
    'CredentialsProviderError',
    'Could not load credentials from any providers',
  );

  test('names the profile and how to define it', () => {
    const explained = explainEcrError(
      error,
      'the AWS credentials in the environment',
      {
        AWS_PROFILE: 'ci-puller',
      },
      ECR_PUBLIC_SOURCE,
    );
    expect(explained.message).toMatch(/^No AWS credentials were found for AWS_PROFILE "ci-puller"/);
    expect(explained.fix).toContain('Define the profile "ci-puller"');
    expect(explained.fix).toContain('unset AWS_PROFILE');
  });

  test('without AWS_PROFILE the message stays the general one', () => {
    const explained = explainEcrError(
      error,
      'the AWS credentials in the environment',
      {},
      ECR_PUBLIC_SOURCE,
    );
    expect(explained.message).toMatch(/^No AWS credentials were found \(/);
    expect(explained.fix).toContain('role-to-assume');
  });
});
