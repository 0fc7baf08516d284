// Undoes one login from main: removes it only while it is still ours, and puts back what it replaced.
import { rmSync } from 'node:fs';
import {
  authKey,
  fingerprint,
  readBackup,
  readConfig,
  usesCredentialStore,
  writeConfig,
} from './config-file.js';
import { dockerLogout } from './cli.js';
import type { Exec } from '../runner/exec.js';
import type { LoginRecord } from '../runner/state.js';

const LOGOUT_TIMEOUT_MS = 30_000;

/** Returns a line saying what was done; throws only on I/O or docker failure. */
export async function undoLogin(
  r: LoginRecord,
  exec: Exec,
  env: Record<string, string | undefined>,
): Promise<string> {
  const config = readConfig(r.configDir);
  const key = authKey(r.registry);
  const entry = config.auths?.[key];
  // A credential helper holds the secret (or docker stored no inline auth): only docker can remove it.
  if (usesCredentialStore(config, key, r.registry) || !r.fingerprint) {
    // By its key: CLI 28's `docker logout docker.io` leaves https://index.docker.io/v1/ behind.
    await dockerLogout(exec, key, { ...env, DOCKER_CONFIG: r.configDir }, LOGOUT_TIMEOUT_MS);
    return `Logged out of ${r.registry} (docker logout).`;
  }
  const previous = r.backup ? readBackup(r.backup) : undefined;
  // The backup holds a secret: gone once post has looked at it, whatever it decides.
  if (r.backup) rmSync(r.backup, { force: true });
  if (!entry) {
    if (!previous) return `${r.registry}: no login left to remove.`;
    // Ours was removed by someone else; the login it had replaced still comes back.
    writeConfig(r.configDir, { ...config, auths: { ...config.auths, [key]: previous } });
    return `${r.registry}: already logged out; restored the login that was there before this step.`;
  }
  if (fingerprint(entry) !== r.fingerprint) {
    return `${r.registry}: the login was replaced after this step (another step or job logged in); left in place.`;
  }
  if (previous) config.auths![key] = previous;
  else delete config.auths![key];
  writeConfig(r.configDir, config);
  return previous
    ? `${r.registry}: logged out and restored the login that was there before this step.`
    : `Logged out of ${r.registry}.`;
}
