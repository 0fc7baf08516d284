// The docker CLI's config.json: where logins live, so the post step can remove exactly ours
// and put back a login that was there before the step replaced it.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DOCKER_HUB } from './registries.js';

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

export function readConfig(dir: string): DockerConfig {
  try {
    const config: unknown = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    return config && typeof config === 'object' && !Array.isArray(config)
      ? (config as DockerConfig)
      : {};
  } catch {
    return {};
  }
}

/** Replaces config.json in one rename, so docker never reads half a file. */
export function writeConfig(dir: string, config: DockerConfig): void {
  const file = join(dir, 'config.json');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
  renameSync(temp, file);
}

/** True when a credential helper, not config.json, holds this registry's login. */
export const usesCredentialStore = (config: DockerConfig, key: string, registry: string): boolean =>
  Boolean(config.credsStore || config.credHelpers?.[registry] || config.credHelpers?.[key]);

/** A fingerprint of a stored login, to recognise ours later without keeping the secret. */
export function fingerprint(entry: AuthEntry | undefined): string | undefined {
  const secret = entry?.auth || entry?.identitytoken;
  return secret ? createHash('sha256').update(secret).digest('hex') : undefined;
}

/** Saves a login that the step is about to replace, readable by the job's user only. */
export function backupEntry(runnerTemp: string | undefined, entry: AuthEntry): string {
  const file = join(
    runnerTemp || tmpdir(),
    `ecr-public-login-${randomBytes(8).toString('hex')}.json`,
  );
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
