// Where the step logs in with AWS (the `registry` and `registry-upstream` inputs): ECR Public, or
// an ECR private registry whose pull-through cache serves the official images. The target decides
// the host docker logs in to and which GetAuthorizationToken gives its password.
import { ECR_PUBLIC_REGISTRY, type PullThroughCache } from '../docker/registries.js';
import { show, type InputReader } from '../runner/inputs.js';
import { REGION_DNS, REGION_PATTERNS } from './regions.js';

export interface EcrPublicTarget {
  kind: 'ecr-public';
  host: typeof ECR_PUBLIC_REGISTRY;
  /** How logs and errors name the registry. */
  label: string;
}

export interface EcrPrivateTarget {
  kind: 'ecr-private';
  host: string;
  label: string;
  account: string;
  region: string;
  /** The FIPS host form: the token comes from ECR's FIPS endpoint too. */
  fips: boolean;
  /** The dual-stack (IPv6) host form: the token comes from ECR's dual-stack endpoint too. */
  dualStack: boolean;
  cache: PullThroughCache;
}

export type LoginTarget = EcrPublicTarget | EcrPrivateTarget;

export const ECR_PUBLIC_TARGET: EcrPublicTarget = {
  kind: 'ecr-public',
  host: ECR_PUBLIC_REGISTRY,
  label: 'ECR Public',
};

const EXAMPLE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public';
// ECR's rule for a pull-through cache repository prefix (2-30 characters).
const NAMESPACE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// <account>.dkr.ecr[-fips].<region>.<dns suffix>, or dual-stack <account>.dkr-ecr[-fips].<region>.on.aws
const PRIVATE_HOST = /^([^.]*)\.(dkr\.ecr|dkr-ecr)(-fips)?\.([^.]+)\.(.+)$/;

/** Reads `registry` and `registry-upstream`; every problem goes to the reader's list. */
export function parseLoginTarget(r: InputReader): LoginTarget {
  const raw = r.read('registry');
  const upstream = r.choice('registry-upstream', ['ecr-public', 'docker-hub'] as const);
  const value = raw.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  const slash = value.indexOf('/');
  const host = (slash < 0 ? value : value.slice(0, slash)).toLowerCase();
  // Without a namespace: the rule's usual prefix, the upstream's name (as iam/ creates it).
  const namespace = slash < 0 ? upstream : value.slice(slash + 1);
  if (host === ECR_PUBLIC_REGISTRY) {
    if (slash >= 0)
      r.problems.push(`'registry' ${ECR_PUBLIC_REGISTRY} takes no namespace: got ${show(raw)}`);
    if (upstream === 'docker-hub') {
      r.problems.push(
        `'registry-upstream: docker-hub' is for an ECR private registry's pull-through cache; ${ECR_PUBLIC_REGISTRY} serves the official images itself`,
      );
    }
    return ECR_PUBLIC_TARGET;
  }
  const problem = privateHostProblem(host, r.notes) ?? namespaceProblem(namespace);
  if (problem) r.problems.push(`'registry' ${problem}: got ${show(raw)}`);
  const m = PRIVATE_HOST.exec(host) ?? [];
  return {
    kind: 'ecr-private',
    host,
    label: 'ECR pull-through cache',
    account: m[1] ?? '',
    region: m[4] ?? '',
    fips: Boolean(m[3]),
    dualStack: m[2] === 'dkr-ecr',
    cache: { namespace, upstream },
  };
}

/** Why a host is not an ECR private registry host; region remarks go to `notes`. */
function privateHostProblem(host: string, notes: string[]): string | undefined {
  const m = PRIVATE_HOST.exec(host);
  if (!m) {
    return `must be ${ECR_PUBLIC_REGISTRY} or an ECR private registry with its pull-through cache namespace, such as ${EXAMPLE}`;
  }
  const [, account, form, , region, suffix] = m;
  if (!/^\d{12}$/.test(account)) return `must start with the registry's 12-digit AWS account ID`;
  const known = REGION_DNS[region];
  const dns = known ?? REGION_PATTERNS.find(([pattern]) => pattern.test(region))?.[1];
  if (!dns) return `names no AWS region (${show(region)})`;
  if (!known) {
    const near = nearRegion(region);
    if (near) return `names the region ${show(region)}; did you mean ${near}?`;
    notes.push(
      `'registry' names the region ${region}, which this action's AWS SDK does not know yet; if it is mistyped, the login will fail.`,
    );
  }
  const expected = form === 'dkr-ecr' ? (dns === 'amazonaws.com' ? 'on.aws' : '') : dns;
  if (suffix !== expected) {
    return expected
      ? `must end in .${expected} for the region ${region}`
      : `has no dual-stack form in the region ${region}`;
  }
  return undefined;
}

function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length >= 2 && namespace.length <= 30 && NAMESPACE.test(namespace))
    return undefined;
  return `has an invalid pull-through cache namespace ${show(namespace)} (2-30 characters: lower-case letters, digits and . _ - /, as ECR allows)`;
}

/**
 * A known region the unknown one looks like a typo of: its area (the part before the number) is
 * unknown but close to a known one. A known area with a new number may be a new region.
 */
function nearRegion(region: string): string | undefined {
  const area = (name: string) => name.replace(/\d+$/, '');
  const names = Object.keys(REGION_DNS);
  if (names.some((name) => area(name) === area(region))) return undefined;
  const near = names.filter((name) => editDistance(area(name), area(region)) <= 2);
  return near.find((name) => name.endsWith(region.slice(area(region).length))) ?? near[0];
}

/** Levenshtein distance, for "did you mean" on a mistyped region. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
