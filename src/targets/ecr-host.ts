// The parts of an ECR private registry's host and cache namespace, checked as ECR checks them:
// <account>.dkr.ecr[-fips].<region>.<dns suffix>, or dual-stack <account>.dkr-ecr[-fips].<region>.on.aws.
import { show } from '../common/text.js';
import { ECR_PUBLIC_REGISTRY } from '../registry/names.js';
import { REGION_DNS, REGION_PATTERNS } from '../aws/regions.js';

export const EXAMPLE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public';
// ECR's rule for a pull-through cache repository prefix (2-30 characters).
const NAMESPACE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const PRIVATE_HOST = /^([^.]*)\.(dkr\.ecr|dkr-ecr)(-fips)?\.([^.]+)\.(.+)$/;

/** Whether a host is an ECR private registry's (any region, any form). */
export const isEcrPrivateHost = (host: string): boolean => /\.dkr[.-]ecr(-fips)?\./.test(host);

/** Why a host is not an ECR private registry host; region remarks go to `notes`. */
export function privateHostProblem(host: string, notes: string[]): string | undefined {
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

export function namespaceProblem(namespace: string): string | undefined {
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
