// The step's client logins, opened once: is there a docker CLI (and which version), the agent the
// in-process check uses (its connection opened while the credential is fetched), and login().
import type http from 'node:http';
import { PreconnectingAgent } from '../net/preconnect.js';
import { proxyAgents, proxyConfigured } from '../net/proxy.js';
import { DOCKER_HUB, DOCKER_HUB_API_HOST } from '../registry/names.js';
import type { Exec } from '../runner/exec.js';
import type { Runtime } from '../runner/runtime.js';
import type { LoginRecord } from '../runner/state.js';
import { dockerCliVersion } from './cli-version.js';
import { loginClients, type ClientLoginRequest } from './login.js';
import { findOnPath } from './path.js';

type Env = Record<string, string | undefined>;

export interface DockerCli {
  path: string;
  version?: string;
}

/** What tests may set; in a real run both are found on the runner. */
export interface ClientsOptions {
  /** The docker CLI (null: none on PATH); found on PATH when absent. */
  docker?: DockerCli | null;
  /** Where a registry answers, for loopback tests. */
  origin?: (registry: string) => string | undefined;
}

export interface ClientSession {
  docker?: DockerCli;
  /** Opens the connection the check will use, while the credential is being fetched. */
  warm(registry: string): void;
  login(r: ClientLoginRequest): Promise<LoginRecord>;
}

const CHECK_TIMEOUT_MS = 10_000;

function findDocker(env: Env): DockerCli | undefined {
  const path = findOnPath('docker', env);
  return path ? { path, version: dockerCliVersion(path) } : undefined;
}

export function openClients(
  o: ClientsOptions,
  d: { exec: Exec; env: Env; runtime: Runtime; httpProxy: string },
): ClientSession {
  const docker = o.docker === null ? undefined : (o.docker ?? findDocker(d.env));
  const proxied = proxyConfigured(d.env, d.httpProxy);
  const agent: http.Agent = proxied
    ? proxyAgents(d.env, d.httpProxy, CHECK_TIMEOUT_MS).https
    : new PreconnectingAgent();
  const { runtime } = d;
  const log = {
    warning: (m: string) => runtime.warning(m),
    debug: (m: string) => runtime.debug(m),
    setSecret: (s: string) => runtime.setSecret(s),
  };
  return {
    docker,
    warm(registry) {
      if (agent instanceof PreconnectingAgent && !o.origin) {
        agent.preconnect(`https://${registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry}`);
      }
    },
    login: (r) =>
      loginClients(r, {
        ...d,
        log, // a loopback test registry speaks plain http: the default agent
        agentFor: (host) => (o.origin?.(host)?.startsWith('http:') ? undefined : agent),
        docker,
        origin: o.origin,
      }),
  };
}
