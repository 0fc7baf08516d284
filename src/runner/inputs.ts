// Parses and validates every `with:` value into one typed Settings object, before any network call.
import { InputError } from '../errors.js';
import { parseLoginTarget, type LoginTarget } from '../aws/login-target.js';
import { proxyUrlProblem } from '../net/proxy.js';
import { DOCKER_HUB, ECR_PUBLIC_REGISTRY } from '../docker/registries.js';
import { parseMirrorInputs, type MirrorSettings } from '../mirror/settings.js';
import { INPUT_DEFAULTS, type InputName } from './action-inputs.js';
import {
  fallbackPrefixNote,
  parseImagesSettings,
  type ImagesSettings,
} from '../images/settings.js';

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

export interface Settings extends MirrorSettings {
  /** Where to log in with AWS: ECR Public or an ECR pull-through cache. */
  target: LoginTarget;
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
  images: ImagesSettings;
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
const MAX_LIST_LENGTH = 65536;

export const show = (value: string): string =>
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

/** How an input's value may be shown in an error: secrets never, URLs without credentials. */
const DISPLAY: Partial<Record<InputName, Display>> = {
  'fallback-token': 'secret',
  'http-proxy': 'url',
};

/** Masks every secret the inputs hold (a token, a proxy URL's password) before anything can print it. */
export function maskSecretInputs(getInput: GetInput, setSecret: (value: string) => void): void {
  for (const [name, display] of Object.entries(DISPLAY)) {
    const value = getInput(name);
    if (display === 'secret') setSecret(value);
    const userInfo = display === 'url' ? urlUserInfo(value) : undefined;
    const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : '';
    if (!password) continue;
    setSecret(password);
    try {
      setSecret(decodeURIComponent(password));
    } catch {
      // a malformed escape: the input check reports it; the raw form is masked
    }
  }
}

/** Reads inputs (empty means action.yml's default) and collects every problem for one report. */
export class InputReader {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  constructor(private readonly getInput: GetInput) {}

  read(name: InputName): string {
    const value = this.getInput(name);
    const display = DISPLAY[name] ?? 'plain';
    if (/[\x00-\x1f\x7f]/.test(value)) {
      this.problems.push(
        display === 'secret'
          ? `'${name}' contains a newline or control character (value not shown: it is a secret)`
          : `'${name}' contains a newline or control character: got ${show(display === 'url' ? hideUrlCredentials(value) : value)}`,
      );
    } else if (value.length > MAX_LENGTH) {
      this.problems.push(`'${name}' is longer than ${MAX_LENGTH} characters (${value.length})`);
    }
    return value === '' ? INPUT_DEFAULTS[name] : value;
  }

  /** A list input: one item per line (or per `separator`), trimmed, empty items dropped. */
  list(name: InputName, separator = /\r?\n/): string[] {
    const raw = this.getInput(name);
    if (raw.length > MAX_LIST_LENGTH) {
      this.problems.push(`'${name}' is longer than ${MAX_LIST_LENGTH} characters (${raw.length})`);
      return [];
    }
    const items = raw.split(separator).map((item) => item.trim());
    for (const item of items.filter((i) => /[\x00-\x1f\x7f]/.test(i))) {
      this.problems.push(`'${name}' contains a control character: got ${show(item)}`);
    }
    return items.filter((item) => item !== '');
  }

  integer(name: InputName, min: number, max: number): number {
    const raw = this.read(name);
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      this.problems.push(
        `'${name}' must be a whole number from ${min} to ${max}: got ${show(raw)}`,
      );
    }
    return value;
  }

  choice<T extends string>(name: InputName, choices: readonly T[]): T {
    const raw = this.read(name);
    if (!(choices as readonly string[]).includes(raw)) {
      this.problems.push(`'${name}' must be one of ${choices.join(', ')}: got ${show(raw)}`);
    }
    return raw as T;
  }

  boolean(name: InputName): boolean {
    const raw = this.read(name);
    if (/^(true|True|TRUE)$/.test(raw)) return true;
    if (/^(false|False|FALSE)$/.test(raw)) return false;
    this.problems.push(`'${name}' must be true or false: got ${show(raw)}`);
    return true;
  }
}

type AwsSettings = Pick<
  Settings,
  | 'roleToAssume'
  | 'roleSessionName'
  | 'roleDurationSeconds'
  | 'audience'
  | 'retryMaxAttempts'
  | 'timeoutSeconds'
  | 'httpProxy'
>;

function parseAwsInputs(r: InputReader): AwsSettings {
  const roleToAssume = r.read('role-to-assume');
  const roleProblem = roleToAssume ? roleArnProblem(roleToAssume) : undefined;
  if (roleProblem) r.problems.push(roleProblem);
  const roleSessionName = r.read('role-session-name');
  if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
    r.problems.push(
      `'role-session-name' must be 2-64 characters of [A-Za-z0-9+=,.@_-]: got ${show(roleSessionName)}`,
    );
  }
  const httpProxy = r.read('http-proxy');
  const proxyProblem = httpProxy ? proxyUrlProblem(httpProxy) : undefined;
  if (proxyProblem) {
    r.problems.push(
      `'http-proxy' must be a proxy URL such as http://proxy.example.com:3128 (${proxyProblem}): got ${show(hideUrlCredentials(httpProxy))}`,
    );
  }
  return {
    roleToAssume,
    roleSessionName,
    roleDurationSeconds: r.integer('role-duration-seconds', 900, 43200),
    audience: r.read('audience'),
    retryMaxAttempts: r.integer('retry-max-attempts', 1, 20),
    timeoutSeconds: r.integer('timeout-seconds', 1, 3600),
    httpProxy,
  };
}

function fallbackRegistry(r: InputReader): string | undefined {
  const raw = r.read('fallback-registry');
  const registry = normalizeRegistry(raw);
  if (!registry) {
    r.problems.push(
      `'fallback-registry' must be a registry host such as docker.io: got ${show(raw)}`,
    );
  } else if (registry === ECR_PUBLIC_REGISTRY) {
    r.problems.push(
      `'fallback-registry' cannot be ${ECR_PUBLIC_REGISTRY}: it is the registry the fallback stands in for`,
    );
  }
  return registry;
}

function parseFallbackInputs(r: InputReader): FallbackSettings | undefined {
  const registry = fallbackRegistry(r);
  const username = r.read('fallback-username');
  const token = r.read('fallback-token');
  const mode = r.choice('fallback-mode', ['on-failure', 'always'] as const);
  if (token && !username) {
    r.problems.push(
      `'fallback-token' is set but 'fallback-username' is empty; for a Docker Hub organization access token the username is the organization name`,
    );
  }
  if (username && !token) {
    r.notes.push(
      `'fallback-username' is set but 'fallback-token' is empty, so there is no fallback (secrets are not passed to workflows run from forks).`,
    );
  }
  if (mode === 'always' && !token) {
    r.problems.push(`'fallback-mode: always' needs 'fallback-username' and 'fallback-token'`);
  }
  return token && username && registry ? { registry, username, token, mode } : undefined;
}

/** Reads every input, reporting all problems together; secret values are never echoed. */
export function parseInputs(getInput: GetInput): Settings {
  const r = new InputReader(getInput);
  const settings: Settings = {
    target: parseLoginTarget(r),
    ...parseAwsInputs(r),
    fallback: parseFallbackInputs(r),
    logout: r.boolean('logout'),
    dockerConfig: r.choice('docker-config', ['shared', 'isolated'] as const),
    ...parseMirrorInputs(r),
    images: parseImagesSettings(r),
    notes: r.notes,
  };
  const note = fallbackPrefixNote(
    settings.images.fallbackLibraryPrefix,
    settings.fallback?.registry,
  );
  if (note) r.notes.push(note);
  if (r.problems.length > 0) throw new InputError(r.problems);
  return settings;
}
