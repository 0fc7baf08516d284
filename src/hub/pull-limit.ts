// Docker Hub's pull limit (`docker-hub-limit`), the way Docker documents the check: a token for
// ratelimitpreview/test, then a HEAD of its manifest (a HEAD is not a pull), read from the
// `ratelimit-limit` / `ratelimit-remaining` headers. No headers means not limited. It runs beside
// the login, is bounded, and never fails the step: a failure is a debug line.
import type http from 'node:http';
import { describeError } from '../common/errors.js';
import { proxyAgents, proxyConfigured, proxyEnvProblem } from '../net/proxy.js';
import type { NetworkSettings } from '../net/settings.js';
import { MANIFEST_TYPES, RegistryClient, type RegistryCredentials } from '../registry/client.js';

export const CHECK_REPOSITORY = 'ratelimitpreview/test';
/** Where the check goes; tests point it at loopback servers. */
export interface HubOrigins {
  registry: string;
  /** The token service's realm (a full URL). */
  realm: string;
}
export const DOCKER_HUB_ORIGINS: HubOrigins = {
  registry: 'https://registry-1.docker.io',
  realm: 'https://auth.docker.io/token',
};
/** The whole check, token and HEAD: about two round trips, never more than this (the step waits
 * for it at its end only when it is still out, so a slow Docker Hub costs at most this much). */
export const CHECK_BUDGET_MS = 3_000;

export interface PullLimit {
  /** Whose pulls: `anonymous` (this runner's address) or the account name. */
  account: string;
  /** Undefined when the answer had no headers: not limited. */
  limit?: number;
  remaining?: number;
  windowSeconds?: number;
}

export interface PullLimitDeps {
  /** The agent for https (proxy-aware), when a proxy is configured. */
  agent?: http.Agent;
  setSecret: (value: string) => void;
  debug: (message: string) => void;
  origins?: HubOrigins;
  budgetMs?: number;
}

/** One check, anonymous or with credentials; rejects on any failure or after the budget. */
export async function checkPullLimit(
  credentials: RegistryCredentials | undefined,
  deps: PullLimitDeps,
): Promise<PullLimit> {
  const origins = deps.origins ?? DOCKER_HUB_ORIGINS;
  const budget = deps.budgetMs ?? CHECK_BUDGET_MS;
  const client = new RegistryClient({
    origin: origins.registry,
    credentials,
    timeoutMs: budget,
    agent: deps.agent,
    // Known in advance: no first 401 round trip.
    challenge: {
      scheme: 'bearer',
      params: { realm: origins.realm, service: 'registry.docker.io' },
    },
    onToken: deps.setSecret,
  });
  const head = client.request({
    method: 'HEAD',
    path: `/v2/${CHECK_REPOSITORY}/manifests/latest`,
    repository: CHECK_REPOSITORY,
    accept: MANIFEST_TYPES,
    signal: AbortSignal.timeout(budget),
  });
  const response = await withinBudget(head, budget);
  response.resume();
  if (response.statusCode !== 200) {
    throw new Error(`the check's manifest HEAD answered HTTP ${response.statusCode}`);
  }
  return { account: credentials?.username ?? 'anonymous', ...readLimit(response.headers) };
}

/** `100;w=21600` → 100 and the window; absent headers → not limited. */
export function readLimit(headers: http.IncomingHttpHeaders): Omit<PullLimit, 'account'> {
  const first = (name: string) => [headers[name]].flat()[0] ?? '';
  const count = (value: string) => (/^\s*(\d+)/.exec(value) ? parseInt(value, 10) : undefined);
  const limit = count(first('ratelimit-limit'));
  const window = /;\s*w=(\d+)/.exec(first('ratelimit-limit'));
  if (limit === undefined) return {};
  return {
    limit,
    remaining: count(first('ratelimit-remaining')),
    windowSeconds: window ? Number(window[1]) : undefined,
  };
}

function withinBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What the step reports: the anonymous check, and the account's when the fallback logged in. */
export interface PullLimitReport {
  anonymous?: PullLimit;
  /** Set when the fallback logged in to Docker Hub: its pulls now count against this account. */
  account?: { name: string; limit?: PullLimit };
}

/** The checks of one step: anonymous from the start, the account's once it has logged in. */
export class PullLimitChecks {
  private readonly anonymous: Promise<PullLimit | undefined>;
  private account?: { name: string; limit: Promise<PullLimit | undefined> };

  constructor(private readonly deps: PullLimitDeps) {
    // One turn later: the login's own requests go out first.
    const later = new Promise((resolve) => setImmediate(resolve));
    this.anonymous = this.quietly(
      later.then(() => checkPullLimit(undefined, deps)),
      'anonymous',
    );
  }

  withAccount(credentials: RegistryCredentials): void {
    const limit = this.quietly(checkPullLimit(credentials, this.deps), credentials.username);
    this.account = { name: credentials.username, limit };
  }

  async report(): Promise<PullLimitReport> {
    const [anonymous, limit] = await Promise.all([this.anonymous, this.account?.limit]);
    return { anonymous, account: this.account && { name: this.account.name, limit } };
  }

  private quietly(check: Promise<PullLimit>, who: string): Promise<PullLimit | undefined> {
    return check.then(
      (found) => {
        this.deps.debug(`Docker Hub pull limit (${who}): ${JSON.stringify(found)}`);
        return found;
      },
      (error: unknown) => {
        this.deps.debug(`Docker Hub pull limit check (${who}) failed: ${describeError(error)}`);
        return undefined;
      },
    );
  }
}

type Env = Record<string, string | undefined>;

/** The step's checks over its proxy settings; undefined (a debug line) when the proxy is unusable. */
export function startPullLimitChecks(
  network: NetworkSettings,
  env: Env,
  deps: Omit<PullLimitDeps, 'agent'>,
): PullLimitChecks | undefined {
  const problem = proxyEnvProblem(env, network.httpProxy);
  if (problem) {
    deps.debug(`Docker Hub pull limit not checked: ${problem}`);
    return undefined;
  }
  const agent = proxyConfigured(env, network.httpProxy)
    ? proxyAgents(env, network.httpProxy, CHECK_BUDGET_MS).https
    : undefined;
  return new PullLimitChecks({ ...deps, agent });
}
