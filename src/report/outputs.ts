// The step's outputs, computed from what was logged in: the targets say their own library prefix.
import type { PullLimitReport } from '../hub/pull-limit.js';
import { buildkitdConfig } from '../images/buildkit.js';
import type { OutputName } from '../runner/action-inputs.js';
import type { LoginTarget } from '../targets/target.js';

/** One value for every output of action.yml. */
export type Outputs = Record<OutputName, string>;

type Target = Pick<LoginTarget, 'host' | 'libraryPrefix'>;

export function computeOutputs(r: {
  /** The registry logged in to with AWS (the `registry` input). */
  target: Target;
  /** The fallback target, when there is one. */
  fallback?: Target;
  loggedIn: string[];
  /** When the target's password expires. */
  expiresAt?: Date;
  fallbackUsed: boolean;
  /** Engine → what the `mirror` input configured (docker: the job-scoped mirror's URL). */
  mirrors?: Partial<Record<string, string>>;
  /** The clients on the runner the logins serve. */
  clients?: string[];
}): Outputs {
  const targetIn = r.loggedIn.includes(r.target.host);
  const fallbackIn = r.fallback !== undefined && r.loggedIn.includes(r.fallback.host);
  const main = targetIn ? r.target : fallbackIn ? r.fallback : undefined;
  const prefix = main?.libraryPrefix ?? '';
  return {
    registry: main?.host ?? '',
    'library-prefix': prefix,
    'fallback-used': String(r.fallbackUsed),
    registries: r.loggedIn.join(','),
    'expires-at': targetIn ? (r.expiresAt?.toISOString() ?? '') : '',
    'docker-mirror': r.mirrors?.docker ?? '',
    mirrors: JSON.stringify(r.mirrors ?? {}),
    'buildkitd-config-file': r.mirrors?.buildkit ?? '',
    clients: JSON.stringify(r.loggedIn.length ? (r.clients ?? []) : []),
    // Filled in by the image resolution when `images` or `rewrite` is set.
    images: '{}',
    'images-not-mirrored': '[]',
    'rewritten-files': '[]',
    'buildkitd-config': buildkitdConfig(prefix),
    // Filled in by the pull-limit check when `docker-hub-limit` is on.
    'docker-hub-pulls-remaining': '',
  };
}

/** The `docker-hub-pulls-remaining` output: the account's when it pulls, else the runner's. */
export function pullsRemaining(report: PullLimitReport | undefined): string {
  if (!report) return '';
  const limit = report.account ? report.account.limit : report.anonymous;
  return limit?.remaining === undefined ? '' : String(limit.remaining);
}
