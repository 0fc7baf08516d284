// The rule that sends the AWS calls as our own requests, branch by branch; then the proof that
// where it says "direct" the real SDK (run in process, its requests caught before they leave)
// calls the same endpoints with the same requests: endpoint, body, target and signing scope.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { awsEndpoints, awsRoute, type RouteQuestion } from '../../../src/aws/direct-rule.js';
import { REGION_DNS } from '../../../src/aws/regions.js';
import { assumeRoleRequest } from '../../../src/aws/sts-request.js';
import { tokenRequest } from '../../../src/aws/token-request.js';
import type { TokenSource } from '../../../src/aws/token-source.js';
import {
  originOf,
  sdkStsRequest,
  sdkTokenRequest,
  withProcessEnv,
  type CaughtRequest,
} from '../../fixtures/sdk-capture.js';

type Endpoint = TokenSource['endpoint'];
type Env = Record<string, string | undefined>;

const PUBLIC: Endpoint = { kind: 'ecr-public' };
const ecr = (region: string, form: { fips?: boolean; dualStack?: boolean } = {}): Endpoint => ({
  kind: 'ecr',
  region,
  fips: form.fips ?? false,
  dualStack: form.dualStack ?? false,
});
/** A home with no .aws folder, for the SDK (which reads HOME) and the rule alike. */
const HOME = mkdtempSync(join(tmpdir(), 'direct-rule-home-'));
const nothingExists = () => false;

const route = (env: Env, endpoint: Endpoint = PUBLIC, extra: Partial<RouteQuestion> = {}) =>
  awsRoute({
    env: { HOME, ...env },
    roleToAssume: true,
    endpoint,
    exists: nothingExists,
    ...extra,
  });

interface DirectCase {
  name: string;
  env: Env;
  endpoint?: Endpoint;
  sts: string;
  registry: string;
}

const DIRECT: DirectCase[] = [
  {
    name: 'ECR Public, no region set',
    env: {},
    sts: 'https://sts.us-east-1.amazonaws.com',
    registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
  },
  {
    name: 'AWS_REGION',
    env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' },
    sts: 'https://sts.eu-west-1.amazonaws.com',
    registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
  },
  {
    name: 'AWS_DEFAULT_REGION',
    env: { AWS_DEFAULT_REGION: 'ap-southeast-7' },
    sts: 'https://sts.ap-southeast-7.amazonaws.com',
    registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
  },
  {
    name: 'a region newer than the SDK, by the partition pattern',
    env: { AWS_REGION: 'eu-north-9' },
    sts: 'https://sts.eu-north-9.amazonaws.com',
    registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
  },
  {
    name: 'a pull-through cache in its plain form',
    env: { AWS_REGION: 'us-west-2' },
    endpoint: ecr('eu-central-1'),
    sts: 'https://sts.us-west-2.amazonaws.com',
    registry: 'https://api.ecr.eu-central-1.amazonaws.com',
  },
  {
    name: 'AWS_ENDPOINT_URL for both',
    env: { AWS_ENDPOINT_URL: 'https://vpce.example.com' },
    sts: 'https://vpce.example.com',
    registry: 'https://vpce.example.com',
  },
  {
    name: "the services' own overrides win (a trailing slash is the same origin)",
    env: {
      AWS_ENDPOINT_URL: 'https://all.example.com',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566/',
      AWS_ENDPOINT_URL_ECR_PUBLIC: 'https://[::1]:8443',
    },
    sts: 'http://127.0.0.1:4566',
    registry: 'https://[::1]:8443',
  },
  {
    name: 'ECR takes AWS_ENDPOINT_URL_ECR, not ECR Public’s',
    env: {
      AWS_ENDPOINT_URL_ECR_PUBLIC: 'https://public.example.com',
      AWS_ENDPOINT_URL_ECR: 'https://ecr.example.com:444',
    },
    endpoint: ecr('eu-west-1'),
    sts: 'https://sts.us-east-1.amazonaws.com',
    registry: 'https://ecr.example.com:444',
  },
  {
    name: 'an empty service override falls back to AWS_ENDPOINT_URL',
    env: { AWS_ENDPOINT_URL_STS: '', AWS_ENDPOINT_URL: 'http://localhost:9000' },
    sts: 'http://localhost:9000',
    registry: 'http://localhost:9000',
  },
  {
    name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: the defaults',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'https://x.example.com' },
    sts: 'https://sts.us-east-1.amazonaws.com',
    registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
  },
  {
    name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false: the overrides',
    env: {
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
      AWS_ENDPOINT_URL: 'https://x.example.com',
    },
    sts: 'https://x.example.com',
    registry: 'https://x.example.com',
  },
];

describe('direct: our own requests, on these endpoints', () => {
  test.each(DIRECT)('$name', ({ env, endpoint, sts, registry }) => {
    expect(route(env, endpoint)).toMatchObject({ direct: true, sts, registry });
  });

  test('the debug line says which endpoints came from where', () => {
    expect(route({}).why).toBe('the default endpoints');
    expect(route({ AWS_ENDPOINT_URL: 'https://x.example.com' }).why).toBe(
      'endpoints from AWS_ENDPOINT_URL',
    );
    const both = {
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL: 'https://x.example.com',
    };
    expect(route(both).why).toBe('endpoints from AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL');
    const ignored = { ...both, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(route(ignored).why).toBe('the default endpoints');
  });
});

const SDK: [string, Env, Endpoint?, Partial<RouteQuestion>?][] = [
  ['no `role-to-assume`', {}, PUBLIC, { roleToAssume: false }],
  ['AWS_CONFIG_FILE is set', { AWS_CONFIG_FILE: '/nowhere/config' }],
  ['AWS_SHARED_CREDENTIALS_FILE is set', { AWS_SHARED_CREDENTIALS_FILE: '/nowhere/credentials' }],
  [`${HOME}/.aws/config exists`, {}, PUBLIC, { exists: (p) => p === `${HOME}/.aws/config` }],
  [
    '/home/u/.aws/credentials exists',
    { HOME: undefined, USERPROFILE: '/home/u' },
    PUBLIC,
    { exists: (p) => p === '/home/u/.aws/credentials' },
  ],
  ['AWS_USE_FIPS_ENDPOINT is set', { AWS_USE_FIPS_ENDPOINT: 'false' }],
  ['AWS_USE_DUALSTACK_ENDPOINT is set', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['AWS_STS_REGIONAL_ENDPOINTS is set', { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }],
  ['neither true nor false', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'yes' }],
  ['cn-north-1 is outside the aws partition', { AWS_REGION: 'cn-north-1' }],
  ['us-gov-west-1 is outside the aws partition', { AWS_REGION: 'us-gov-west-1' }],
  ['eu-west-1a is outside the aws partition', { AWS_REGION: 'eu-west-1a' }],
  ['aws-global is outside the aws partition', { AWS_REGION: 'aws-global' }],
  ['FIPS or dual-stack', {}, ecr('us-east-1', { fips: true })],
  ['FIPS or dual-stack', {}, ecr('eu-west-1', { dualStack: true })],
  ['region cn-northwest-1 is outside the aws partition', {}, ecr('cn-northwest-1')],
  ['AWS_ENDPOINT_URL_STS is not a bare origin', { AWS_ENDPOINT_URL_STS: 'https://h.example/sts' }],
  ['AWS_ENDPOINT_URL is not a bare origin', { AWS_ENDPOINT_URL: 'https://u:p@h.example' }],
  ['AWS_ENDPOINT_URL is not a bare origin', { AWS_ENDPOINT_URL: 'https://h.example:443' }],
  ['AWS_ENDPOINT_URL_ECR_PUBLIC is not a bare origin', { AWS_ENDPOINT_URL_ECR_PUBLIC: 'ftp://h' }],
  [
    'AWS_ENDPOINT_URL_ECR is not a bare origin',
    { AWS_ENDPOINT_URL_ECR: 'h.example' },
    ecr('eu-west-1'),
  ],
];

describe('the SDK, as before', () => {
  test.each(SDK)('%s', (why, env, endpoint = PUBLIC, extra = {}) => {
    const r = route(env, endpoint, extra);
    expect(r.direct).toBe(false);
    expect(r.why).toContain(why);
  });

  test('the endpoints it will call are still told for the early connections', () => {
    const r = route({ AWS_REGION: 'cn-north-1' });
    expect(r).toMatchObject({
      direct: false,
      endpoints: {
        sts: 'https://sts.cn-north-1.amazonaws.com.cn',
        registry: 'https://api.ecr-public.us-east-1.amazonaws.com',
      },
    });
    // With a setting that can move them, only what the environment names.
    const fips = route({ AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_STS: 'https://s.x' });
    expect(fips).toMatchObject({ endpoints: { sts: 'https://s.x', registry: undefined } });
  });
});

describe('the same endpoints as the SDK', () => {
  const regions = Object.keys(REGION_DNS);

  test.each(regions)('STS and ECR in %s', async (region) => {
    const sts = await withProcessEnv({ HOME }, () =>
      sdkStsRequest(region, {
        roleArn: ROLE,
        roleSessionName: 'ci',
        webIdentityToken: 'a.b.c',
        durationSeconds: 900,
      }),
    );
    const token = await withProcessEnv({ HOME }, () => sdkTokenRequest('ecr', region));
    const ours = awsEndpoints({}, region, ecr(region));
    expect(ours).toEqual({ sts: originOf(sts), registry: originOf(token) });
  });

  test.each(DIRECT)(
    'where the rule says direct: $name',
    async ({ env, endpoint = PUBLIC, sts, registry }) => {
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
      const sdkEnv = { HOME, ...env };
      const sdkSts = await withProcessEnv(sdkEnv, () =>
        sdkStsRequest(region, {
          roleArn: ROLE,
          roleSessionName: 'ci',
          webIdentityToken: 'a.b.c',
          durationSeconds: 900,
        }),
      );
      const sdkToken = await withProcessEnv(sdkEnv, () =>
        sdkTokenRequest(endpoint.kind, endpoint.kind === 'ecr' ? endpoint.region : 'us-east-1'),
      );
      expect([originOf(sdkSts), originOf(sdkToken)]).toEqual([sts, registry]);
    },
  );
});

const ROLE = 'arn:aws:iam::123456789012:role/ecr-public-pull';

/** The parts of a request a service reads: everything but the SDK's own bookkeeping headers. */
const wire = (r: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}) => {
  const skip = [
    'user-agent',
    'x-amz-user-agent',
    'amz-sdk-invocation-id',
    'amz-sdk-request',
    'authorization',
    'x-amz-date',
  ];
  const headers = Object.fromEntries(
    Object.entries(r.headers).filter(([k]) => !skip.includes(k.toLowerCase())),
  );
  const scope = /Credential=[^/]+\/\d{8}\/([^,]+)\/aws4_request/.exec(
    r.headers.authorization ?? '',
  )?.[1];
  return { method: r.method, path: r.path, headers, body: r.body, scope };
};
const ours = (r: { url: URL; headers: Record<string, string>; body: string }) =>
  wire({ method: 'POST', path: r.url.pathname, headers: r.headers, body: r.body });
const theirs = (r: CaughtRequest) => wire(r);

describe('the same requests as the SDK', () => {
  test.each([
    ['a plain role', ROLE, 'GitHubActions', 3600],
    [
      'a role with a path and every character IAM allows',
      'arn:aws:iam::123456789012:role/team/a+b=c,d.e@f_g-h',
      'run-1.2@x=y,z+w_v',
      900,
    ],
  ])('AssumeRoleWithWebIdentity, %s', async (_, roleArn, roleSessionName, durationSeconds) => {
    const params = {
      roleArn,
      roleSessionName,
      durationSeconds,
      webIdentityToken: 'eyJh.eyJz.c2ln-_',
    };
    const sdk = await withProcessEnv({ HOME }, () => sdkStsRequest('eu-west-1', params));
    const request = assumeRoleRequest('https://sts.eu-west-1.amazonaws.com', params);
    // STS is unsigned: no scope on either side.
    expect(ours({ ...request, headers: { ...request.headers, host: request.url.host } })).toEqual(
      theirs(sdk),
    );
  });

  test.each([
    ['ecr-public', 'us-east-1', 'https://api.ecr-public.us-east-1.amazonaws.com'],
    ['ecr', 'eu-west-1', 'https://api.ecr.eu-west-1.amazonaws.com'],
  ] as const)('GetAuthorizationToken of %s in %s', async (kind, region, origin) => {
    const keys = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' };
    const sdk = await withProcessEnv({ HOME }, () => sdkTokenRequest(kind, region, keys));
    const request = tokenRequest({ origin, kind, region, service: kind, keys }, new Date());
    expect(ours(request)).toEqual(theirs(sdk));
  });
});
