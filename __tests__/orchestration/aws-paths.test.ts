// Who makes a login's AWS calls (aws/direct-rule): the step's own requests, without loading the
// SDK, or the SDK, for each branch of the rule. Then one table of STS and ECR answers run against
// both paths, the step's own requests and the REAL SDK, answered by the same script on loopback
// (fixtures/aws-wire): a user must read the same story either way (exit code, errors, warnings,
// retry lines, how often each service was asked), and no secret anywhere.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ecrError, sdkError, stsError, type FakeAwsSdk } from '../fixtures/aws-sdk.js';
import { ROLE, runMainFor, setupJob, type Job } from '../fixtures/job.js';
import { withProcessEnv } from '../fixtures/sdk-capture.js';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** A shared AWS config file in the job's home: the SDK may read anything from it. */
const withConfigFile = (j: Job) => {
  const dir = join(j.runner.env.HOME!, '.aws');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), '[default]\n');
};

/** The debug line that says who makes the AWS calls, and why. */
const debugLines = (log: string[]) =>
  log.filter((l) => /^::debug::.*: (our own AWS requests|the AWS SDK) \(/.test(l));

describe('our own requests: the SDK chunk is never loaded', () => {
  test.each([
    ['ECR Public', { 'role-to-assume': ROLE }, 'ECR Public'],
    [
      'a pull-through cache',
      { 'role-to-assume': ROLE, registry: `${HOST}/ecr-public` },
      'ECR in eu-west-1',
    ],
  ])('%s', async (_, inputs, service) => {
    const j = await setupJob();
    const run = await runMainFor(j, inputs);
    expect(run.code).toBe(0);
    expect(j.sdk.loads).toBe(0);
    expect(j.sdk.ecrSdkLoads).toBe(0);
    expect(debugLines(run.runtime.log)).toEqual([
      `::debug::${service}: our own AWS requests (endpoints from AWS_ENDPOINT_URL_STS, ${service === 'ECR Public' ? 'AWS_ENDPOINT_URL_ECR_PUBLIC' : 'AWS_ENDPOINT_URL_ECR'}).`,
    ]);
    expect(j.sdk.webTokenCalls).toHaveLength(1);
    expect([...j.sdk.ecrCalls, ...j.sdk.privateEcrCalls]).toHaveLength(1);
  });
});

interface Branch {
  name: string;
  arrange: (j: Job) => void;
  inputs?: Record<string, string>;
  why: string;
}

const BRANCHES: Branch[] = [
  {
    name: 'no role-to-assume',
    arrange: () => undefined,
    inputs: {},
    why: "no `role-to-assume`: the SDK's default credential chain",
  },
  {
    name: 'a shared config file in the home folder',
    arrange: withConfigFile,
    why: '/.aws/config exists',
  },
  {
    name: 'AWS_CONFIG_FILE',
    arrange: (j) => void (j.runner.env.AWS_CONFIG_FILE = '/etc/aws/config'),
    why: 'AWS_CONFIG_FILE is set',
  },
  {
    name: 'AWS_USE_FIPS_ENDPOINT',
    arrange: (j) => void (j.runner.env.AWS_USE_FIPS_ENDPOINT = 'true'),
    why: 'AWS_USE_FIPS_ENDPOINT is set',
  },
  {
    name: 'AWS_USE_DUALSTACK_ENDPOINT',
    arrange: (j) => void (j.runner.env.AWS_USE_DUALSTACK_ENDPOINT = 'true'),
    why: 'AWS_USE_DUALSTACK_ENDPOINT is set',
  },
  {
    name: 'AWS_STS_REGIONAL_ENDPOINTS',
    arrange: (j) => void (j.runner.env.AWS_STS_REGIONAL_ENDPOINTS = 'regional'),
    why: 'AWS_STS_REGIONAL_ENDPOINTS is set',
  },
  {
    name: 'STS in another partition',
    arrange: (j) => void (j.runner.env.AWS_REGION = 'cn-north-1'),
    why: 'STS region cn-north-1 is outside the aws partition',
  },
  {
    name: 'an override with a path',
    arrange: (j) => void (j.runner.env.AWS_ENDPOINT_URL_STS += '/sts'),
    why: 'AWS_ENDPOINT_URL_STS is not a bare origin',
  },
  {
    name: 'a FIPS registry',
    arrange: (j) => void delete j.runner.env.AWS_ENDPOINT_URL_ECR,
    inputs: {
      'role-to-assume': ROLE,
      registry: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/ecr-public',
    },
    why: 'the registry names a FIPS or dual-stack endpoint',
  },
];

describe('the SDK, for every other case', () => {
  test.each(BRANCHES)('$name', async (b) => {
    const j = await setupJob();
    b.arrange(j);
    const run = await runMainFor(j, b.inputs ?? { 'role-to-assume': ROLE });
    expect(run.runtime.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(j.sdk.loads).toBe(1);
    const [line] = debugLines(run.runtime.log);
    expect(line).toMatch(/^::debug::ECR (Public|in us-east-1): the AWS SDK \(/);
    expect(line).toContain(b.why);
    // The fake SDK answered: nothing reached the wire.
    expect([...j.sdk.ecrCalls, ...j.sdk.privateEcrCalls].every((c) => c.requestHandler)).toBe(true);
  });
});

interface Story {
  name: string;
  inputs?: Record<string, string>;
  arrange?: (sdk: FakeAwsSdk) => void;
}

const STORIES: Story[] = [
  { name: 'the happy path' },
  { name: 'STS AccessDenied', arrange: (s) => void (s.sts = [stsError.accessDenied()]) },
  {
    name: 'STS InvalidIdentityToken: the audience',
    arrange: (s) => void (s.sts = [stsError.invalidAudience()]),
  },
  {
    name: 'STS ExpiredTokenException',
    arrange: (s) =>
      void (s.sts = [
        sdkError(
          'ExpiredTokenException',
          'Token expired: current date/time 1 must be before the expiration date/time0',
        ),
      ]),
  },
  {
    name: 'STS Throttling, retried',
    arrange: (s) => void (s.sts = [stsError.throttling(), stsError.throttling()]),
  },
  {
    name: 'STS IDPCommunicationError, retried',
    arrange: (s) =>
      void (s.sts = [
        sdkError('IDPCommunicationError', 'The identity provider could not be reached'),
      ]),
  },
  {
    name: 'STS InvalidIdentityToken: the key fetch, retried',
    arrange: (s) => void (s.sts = [stsError.idpCommunication()]),
  },
  {
    name: 'STS unavailable on every attempt',
    inputs: { 'retry-max-attempts': '2' },
    arrange: (s) =>
      void (s.sts = [1, 2].map(() =>
        sdkError('ServiceUnavailable', 'Service is unable to handle request.', 503),
      )),
  },
  {
    name: 'ECR Public AccessDeniedException',
    arrange: (s) => void (s.ecr = [ecrError.accessDenied()]),
  },
  {
    name: 'ECR Public ThrottlingException, retried',
    arrange: (s) => void (s.ecr = [ecrError.throttling()]),
  },
  {
    name: 'ECR Public unavailable on every attempt',
    inputs: { 'retry-max-attempts': '2' },
    arrange: (s) => void (s.ecr = [ecrError.unavailable(), ecrError.unavailable()]),
  },
  {
    name: 'ECR rejects the session as unknown (a pull-through cache)',
    inputs: { registry: `${HOST}/ecr-public` },
    arrange: (s) =>
      void (s.privateEcr = [
        sdkError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          403,
        ),
      ]),
  },
];

/** One run of a story, on the step's own requests or (with a config file) the real SDK. */
async function tell(story: Story, path: 'direct' | 'sdk') {
  const j = await setupJob({ realSdk: path === 'sdk' });
  if (path === 'sdk') withConfigFile(j);
  story.arrange?.(j.sdk);
  const inputs = { 'role-to-assume': ROLE, ...story.inputs };
  // The real SDK reads process.env (endpoints, HOME): the job's, for the run.
  const run = await withProcessEnv({ ...process.env, ...j.runner.env }, () =>
    runMainFor(j, inputs),
  );
  const normal = (line: string) => line.replace(/retrying in \d+ ms/, 'retrying in … ms');
  const log = run.runtime.log.filter(
    (l) => !l.startsWith('::add-mask::') && !l.startsWith('::debug::'),
  );
  return {
    j,
    run,
    told: {
      code: run.code,
      errors: run.runtime.errors,
      warnings: run.runtime.warnings,
      log: log.map(normal),
      outputs: {
        ...run.runtime.outputs,
        'expires-at': run.runtime.outputs['expires-at'] ? 'set' : '',
      },
      asked: {
        sts: j.sdk.webTokenCalls.length,
        ecr: j.sdk.ecrCalls.length + j.sdk.privateEcrCalls.length,
      },
    },
  };
}

describe('one story, whoever makes the AWS calls (the step or the real SDK)', () => {
  test.each(STORIES)('$name', async (story) => {
    const direct = await tell(story, 'direct');
    const sdk = await tell(story, 'sdk');
    expect(direct.j.sdk.loads).toBe(0);
    expect(sdk.j.sdk.loads).toBe(1);
    expect(direct.told).toEqual(sdk.told);
    // No secret the script handed out shows anywhere (the masks aside).
    for (const { j, run } of [direct, sdk]) {
      const shown = [
        ...run.runtime.log.filter((l) => !l.startsWith('::add-mask::')),
        ...Object.values(run.runtime.outputs),
      ].join('\n');
      for (const secret of [...j.sdk.secrets(), ...j.runner.oidc.issued])
        expect(shown).not.toContain(secret);
    }
  });
});
