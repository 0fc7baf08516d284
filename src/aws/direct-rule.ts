// Whether the step makes its two AWS calls (STS AssumeRoleWithWebIdentity, then the target's
// GetAuthorizationToken) with its own small requests (aws/direct-calls) or through the AWS SDK,
// and which endpoints the SDK would call (preconnected on either path).
//
// The rule. Our own requests only when the SDK would provably send the same ones to the same
// endpoints, that is when all of these hold:
//   1. `role-to-assume` is set (without it the SDK's default credential chain finds credentials);
//   2. no shared AWS config or credentials file: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
//      unset and no ~/.aws/config or ~/.aws/credentials (home found as the SDK finds it). A profile
//      there can set endpoint_url, services, use_fips_endpoint, use_dualstack_endpoint, ...;
//   3. AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT and AWS_STS_REGIONAL_ENDPOINTS unset, and
//      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS unset, `true` or `false` (the SDK refuses other values);
//   4. STS's region (AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1) is in the standard `aws`
//      partition (its region pattern in the SDK's partition data: regions.ts);
//   5. the target is ECR Public, or an ECR registry in its plain form (not FIPS, not dual-stack)
//      in a region of the `aws` partition;
//   6. every endpoint override the SDK would honour (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_ECR_PUBLIC
//      or AWS_ENDPOINT_URL_ECR, else AWS_ENDPOINT_URL; none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
//      is `true`) is a bare origin, http(s)://host[:port].
// Then STS is https://sts.<region>.amazonaws.com, ECR Public https://api.ecr-public.us-east-1.amazonaws.com
// and ECR https://api.ecr.<region>.amazonaws.com, unless overridden. Anything else: the SDK.
// __tests__/unit/aws/direct-rule.test.ts checks these endpoints, and the requests, against the SDK's.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { ECR_PUBLIC_REGION } from './authorization-token.js';
import { AWS_PARTITION_REGION, REGION_DNS, REGION_PATTERNS } from './regions.js';
import type { TokenSource } from './token-source.js';

type Env = Record<string, string | undefined>;

/** The origins the SDK will call, as far as they can be told (preconnected on either path). */
export interface AwsEndpoints {
  sts?: string;
  registry?: string;
}

export type AwsRoute =
  | { direct: true; why: string; sts: string; registry: string }
  | { direct: false; why: string; endpoints: AwsEndpoints };

export interface RouteQuestion {
  env: Env;
  roleToAssume: boolean;
  endpoint: TokenSource['endpoint'];
  /** Whether a file exists (the shared AWS files); default node's existsSync. */
  exists?: (path: string) => boolean;
}

/** The region STS is called in: the SDK's default for a web identity, given explicitly on both paths. */
export const stsRegion = (env: Env): string =>
  env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';

/** The rule above, with the reason for the path taken (for the debug log). */
export function awsRoute(q: RouteQuestion): AwsRoute {
  const { env, endpoint } = q;
  const region = stsRegion(env);
  const sdkSetting = sdkSettingIn(env, q.exists ?? existsSync);
  const endpoints = sdkSetting ? overridesOnly(env, endpoint) : awsEndpoints(env, region, endpoint);
  const sdk = (why: string): AwsRoute => ({ direct: false, why, endpoints });
  if (!q.roleToAssume) return sdk("no `role-to-assume`: the SDK's default credential chain");
  if (sdkSetting) return sdk(sdkSetting);
  if (!AWS_PARTITION_REGION.test(region))
    return sdk(`STS region ${region} is outside the aws partition`);
  if (endpoint.kind === 'ecr') {
    if (endpoint.fips || endpoint.dualStack)
      return sdk('the registry names a FIPS or dual-stack endpoint');
    if (!AWS_PARTITION_REGION.test(endpoint.region)) {
      return sdk(`the registry's region ${endpoint.region} is outside the aws partition`);
    }
  }
  const sts = bareOrigin(endpoints.sts);
  const registry = bareOrigin(endpoints.registry);
  if (!sts || !registry) {
    const name = sts ? overrideName(env, serviceId(endpoint)) : overrideName(env, 'STS');
    return sdk(`${name} is not a bare origin (http(s)://host[:port])`);
  }
  const ids: ServiceId[] = ['STS', serviceId(endpoint)];
  const named = ids.filter((id) => override(env, id)).map((id) => overrideName(env, id));
  const notes = [...new Set(named)].join(', ');
  return {
    direct: true,
    why: notes ? `endpoints from ${notes}` : 'the default endpoints',
    sts,
    registry,
  };
}

/** A setting the SDK reads that can change its endpoints or fail it; undefined when none. */
function sdkSettingIn(env: Env, exists: (path: string) => boolean): string | undefined {
  const names = [
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_USE_FIPS_ENDPOINT',
    'AWS_USE_DUALSTACK_ENDPOINT',
    'AWS_STS_REGIONAL_ENDPOINTS',
  ];
  const set = names.find((name) => env[name] !== undefined);
  if (set) return `${set} is set`;
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  if (ignore !== undefined && ignore !== 'true' && ignore !== 'false') {
    return 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is neither true nor false';
  }
  const files = ['config', 'credentials'].map((file) => join(sdkHome(env), '.aws', file));
  const found = files.find((file) => exists(file));
  return found ? `${found} exists` : undefined;
}

/** The home folder as the SDK's shared-ini-file-loader finds it. */
function sdkHome(env: Env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${sep}`}${env.HOMEPATH}`;
  return homedir();
}

type ServiceId = 'STS' | 'ECR_PUBLIC' | 'ECR';
const serviceId = (endpoint: TokenSource['endpoint']): ServiceId =>
  endpoint.kind === 'ecr-public' ? 'ECR_PUBLIC' : 'ECR';

/** The variable the SDK takes a service's endpoint from: its own, else AWS_ENDPOINT_URL. */
const overrideName = (env: Env, id: ServiceId): string =>
  env[`AWS_ENDPOINT_URL_${id}`] ? `AWS_ENDPOINT_URL_${id}` : 'AWS_ENDPOINT_URL';

/** The override the SDK honours for a service (from the environment), if any. */
function override(env: Env, id: ServiceId): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${id}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** The endpoints the SDK resolves with nothing but the environment to go on. */
export function awsEndpoints(
  env: Env,
  region: string,
  endpoint: TokenSource['endpoint'],
): AwsEndpoints {
  const registry =
    endpoint.kind === 'ecr-public'
      ? regional('api.ecr-public', ECR_PUBLIC_REGION)
      : !endpoint.fips && !endpoint.dualStack
        ? regional('api.ecr', endpoint.region)
        : undefined;
  return {
    sts: override(env, 'STS') ?? regional('sts', region),
    registry: override(env, serviceId(endpoint)) ?? registry,
  };
}

/** Only what the environment names: other settings may change the SDK's defaults. */
const overridesOnly = (env: Env, endpoint: TokenSource['endpoint']): AwsEndpoints => ({
  sts: override(env, 'STS'),
  registry: override(env, serviceId(endpoint)),
});

/** https://<service>.<region>.<the region's partition DNS suffix>; undefined for an unknown form. */
function regional(service: string, region: string): string | undefined {
  const dns = REGION_DNS[region] ?? REGION_PATTERNS.find(([pattern]) => pattern.test(region))?.[1];
  return dns ? `https://${service}.${region}.${dns}` : undefined;
}

/** `value` when it is exactly http(s)://host[:port] (a trailing slash allowed), else undefined. */
function bareOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    const origin = value.replace(/\/$/, '');
    return /^https?:$/.test(url.protocol) && url.origin === origin ? origin : undefined;
  } catch {
    return undefined;
  }
}
