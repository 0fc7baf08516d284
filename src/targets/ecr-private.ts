// An ECR private registry's pull-through cache (`registry: <account>.dkr.ecr.<region>.amazonaws.com/<namespace>`):
// the password from ECR's GetAuthorizationToken in the registry's region, on the endpoint its
// host form implies (FIPS, dual-stack).
import { awsRegistryPassword, type TokenSource } from '../aws/registry-password.js';
import { show } from '../common/text.js';
import { libraryPrefix, type PullThroughCache } from '../registry/names.js';
import type { InputReader } from '../runner/input-reader.js';
import { namespaceProblem, privateHostProblem, PRIVATE_HOST } from './ecr-host.js';
import type { LoginTarget } from './target.js';

interface EcrRegistry {
  host: string;
  account: string;
  region: string;
  fips: boolean;
  dualStack: boolean;
  cache: PullThroughCache;
}

/** `registry` names an ECR private host: check it, and its namespace, as ECR would. */
export function parseEcrPrivate(
  inputs: InputReader,
  raw: string,
  upstream: PullThroughCache['upstream'],
): LoginTarget {
  const value = raw.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  const slash = value.indexOf('/');
  const host = (slash < 0 ? value : value.slice(0, slash)).toLowerCase();
  // Without a namespace: the rule's usual prefix, the upstream's name (as iam/ creates it).
  const namespace = slash < 0 ? upstream : value.slice(slash + 1);
  const problem = privateHostProblem(host, inputs.notes) ?? namespaceProblem(namespace);
  if (problem) inputs.problems.push(`'registry' ${problem}: got ${show(raw)}`);
  const m = PRIVATE_HOST.exec(host) ?? [];
  return ecrPrivateTarget({
    host,
    account: m[1] ?? '',
    region: m[4] ?? '',
    fips: Boolean(m[3]),
    dualStack: m[2] === 'dkr-ecr',
    cache: { namespace, upstream },
  });
}

export function ecrPrivateTarget(registry: EcrRegistry): LoginTarget {
  const source = tokenSource(registry);
  return {
    ...registry,
    kind: 'ecr-private',
    host: registry.host,
    label: 'ECR pull-through cache',
    libraryPrefix: libraryPrefix(registry),
    cache: registry.cache,
    usesAws: true,
    credential: (deps) => awsRegistryPassword(source, deps),
    refusedFix:
      "The ECR token was refused; retry the job. A token opens only the registry of the role's account and the region it was asked in: check the `registry` input.",
  };
}

export function tokenSource(registry: EcrRegistry): TokenSource {
  const { host, region, account, cache } = registry;
  const repositories = `arn:aws:ecr:${region}:${account}:repository/${cache.namespace}/*`;
  return {
    service: `ECR in ${region}`,
    endpoint: { kind: 'ecr', region, fips: registry.fips, dualStack: registry.dualStack },
    accessFix: `Allow "ecr:GetAuthorizationToken" on "*" in the role's permission policy; pulls through the cache also need "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage" and "ecr:CreateRepository" on "${repositories}" (see the README).`,
    // An opt-in region that is not enabled rejects every credential as unknown.
    rejectedFix: `If ${region} (the region in the \`registry\` input, ${host}) is an opt-in region, enable it for the account (AWS console: Account, AWS Regions) or use the registry of an enabled region. Otherwise, `,
    unresolvedFix: `No ECR endpoint answers for the region ${region} from this runner: check the region in the \`registry\` input (${host}), and on a private network the ECR API VPC endpoint's private DNS (or set AWS_ENDPOINT_URL_ECR).`,
  };
}
