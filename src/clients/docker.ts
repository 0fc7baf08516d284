// The docker kind: `docker` and `nerdctl` (nerdctl reads docker's config.json and its credential
// helpers the same way). The login written as docker's file store or its credential helper would
// write it; a helper that cannot hold the token (WinCred's 2,560 bytes, or any error) sends this
// registry, and only it, to config.json's `auths` (with `credHelpers[key] = ""`, which docker reads
// as "the file store for this registry").
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../common/errors.js';
import { randomHex } from '../common/node-crypto.js';
import { authKey, readConfig } from '../docker/config-file.js';
import type { Exec } from '../runner/exec.js';
import type { FileWrite, HelperWrite } from '../runner/state.js';
import { authFingerprint, editAuthJson, type AuthJson } from './auth-file.js';
import { configuredHelper } from './direct-rule.js';
import { helperGet, helperStore, type HelperCall } from './helper.js';

export const DOCKER_PROGRAMS = ['docker', 'nerdctl'] as const;

export interface DockerWrite {
  registry: string;
  username: string;
  password: string;
  configDir: string;
  runnerTemp?: string;
  /** Keep copies for post (shared config with `logout: true`). */
  keep: boolean;
  env: Record<string, string | undefined>;
  exec: Exec;
  timeoutMs: number;
  warn: (message: string) => void;
  /** The helper already failed (docker login said so): straight to the file. */
  helperFailed?: string;
}

export interface DockerWritten {
  writes: FileWrite[];
  helper?: HelperWrite;
  /** sha256 of the inline auth, as docker/config-file's fingerprint() computes it. */
  fingerprint?: string;
  /** The secret sits in `auths` with no helper in front: every client reading config.json sees it. */
  plainInline: boolean;
}

export const basicAuth = (username: string, password: string): string =>
  Buffer.from(`${username}:${password}`).toString('base64');

const setEntry =
  (key: string, entry: Record<string, unknown>, fileStore = false) =>
  (json: AuthJson): AuthJson => {
    const next: AuthJson = { ...json, auths: { ...json.auths, [key]: entry } };
    if (fileStore) next.credHelpers = { ...json.credHelpers, [key]: '' };
    return next;
  };

export async function writeDockerLogin(r: DockerWrite): Promise<DockerWritten> {
  const key = authKey(r.registry);
  const file = join(r.configDir, 'config.json');
  const helper = configuredHelper(readConfig(r.configDir), key, r.registry);
  const auth = basicAuth(r.username, r.password);
  const edit = (change: (j: AuthJson) => AuthJson): FileWrite => ({
    kind: 'docker',
    ...editAuthJson(file, key, change, { runnerTemp: r.runnerTemp, keep: r.keep }),
  });
  if (helper) {
    try {
      if (r.helperFailed) throw new Error(r.helperFailed);
      const stored = await storeInHelper(r, helper, key);
      // What docker's native store leaves in the file: an empty entry, the secret in the helper.
      return { writes: [edit(setEntry(key, {}))], helper: stored, plainInline: false };
    } catch (error) {
      r.warn(
        `The credential helper docker-credential-${helper} could not store the ${r.registry} login (${describeError(error)}), so this login was written to ${file} instead, for ${r.registry} only; the post step restores the file. To keep it out of the file, use a helper that accepts the token's size, or \`docker-config: isolated\`.`,
      );
      const write = edit(setEntry(key, { auth }, true));
      return { writes: [write], fingerprint: authFingerprint(auth), plainInline: false };
    }
  }
  return {
    writes: [edit(setEntry(key, { auth }))],
    fingerprint: authFingerprint(auth),
    plainInline: true,
  };
}

async function storeInHelper(r: DockerWrite, helper: string, key: string): Promise<HelperWrite> {
  const call: HelperCall = { exec: r.exec, helper, env: r.env, timeoutMs: r.timeoutMs };
  const previous = r.keep ? await helperGet(call, key) : undefined;
  await helperStore(call, key, { Username: r.username, Secret: r.password });
  let backup: string | undefined;
  if (previous) {
    backup = join(r.runnerTemp || tmpdir(), `ecr-public-login-${randomHex(8)}`);
    writeFileSync(backup, JSON.stringify(previous), { mode: 0o600 });
  }
  return { helper, serverUrl: key, fingerprint: authFingerprint(r.password), backup };
}
