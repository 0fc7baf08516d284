// The containers kind: podman, buildah and skopeo (containers/image). They read, first file with
// an entry for the registry wins: REGISTRY_AUTH_FILE (their --authfile default), then
// $XDG_RUNTIME_DIR/containers/auth.json (else /run/containers/<uid>/auth.json), then
// $XDG_CONFIG_HOME/containers/auth.json (~/.config), then docker's config.json — whose
// credHelpers they honour but whose credsStore they ignore (docs/engines.md). So an entry of
// their own is written only when docker's config would not serve them: the login is held by a
// helper, or one of their earlier files holds a login for this registry that would win.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DOCKER_HUB, DOCKER_HUB_ALIASES } from '../registry/names.js';
import type { FileWrite } from '../runner/state.js';
import { editAuthJson, parseAuthJson } from './auth-file.js';
import { basicAuth } from './docker.js';

type Env = Record<string, string | undefined>;

export const CONTAINERS_PROGRAMS = ['podman', 'buildah', 'skopeo'] as const;

/** The files they read before docker's, in their order, and the one we write when needed. */
export function containersAuthFiles(env: Env, uid = process.getuid?.() ?? 0) {
  const runtimeDir = env.XDG_RUNTIME_DIR || `/run/containers/${uid}`;
  const runtime = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')
    : join(runtimeDir, 'auth.json');
  const config = join(
    env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'),
    'containers',
    'auth.json',
  );
  const lookup = [env.REGISTRY_AUTH_FILE, runtime, config].filter((f): f is string => Boolean(f));
  // The first file all three read. podman and buildah skip the runtime file when DOCKER_CONFIG
  // is set (it replaces their --authfile default); a runtime folder exists only where a session made it.
  const useRuntime = !env.DOCKER_CONFIG && existsSync(runtimeDir);
  const primary = env.REGISTRY_AUTH_FILE || (useRuntime ? runtime : config);
  return { lookup, primary };
}

/** The key containers/image keeps a registry under (Docker Hub: `docker.io`). */
export const containersKey = (registry: string): string =>
  DOCKER_HUB_ALIASES.has(registry) ? DOCKER_HUB : registry;

const LEGACY_HUB = ['https://index.docker.io/v1/', 'index.docker.io'];

/** Does the file hold a login (or helper) that would answer for this registry? */
function holdsLogin(file: string, registry: string): boolean {
  let json;
  try {
    json = parseAuthJson(file, existsSync(file) ? readFileSync(file) : undefined);
  } catch {
    return true; // unreadable: do not count on docker's config being reached
  }
  const key = containersKey(registry);
  const names = key === DOCKER_HUB ? [key, ...LEGACY_HUB] : [key];
  const keys = [...Object.keys(json.auths ?? {}), ...Object.keys(json.credHelpers ?? {})];
  return keys.some((k) => names.some((n) => k === n || k.startsWith(`${n}/`)));
}

/** Why they need an entry of their own; undefined when docker's config serves them. */
export function containersNeed(registry: string, dockerPlainInline: boolean, env: Env) {
  if (!dockerPlainInline) {
    return "docker's login for it is held by a credential helper or overridden, which they do not read";
  }
  const first = containersAuthFiles(env).lookup.find((f) => holdsLogin(f, registry));
  return first ? `${first} holds a login for it that they would read before docker's` : undefined;
}

export function writeContainersLogin(r: {
  registry: string;
  username: string;
  password: string;
  env: Env;
  runnerTemp?: string;
  keep: boolean;
}): FileWrite {
  const { primary } = containersAuthFiles(r.env);
  const key = containersKey(r.registry);
  const auth = basicAuth(r.username, r.password);
  const write = editAuthJson(
    primary,
    key,
    (json) => ({ ...json, auths: { ...json.auths, [key]: { auth } } }),
    { runnerTemp: r.runnerTemp, keep: r.keep },
  );
  return { kind: 'containers', ...write };
}

export const containersFolder = (env: Env): string => dirname(containersAuthFiles(env).primary);
