// When writing the login ourselves is provably what `docker login` would leave, so docker need
// not be spawned. docker login (CLI 20.10 to 28, cli/config/credentials and configfile) stores
// `auths[key] = {auth: base64(user:password)}` through its file store unless a credential helper
// applies: `credHelpers[key]`, else `credsStore`, else — only when the config holds no auth
// information at all — the platform's default helper if `docker-credential-<default>` is on PATH.
// The rule: direct when no helper would apply, the config parses as an object (the caller read
// it), and the CLI's version is one whose storage we know. Everything else: `docker login`.
// After the check, a registry that hands out a refresh token makes docker store an identitytoken
// instead: that case also goes to `docker login` (login.ts).
import type { DockerConfig } from '../docker/config-file.js';
import { findOnPath } from './path.js';

type Env = Record<string, string | undefined>;

/** The CLI versions whose login storage is the rule above (major.minor, inclusive). */
export const KNOWN_CLI = { from: [20, 10], through: [28, 99] } as const;

export type Verdict = { direct: true } | { direct: false; why: string };

export function knownCliVersion(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)\./.exec(version ?? '');
  if (!m) return false;
  const v = Number(m[1]) * 100 + Number(m[2]);
  const [from, through] = [KNOWN_CLI.from, KNOWN_CLI.through].map(([a, b]) => a * 100 + b);
  return v >= from && v <= through;
}

/** The helper docker would use for key: credHelpers, credsStore, or none (''). */
export function configuredHelper(config: DockerConfig, key: string, registry: string): string {
  const helpers = config.credHelpers ?? {};
  if (Object.hasOwn(helpers, key)) return helpers[key];
  if (Object.hasOwn(helpers, registry)) return helpers[registry];
  return config.credsStore ?? '';
}

/** The default store docker picks for a config without any auth (DetectDefaultStore). */
export function defaultStore(env: Env, platform: NodeJS.Platform = process.platform): string {
  const name =
    platform === 'darwin'
      ? 'osxkeychain'
      : platform === 'win32'
        ? 'wincred'
        : findOnPath('pass', env)
          ? 'pass'
          : 'secretservice';
  return findOnPath(`docker-credential-${name}`, env) ? name : '';
}

const hasAuthInfo = (c: DockerConfig) =>
  Boolean(
    c.credsStore || Object.keys(c.credHelpers ?? {}).length || Object.keys(c.auths ?? {}).length,
  );

export function directVerdict(r: {
  cliVersion: string | undefined;
  config: DockerConfig;
  key: string;
  registry: string;
  env: Env;
  platform?: NodeJS.Platform;
}): Verdict {
  if (!knownCliVersion(r.cliVersion)) {
    return { direct: false, why: `docker CLI ${r.cliVersion ?? 'of unknown version'}` };
  }
  const helper = configuredHelper(r.config, r.key, r.registry);
  if (helper) return { direct: false, why: `credential helper ${helper}` };
  const fallback = hasAuthInfo(r.config) ? '' : defaultStore(r.env, r.platform);
  if (fallback) return { direct: false, why: `docker would pick docker-credential-${fallback}` };
  return { direct: true };
}
