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
  refusedFix?: string;
}

export async function loginToRegistry(exec: Exec, r: RegistryLoginRequest): Promise<LoginRecord> {
  const key = authKey(r.registry);
  const before = readConfig(r.configDir);
  const previous = before.auths?.[key];
  const backup =
    r.restoreLater &&
    !usesCredentialStore(before, key, r.registry) &&
    // Every inline login comes back, public.ecr.aws's too: it may be a token a cron job refreshes.
    (previous?.auth || previous?.identitytoken)
      ? backupEntry(r.runnerTemp, previous!)
      : undefined;
  try {
    await dockerLogin(exec, {
      registry: r.registry,
      username: r.username,
      password: r.password,
      env: { ...r.env, DOCKER_CONFIG: r.configDir },
      timeoutMs: r.timeoutMs,
      refusedFix: r.refusedFix,
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
