// One registry login for every client on the runner: docker's config (by `docker login`, or
// written directly after an in-process check when direct-rule.ts says that is the same), then the
// containers clients' own file when docker's config would not serve them. Returns post's record.
import type http from 'node:http';
import { authKey, readConfig } from '../docker/config-file.js';
import { loginToRegistry, type RegistryLoginRequest } from '../docker/login.js';
import type { Exec } from '../runner/exec.js';
import type { LoginRecord } from '../runner/state.js';
import { knownChallenge } from '../registry/challenge.js';
import { checkCredential } from './check.js';
import { containersNeed, writeContainersLogin } from './containers.js';
import { configuredHelper, directVerdict } from './direct-rule.js';
import { writeDockerLogin } from './docker.js';
import { CLIENT_KINDS, presentPrograms } from './kinds.js';

type Env = Record<string, string | undefined>;

export interface ClientsDeps {
  exec: Exec;
  env: Env;
  log: { warning: (m: string) => void; debug: (m: string) => void; setSecret: (s: string) => void };
  /** The agent for the in-process check (a connection opened ahead, or the proxy's). */
  agentFor: (host: string) => http.Agent | undefined;
  /** The docker CLI on PATH, if any, and its version as read from the binary. */
  docker?: { path: string; version?: string };
  /** Tests only: where the registry answers (`http://127.0.0.1:port`). */
  origin?: (registry: string) => string | undefined;
}

export interface ClientLoginRequest extends RegistryLoginRequest {
  /** Post will undo (`logout: true`): keep copies of what is replaced. */
  logout: boolean;
}

type DockerSide = { record: LoginRecord; plainInline: boolean };
type ClientsFound = { kind: (typeof CLIENT_KINDS)[number]; found: string[] }[];

const clientsFound = (d: ClientsDeps): ClientsFound =>
  CLIENT_KINDS.map((kind) => ({ kind, found: presentPrograms(kind, d.env) }));

export async function loginClients(r: ClientLoginRequest, d: ClientsDeps): Promise<LoginRecord> {
  const docker = dockerSide(r, d);
  // PATH is searched (some 60 lookups) on the next turn, once the check's request is out.
  const found = new Promise<ClientsFound>((resolve) =>
    setImmediate(() => resolve(clientsFound(d))),
  );
  const { record, plainInline } = await docker;
  const present = await found;
  const containers = present.find((p) => p.kind.name === 'containers')!;
  if (containers.found.length) {
    const need = containersNeed(r.registry, plainInline, d.env);
    if (need) {
      d.log.debug(`${containers.found.join(', ')}: own entry for ${r.registry} (${need}).`);
      const write = writeContainersLogin({ ...r, keep: r.logout });
      record.writes = [...(record.writes ?? []), write];
    }
  }
  record.clients = present.flatMap((p) => p.found);
  return record;
}

async function dockerSide(r: ClientLoginRequest, d: ClientsDeps): Promise<DockerSide> {
  const key = authKey(r.registry);
  const config = readConfig(r.configDir); // an unreadable config stops here, as before
  if (d.docker) {
    const verdict = directVerdict({
      cliVersion: d.docker.version,
      config,
      key,
      registry: r.registry,
      env: d.env,
    });
    if (!verdict.direct) {
      d.log.debug(`${r.registry}: docker login (${verdict.why}).`);
      return viaCli(r, d);
    }
  }
  const origin = d.origin?.(r.registry); // tests only: a loopback registry, no known challenge
  const checked = await checkCredential({
    ...r,
    agent: d.agentFor(r.registry),
    onToken: d.log.setSecret,
    origin,
    challenge: origin ? undefined : knownChallenge(r.registry),
  });
  // docker would store the refresh token as identitytoken: not the same as our entry.
  if (checked.refreshToken && d.docker) return viaCli(r, d);
  return direct(r, d);
}

async function direct(r: ClientLoginRequest, d: ClientsDeps, helperFailed?: string) {
  const written = await writeDockerLogin({
    ...r,
    keep: r.restoreLater,
    exec: d.exec,
    warn: d.log.warning,
    helperFailed,
  });
  d.log.debug(
    `${r.registry}: written to ${r.configDir} directly${d.docker ? '' : ' (no docker CLI)'}.`,
  );
  const record: LoginRecord = {
    registry: r.registry,
    configDir: r.configDir,
    fingerprint: written.fingerprint,
    direct: true,
    writes: written.writes,
    helper: written.helper,
  };
  return { record, plainInline: written.plainInline };
}

/** `docker login`; when only its credential helper failed, the login goes to the file instead. */
async function viaCli(r: ClientLoginRequest, d: ClientsDeps): Promise<DockerSide> {
  let record: LoginRecord;
  try {
    record = await loginToRegistry(d.exec, r);
  } catch (error) {
    // The registry accepted the credential; only storing it failed (WinCred's 2,560 bytes).
    if (!(error instanceof Error) || !/could not store the login/.test(error.message)) throw error;
    return direct(r, d, error.message);
  }
  const after = readConfig(r.configDir);
  const key = authKey(r.registry);
  const plainInline =
    Boolean(after.auths?.[key]?.auth) && !configuredHelper(after, key, r.registry);
  return { record, plainInline };
}
