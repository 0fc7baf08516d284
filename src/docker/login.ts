// One registry login as the post step can undo it: note what was there, run docker login,
// fingerprint what docker stored, and hand back the record for the post-step state.
import { rmSync } from 'node:fs';
import {
  authKey,
  backupEntry,
  fingerprint,
  readConfig,
  usesCredentialStore,
} from './config-file.js';
import { dockerLogin } from './cli.js';
import type { Exec } from '../runner/exec.js';
import { ECR_PUBLIC_REGISTRY } from './registries.js';
import type { LoginRecord } from '../runner/state.js';

export interface RegistryLoginRequest {
  registry: string;
  username: string;
  password: string;
  configDir: string;
  /** Keep what this login replaces for post to put back (shared config, `logout: true`). */
  restoreLater: boolean;
  runnerTemp?: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

/** Whether a login found before ours is worth restoring (an old ECR Public token is not). */
const worthRestoring = (registry: string, entry: { auth?: string } | undefined): boolean => {
  if (!entry?.auth) return false;
  if (registry !== ECR_PUBLIC_REGISTRY) return true;
  return !Buffer.from(entry.auth, 'base64').toString('utf8').startsWith('AWS:');
};

export async function loginToRegistry(exec: Exec, r: RegistryLoginRequest): Promise<LoginRecord> {
  const key = authKey(r.registry);
  const before = readConfig(r.configDir);
  const previous = before.auths?.[key];
  const backup =
    r.restoreLater &&
    !usesCredentialStore(before, key, r.registry) &&
    worthRestoring(r.registry, previous)
      ? backupEntry(r.runnerTemp, previous!)
      : undefined;
  try {
    await dockerLogin(exec, {
      registry: r.registry,
      username: r.username,
      password: r.password,
      env: { ...r.env, DOCKER_CONFIG: r.configDir },
      timeoutMs: r.timeoutMs,
    });
  } catch (error) {
    if (backup) rmSync(backup, { force: true }); // nothing was replaced: the copy has no use
    throw error;
  }
  const after = readConfig(r.configDir);
  return {
    registry: r.registry,
    configDir: r.configDir,
    fingerprint: fingerprint(after.auths?.[key]),
    backup,
  };
}
