// The login target kinds, as tables: the `registry` input is read by the first kind that claims
// its host, and the fallback inputs by the first fallback kind that finds what it needs. A new
// kind is a file in this folder and a row here.
import { ECR_PUBLIC_REGISTRY } from '../registry/names.js';
import type { InputReader } from '../runner/input-reader.js';
import { parseEcrPrivate } from './ecr-private.js';
import { parseEcrPublic } from './ecr-public.js';
import { parseDockerHubOidc } from './docker-hub-oidc.js';
import { parseRegistryToken } from './registry-token.js';
import type { FallbackSettings, LoginTarget } from './target.js';

type Upstream = 'ecr-public' | 'docker-hub';
type Env = Record<string, string | undefined>;

interface TargetKind {
  claims(host: string): boolean;
  parse(inputs: InputReader, raw: string, upstream: Upstream): LoginTarget;
}

const TARGET_KINDS: TargetKind[] = [
  { claims: (host) => host === ECR_PUBLIC_REGISTRY, parse: parseEcrPublic },
  // Anything else must be an ECR private host; its parser says what is wrong with it.
  { claims: () => true, parse: parseEcrPrivate },
];

/** Fallback kinds, tried in order; each returns undefined when its inputs are not set. */
const FALLBACK_KINDS: ((inputs: InputReader, env: Env) => LoginTarget | undefined)[] = [
  // First: with a connection ID it owns the fallback inputs (and refuses a token beside it).
  parseDockerHubOidc,
  parseRegistryToken,
];

/** `registry` and `registry-upstream`: where the step logs in with AWS. */
export function parseTarget(inputs: InputReader): LoginTarget {
  const raw = inputs.read('registry');
  const upstream = inputs.choice('registry-upstream', ['ecr-public', 'docker-hub'] as const);
  const host = raw
    .replace(/^https:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
  const kind = TARGET_KINDS.find((k) => k.claims(host)) as TargetKind;
  return kind.parse(inputs, raw, upstream);
}

/** The fallback inputs: the second target and when it is used. */
export function parseFallback(inputs: InputReader, env: Env = {}): FallbackSettings | undefined {
  const mode = inputs.choice('fallback-mode', ['on-failure', 'always'] as const);
  const target = FALLBACK_KINDS.reduce<LoginTarget | undefined>(
    (found, parse) => found ?? parse(inputs, env),
    undefined,
  );
  if (mode === 'always' && !target) {
    inputs.problems.push(
      `'fallback-mode: always' needs 'fallback-username' and either 'fallback-token' or 'fallback-oidc-connection-id'`,
    );
  }
  return target ? { target, mode } : undefined;
}
