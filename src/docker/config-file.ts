// The docker CLI's config.json: where logins live, so the post step can remove exactly ours
// and put back a login that was there before the step replaced it.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ActionError, describeError } from '../common/errors.js';
import { randomHex, sha256Hex } from '../common/node-crypto.js';
import { replaceFile } from '../common/replace-file.js';
import { DOCKER_HUB } from '../registry/names.js';

type Env = Record<string, string | undefined>;

export interface AuthEntry {
  auth?: string;
  identitytoken?: string;
  [field: string]: unknown;
}

export interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [field: string]: unknown;
}

/** The folder docker reads: DOCKER_CONFIG, else ~/.docker. */
export const configDir = (env: Env): string =>
  env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');

/** The key the docker CLI stores a registry's login under (Docker Hub keeps its v1 URL). */
export const authKey = (registry: string): string =>
  registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;

/** config.json exists but is not a JSON object: writing it back would lose every login in it. */
export class UnreadableConfigError extends ActionError {
  constructor(file: string, why: string) {
    super(
      `The docker config file ${file} could not be read (${why}), so this step did not touch it: a login written now would replace the file and lose every login in it.`,
      'Repair the file (docker itself only warns "Error parsing config file" and ignores it), or use `docker-config: isolated` to log in to a fresh config of this job.',
    );
    this.name = 'UnreadableConfigError';
  }
}

/**
 * Where JSON.parse stopped, as line and column: never the parser's message, which may quote
 * the file's text (and so a login's secret).
 */
function jsonErrorPlace(text: string, error: unknown): string {
  const at = /position (\d+)/.exec((error as Error).message);
  if (!at) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** The folder's config.json ({} when there is none); throws UnreadableConfigError when it does not parse. */
export function readConfig(dir: string): DockerConfig {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UnreadableConfigError(file, describeError(error));
  }
  if (!text.trim()) return {}; // docker treats an empty file as no config
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new UnreadableConfigError(file, `invalid JSON${jsonErrorPlace(text, error)}`);
  }
  if (config === null) return {}; // docker reads `null` as an empty config too
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new UnreadableConfigError(file, 'it is not a JSON object');
  }
  return config as DockerConfig;
}

/** Replaces config.json in one rename, so docker never reads half a file. */
export function writeConfig(dir: string, config: DockerConfig): void {
  replaceFile(join(dir, 'config.json'), JSON.stringify(config, null, '\t') + '\n', 0o600);
}

/** True when a credential helper, not config.json, holds this registry's login. */
export const usesCredentialStore = (config: DockerConfig, key: string, registry: string): boolean =>
  Boolean(config.credsStore || config.credHelpers?.[registry] || config.credHelpers?.[key]);

/** A fingerprint of a stored login, to recognise ours later without keeping the secret. */
export function fingerprint(entry: AuthEntry | undefined): string | undefined {
  const secret = entry?.auth || entry?.identitytoken;
  return secret ? sha256Hex(secret) : undefined;
}

/** Saves a login that the step is about to replace, readable by the job's user only. */
export function backupEntry(runnerTemp: string | undefined, entry: AuthEntry): string {
  const file = join(runnerTemp || tmpdir(), `ecr-public-login-${randomHex(8)}.json`);
  writeFileSync(file, JSON.stringify(entry), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function readBackup(file: string): AuthEntry | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AuthEntry;
  } catch {
    return undefined;
  }
}

const ISOLATED_PREFIX = 'docker-config-';

/** A fresh config folder for this job only (docker-config: isolated). */
export const createIsolatedDir = (runnerTemp: string | undefined): string =>
  mkdtempSync(join(runnerTemp || tmpdir(), ISOLATED_PREFIX));

/** Only a folder createIsolatedDir could have made is ever deleted, whatever the state says. */
export const isIsolatedDir = (dir: string, runnerTemp: string | undefined): boolean =>
  dirname(resolve(dir)) === resolve(runnerTemp || tmpdir()) &&
  basename(dir).startsWith(ISOLATED_PREFIX);

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/**
 * In an isolated folder: the registries that steps asked to keep (`logout: false`), one a line.
 * While it exists the folder's maker leaves the folder and undoes only its own other logins.
 */
const KEEP_MARK = 'ecr-public-login.keep';

/** Marks the folder kept; with a registry, that registry's login is kept too. */
export const markKept = (dir: string, registry = ''): void =>
  writeFileSync(join(dir, KEEP_MARK), registry ? `${registry}\n` : '', { flag: 'a' });

/** The kept registries, or undefined when no step asked to keep anything. */
export function keptRegistries(dir: string): string[] | undefined {
  try {
    return readFileSync(join(dir, KEEP_MARK), 'utf8').split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}
