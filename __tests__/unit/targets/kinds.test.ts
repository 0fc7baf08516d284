import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { MODULE_PATH, renderAwsRegions } from '../../../scripts/aws-regions.mjs';
import { InputError } from '../../../src/common/errors.js';
import { libraryPrefix } from '../../../src/registry/names.js';
import { parseSettings, type Settings } from '../../../src/settings.js';
import type { LoginTarget } from '../../../src/targets/target.js';

const parse = (values: Record<string, string>): Settings =>
  parseSettings((name) => values[name] ?? '');

/** The one problem parseSettings reports for this `registry` value. */
function problem(registry: string, upstream = ''): string {
  try {
    parse({ registry, 'registry-upstream': upstream });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const { problems } = error as InputError;
    expect(problems).toHaveLength(1);
    return problems[0];
  }
  throw new Error(`parseSettings accepted registry ${JSON.stringify(registry)}`);
}

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('registry: the hosts and namespaces accepted', () => {
  test.each<[string, string, Record<string, unknown>]>([
    ['', 'public.ecr.aws/docker/library', { kind: 'ecr-public', host: 'public.ecr.aws' }],
    ['public.ecr.aws', 'public.ecr.aws/docker/library', { kind: 'ecr-public' }],
    [
      HOST,
      `${HOST}/ecr-public/docker/library`,
      { kind: 'ecr-private', host: HOST, account: '123456789012', region: 'eu-west-1' },
    ],
    [`https://${HOST}/ecr-public/`, `${HOST}/ecr-public/docker/library`, { host: HOST }],
    [`${HOST}/team/cache.v2`, `${HOST}/team/cache.v2/docker/library`, { fips: false }],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/ecr-public/docker/library',
      { fips: true, dualStack: false, region: 'us-gov-west-1' },
    ],
    [
      '123456789012.dkr-ecr.ap-northeast-1.on.aws/ecr-public',
      '123456789012.dkr-ecr.ap-northeast-1.on.aws/ecr-public/docker/library',
      { fips: false, dualStack: true, region: 'ap-northeast-1' },
    ],
    [
      '123456789012.dkr-ecr-fips.us-east-2.on.aws',
      '123456789012.dkr-ecr-fips.us-east-2.on.aws/ecr-public/docker/library',
      { fips: true, dualStack: true },
    ],
    [
      '123456789012.DKR.ECR.cn-north-1.amazonaws.com.cn/ecr-public',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/ecr-public/docker/library',
      { region: 'cn-north-1' },
    ],
  ])('%j → library prefix %s', (registry, prefix, fields) => {
    const { target } = parse({ registry });
    expect(target).toMatchObject(fields);
    expect(libraryPrefix(target)).toBe(prefix);
  });

  test('a Docker Hub upstream keeps official images at <namespace>/library', () => {
    const { target } = parse({ registry: `${HOST}/hub`, 'registry-upstream': 'docker-hub' });
    expect(libraryPrefix(target)).toBe(`${HOST}/hub/library`);
  });

  test('without a namespace, the upstream names it (the rule prefix iam/ creates)', () => {
    const { target } = parse({ registry: HOST, 'registry-upstream': 'docker-hub' });
    expect(libraryPrefix(target)).toBe(`${HOST}/docker-hub/library`);
  });

  test('a region newer than the SDK is accepted with a warning', () => {
    const settings = parse({ registry: '123456789012.dkr.ecr.eu-north-9.amazonaws.com' });
    expect(settings.target).toMatchObject({ region: 'eu-north-9' });
    expect(settings.notes).toEqual([
      expect.stringContaining('names the region eu-north-9, which this action'),
    ]);
  });
});

describe('registry: what is refused, and why', () => {
  test.each<[string, string]>([
    ['ghcr.io', `'registry' must be public.ecr.aws or an ECR private registry`],
    ['12345678901.dkr.ecr.us-east-1.amazonaws.com', '12-digit AWS account ID'],
    ['1234567890123.dkr.ecr.us-east-1.amazonaws.com', '12-digit AWS account ID'],
    ['123456789012.dkr.ecr.us-esat-1.amazonaws.com', 'did you mean us-east-1?'],
    ['123456789012.dkr.ecr.mars-1.amazonaws.com', 'names no AWS region ("mars-1")'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.cn', 'must end in .amazonaws.com for'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com', 'must end in .amazonaws.com.cn for'],
    ['123456789012.dkr-ecr.eu-west-1.amazonaws.com', 'must end in .on.aws for'],
    ['123456789012.dkr-ecr.cn-north-1.on.aws', 'has no dual-stack form in the region cn-north-1'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com:443', 'must end in .amazonaws.com for'],
    ['123456789012.dkr.ecr.eu-wset-2.amazonaws.com', 'did you mean eu-west-2?'],
    [`${HOST}/Upper`, 'invalid pull-through cache namespace "Upper"'],
    [`${HOST}/a`, 'invalid pull-through cache namespace "a"'],
    [`${HOST}/${'x'.repeat(31)}`, 'invalid pull-through cache namespace'],
    [`${HOST}/team//cache`, 'invalid pull-through cache namespace'],
    [`${HOST}/-cache`, 'invalid pull-through cache namespace'],
    ['public.ecr.aws/docker', 'public.ecr.aws takes no namespace'],
  ])('%j: %s', (registry, expected) => {
    expect(problem(registry)).toContain(expected);
  });

  test('registry-upstream is ecr-public or docker-hub, and only for a cache', () => {
    expect(problem(HOST, 'quay')).toContain(
      `'registry-upstream' must be one of ecr-public, docker-hub: got "quay"`,
    );
    expect(problem('public.ecr.aws', 'docker-hub')).toContain(
      "is for an ECR private registry's pull-through cache",
    );
  });
});

test('the region table is up to date with the SDK (run `npm run build`)', async () => {
  expect(readFileSync(MODULE_PATH, 'utf8')).toBe(await renderAwsRegions());
});

describe('what each target says when its registry refuses the credential', () => {
  const fallback = (registry: string) =>
    parse({ 'fallback-registry': registry, 'fallback-username': 'octo-org', 'fallback-token': 't' })
      .fallback?.target;

  test.each<[string, () => LoginTarget | undefined, RegExp, RegExp]>([
    ['ECR Public', () => parse({}).target, /ecr-public:GetAuthorizationToken/, /fallback/],
    [
      'a pull-through cache',
      () => parse({ registry: `${HOST}/cache` }).target,
      /`registry` input/,
      /fallback|ecr-public/,
    ],
    ['the Docker Hub fallback', () => fallback('docker.io'), /`fallback-token`/, /ecr-public/],
    ['a Harbor fallback', () => fallback('harbor.example.com'), /`fallback-username`/, /ECR/],
  ])('%s', (_name, target, says, never) => {
    expect(target()?.refusedFix).toMatch(says);
    expect(target()?.refusedFix).not.toMatch(never);
  });
});

describe('fallback-library-prefix', () => {
  test('is the library prefix of a fallback registry other than Docker Hub, without a trailing slash', () => {
    const { fallback } = parse({
      'fallback-registry': 'harbor.example.com:8443',
      'fallback-username': 'robot$ci',
      'fallback-token': 't',
      'fallback-library-prefix': 'harbor.example.com:8443/dockerhub/library/',
    });
    expect(fallback?.target.libraryPrefix).toBe('harbor.example.com:8443/dockerhub/library');
  });
});

test('fallback-library-prefix beside a Docker Hub fallback is ignored, with a warning', () => {
  const fallback = { 'fallback-username': 'org', 'fallback-token': 't' };
  const notes = (values: Record<string, string>) => parse({ ...fallback, ...values }).notes;
  const prefix = { 'fallback-library-prefix': 'harbor.example.com/dockerhub/library' };
  expect(notes(prefix)).toEqual([
    `'fallback-library-prefix' (harbor.example.com/dockerhub/library) is ignored: 'fallback-registry' is Docker Hub, where official images are docker.io/library. Set 'fallback-registry' to the registry that prefix is on, or remove 'fallback-library-prefix'.`,
  ]);
  expect(notes({ ...prefix, 'fallback-registry': 'index.docker.io' })).toHaveLength(1);
  expect(notes({ ...prefix, 'fallback-registry': 'harbor.example.com' })).toEqual([]);
  expect(notes({})).toEqual([]);
  expect(parse(prefix).notes).toEqual([]);
});
