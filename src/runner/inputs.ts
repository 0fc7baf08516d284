// Parses and validates every `with:` value into one typed Settings object, before any network call.
import { InputError } from '../errors.js';
import { proxyUrlProblem } from '../net/proxy.js';
import { DOCKER_HUB, ECR_PUBLIC_REGISTRY } from '../docker/registries.js';

export { DOCKER_HUB, ECR_PUBLIC_REGISTRY };

export type FallbackMode = 'on-failure' | 'always';
export type DockerConfigMode = 'shared' | 'isolated';

export interface FallbackSettings {
  /** Normalised host; Docker Hub aliases become `docker.io`. */
  registry: string;
  username: string;
  token: string;
  mode: FallbackMode;
}

export interface Settings {
  /** Empty: use the AWS credentials already in the environment. */
  roleToAssume: string;
  roleSessionName: string;
  roleDurationSeconds: number;
  audience: string;
  fallback?: FallbackSettings;
  logout: boolean;
  retryMaxAttempts: number;
  timeoutSeconds: number;
  httpProxy: string;
  dockerConfig: DockerConfigMode;
  /** Non-fatal remarks about the inputs, shown as warnings. */
  notes: string[];
}

export type GetInput = (name: string) => string;

const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);
const MAX_LENGTH = 4096;

const show = (value: string): string =>
  JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);

/** A URL with any user:password part replaced (a password may itself contain '@'). */
export const hideUrlCredentials = (value: string): string =>
  value.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^]*@/i, (_, scheme = '') => `${scheme}***@`);

/** The user-info part of a URL-like value (up to its last '@'), however malformed the rest. */
export const urlUserInfo = (value: string): string | undefined =>
  /^[a-z][a-z0-9+.-]*:\/*([^]*)@/i.exec(value)?.[1];

type Display = 'plain' | 'secret' | 'url';

/** Why a role ARN is wrong, in words a user can act on; undefined when it is valid. */
export function roleArnProblem(arn: string): string | undefined {
  const role = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
  const m = role.exec(arn);
  if (m) {
    const name = m[3].split('/').pop() ?? '';
    return name.length >= 1 && name.length <= 64 && !m[3].startsWith('/')
      ? undefined
      : `'role-to-assume' has an invalid role name (1-64 characters of [A-Za-z0-9+=,.@_-]): ${show(arn)}`;
  }
  const expected =
    'expected an IAM role ARN such as arn:aws:iam::123456789012:role/ecr-public-pull';
  if (!arn.startsWith('arn:')) {
    return `'role-to-assume' must be the role's full ARN, not a name: got ${show(arn)}; ${expected}`;
  }
  if (/:assumed-role\//.test(arn)) {
    return `'role-to-assume' is an assumed-role session ARN (${show(arn)}); give the role's own ARN: ${expected}`;
  }
  if (/^arn:[^:]+:iam::[^:]*:(user|group|policy)\//.test(arn)) {
    return `'role-to-assume' names an IAM ${arn.split(':')[5].split('/')[0]}, not a role: ${show(arn)}; ${expected}`;
  }
  if (/^arn:[^:]+:iam::[^:]*:role\//.test(arn) && !/^arn:[^:]+:iam::\d{12}:/.test(arn)) {
    return `'role-to-assume' must contain a 12-digit account ID: got ${show(arn)}`;
  }
  return `'role-to-assume' is not an IAM role ARN: got ${show(arn)}; ${expected}`;
}

/** `host[:port]`, lower-cased, scheme and path removed; Docker Hub aliases collapse to docker.io. */
export function normalizeRegistry(value: string): string | undefined {
  const host = value
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/(v1|v2)?\/?$/, '');
  const name = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
  if (!name.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host)) return undefined;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port && !(Number(port) >= 1 && Number(port) <= 65535)) return undefined;
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

function parseIntegerInput(
  name: string,
  raw: string,
  min: number,
  max: number,
  problems: string[],
): number {
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    problems.push(`'${name}' must be a whole number from ${min} to ${max}: got ${show(raw)}`);
  }
  return value;
}

function parseChoice<T extends string>(
  name: string,
  raw: string,
  choices: readonly T[],
  problems: string[],
): T {
  if (!(choices as readonly string[]).includes(raw)) {
    problems.push(`'${name}' must be one of ${choices.join(', ')}: got ${show(raw)}`);
  }
  return raw as T;
}

function parseBoolean(name: string, raw: string, problems: string[]): boolean {
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  problems.push(`'${name}' must be true or false: got ${show(raw)}`);
  return true;
}

/** Reads every input, reporting all problems together; secret values are never echoed. */
export function parseInputs(getInput: GetInput): Settings {
  const problems: string[] = [];
  const notes: string[] = [];
  const read = (name: string, fallback: string, display: Display = 'plain'): string => {
    const value = getInput(name);
    if (/[\x00-\x1f\x7f]/.test(value)) {
      problems.push(
        display === 'secret'
          ? `'${name}' contains a newline or control character (value not shown: it is a secret)`
          : `'${name}' contains a newline or control character: got ${show(display === 'url' ? hideUrlCredentials(value) : value)}`,
      );
    } else if (value.length > MAX_LENGTH) {
      problems.push(`'${name}' is longer than ${MAX_LENGTH} characters (${value.length})`);
    }
    return value === '' ? fallback : value;
  };

  const roleToAssume = read('role-to-assume', '');
  if (roleToAssume) {
    const problem = roleArnProblem(roleToAssume);
    if (problem) problems.push(problem);
  }
  const roleSessionName = read('role-session-name', 'GitHubActions');
  if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
    problems.push(
      `'role-session-name' must be 2-64 characters of [A-Za-z0-9+=,.@_-]: got ${show(roleSessionName)}`,
    );
  }
  const roleDurationSeconds = parseIntegerInput(
    'role-duration-seconds',
    read('role-duration-seconds', '900'),
    900,
    43200,
    problems,
  );
  const audience = read('audience', 'sts.amazonaws.com');
  const rawRegistry = read('fallback-registry', DOCKER_HUB);
  const username = read('fallback-username', '');
  const token = read('fallback-token', '', 'secret');
  const mode = parseChoice(
    'fallback-mode',
    read('fallback-mode', 'on-failure'),
    ['on-failure', 'always'] as const,
    problems,
  );
  const registry = normalizeRegistry(rawRegistry);
  if (!registry) {
    problems.push(
      `'fallback-registry' must be a registry host such as docker.io: got ${show(rawRegistry)}`,
    );
  } else if (registry === ECR_PUBLIC_REGISTRY) {
    problems.push(
      `'fallback-registry' cannot be ${ECR_PUBLIC_REGISTRY}: it is the registry the fallback stands in for`,
    );
  }
  if (token && !username) {
    problems.push(
      `'fallback-token' is set but 'fallback-username' is empty; for a Docker Hub organization access token the username is the organization name`,
    );
  }
  if (username && !token) {
    notes.push(
      `'fallback-username' is set but 'fallback-token' is empty, so there is no fallback (secrets are not passed to workflows run from forks).`,
    );
  }
  if (mode === 'always' && !token) {
    problems.push(`'fallback-mode: always' needs 'fallback-username' and 'fallback-token'`);
  }
  const fallback: FallbackSettings | undefined =
    token && username && registry ? { registry, username, token, mode } : undefined;

  const logout = parseBoolean('logout', read('logout', 'true'), problems);
  const retryMaxAttempts = parseIntegerInput(
    'retry-max-attempts',
    read('retry-max-attempts', '5'),
    1,
    20,
    problems,
  );
  const timeoutSeconds = parseIntegerInput(
    'timeout-seconds',
    read('timeout-seconds', '60'),
    1,
    3600,
    problems,
  );
  const httpProxy = read('http-proxy', '', 'url');
  const proxyProblem = httpProxy ? proxyUrlProblem(httpProxy) : undefined;
  if (proxyProblem) {
    problems.push(
      `'http-proxy' must be a proxy URL such as http://proxy.example.com:3128 (${proxyProblem}): got ${show(hideUrlCredentials(httpProxy))}`,
    );
  }
  const dockerConfig = parseChoice(
    'docker-config',
    read('docker-config', 'shared'),
    ['shared', 'isolated'] as const,
    problems,
  );

  if (problems.length > 0) throw new InputError(problems);
  return {
    roleToAssume,
    roleSessionName,
    roleDurationSeconds,
    audience,
    fallback,
    logout,
    retryMaxAttempts,
    timeoutSeconds,
    httpProxy,
    dockerConfig,
    notes,
  };
}
