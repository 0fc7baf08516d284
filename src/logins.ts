// The logins of one run: the target, the engines' mirrors begun beside it and set up after it,
// the fallback target when the mode asks, and docker-hub-limit's checks beside them. Everything
// the first request does not need (the clients and docker code, the engines, the pull-limit
// check) loads once it is out.
import { describeError } from './common/errors.js';
import type { BegunMirrors } from './engines/table.js';
import type { PullLimitChecks } from './hub/pull-limit.js';
import { shouldUseFallback } from './outcome.js';
import { DOCKER_HUB } from './registry/names.js';
import type { Settings } from './settings.js';
import type { MainDeps, OpenedLogins, Step } from './step.js';
import type { LoginTarget, RegistryCredential } from './targets/target.js';

export type Attempt<T> = { value?: T; error?: string };

/** The least time a docker login gets, however little of the deadline is left. */
const MIN_DOCKER_LOGIN_MS = 5_000;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** Where the logins go, opened on the next turn (after the first request is out). */
export function openLoginsSoon(settings: Settings, deps: MainDeps): Promise<OpenedLogins> {
  const opened = nextTurn()
    .then(() => import('./open-logins.js'))
    .then(({ openLogins }) => openLogins(settings, deps));
  opened.catch(() => undefined); // awaited by every login, and reported once by main
  return opened;
}

export type LogIns = Awaited<ReturnType<typeof logInAll>>;

/**
 * The target, docker-mirror, then the fallback when asked. With `fallback-mode: always` the
 * fallback's credential is asked for at once, beside the target's; `docker-hub-limit` checks too.
 */
export async function logInAll(step: Step) {
  const { settings } = step;
  // docker-mirror's process takes the credential while the registry checks it.
  const handOver = (credential: RegistryCredential) =>
    void step.mirrors?.then(
      (m) => m.handOver(credential),
      () => undefined,
    );
  const firstLogin = attempt(() => logIn(settings.target, step, '', undefined, handOver));
  const early = earlyFallbackCredential(step);
  const limits = settings.dockerHubLimit ? pullLimitChecks(step) : undefined;
  limits?.catch(() => undefined); // a check that cannot start is a debug line, not a failure
  const first = await firstLogin;
  const mirrors = await finishMirrors(step.mirrors, first.value, step);
  const fallback = await fallbackIfAsked(first.error, step, early);
  // Once the fallback is in, docker's Docker Hub pulls count against its account.
  if (fallback?.value && settings.fallback?.target.host === DOCKER_HUB) {
    (await limits?.catch(() => undefined))?.withAccount(fallback.value);
  }
  return { first, fallback, mirrors, limits };
}

/** `docker-hub-limit`: its code (and the registry client's http stack) loads after the first request. */
async function pullLimitChecks(step: Step): Promise<PullLimitChecks | undefined> {
  const { runtime } = step;
  await nextTurn();
  const { startPullLimitChecks } = await import('./hub/pull-limit.js');
  return startPullLimitChecks(step.settings.network, step.env, {
    setSecret: runtime.setSecret,
    debug: runtime.debug,
    origins: step.dockerHub,
  });
}

/** `fallback-mode: always`: the fallback's credential, started beside the target's login. */
function earlyFallbackCredential(step: Step): Promise<RegistryCredential> | undefined {
  const fallback = step.settings.fallback;
  if (fallback?.mode !== 'always') return undefined;
  // One turn later, so the target's own OIDC request goes out first, undisturbed.
  const early = nextTurn().then(() => fallback.target.credential(credentialDeps(step)));
  early.catch(() => undefined); // awaited by the fallback's login
  return early;
}

/** What a target's credential may use, with the deadline counted from now. */
function credentialDeps(step: Step) {
  const now = step.now ?? Date.now;
  const deadline = now() + step.settings.network.timeoutSeconds * 1000;
  return { ...step, ...step.settings, deadline };
}

/**
 * One target: its credential within the deadline (or the one already asked for), then the login;
 * `onCredential` sees the credential before the login checks it.
 */
function logIn(
  target: LoginTarget,
  step: Step,
  note = '',
  asked?: Promise<RegistryCredential>,
  onCredential?: (credential: RegistryCredential) => void,
): Promise<RegistryCredential> {
  const { runtime } = step;
  const now = step.now ?? Date.now;
  const deps = credentialDeps(step);
  const deadline = deps.deadline;
  return runtime.group(`Log in to ${target.host}${note}`, async () => {
    const pending = asked ?? target.credential(deps);
    pending.catch(() => undefined); // awaited below, or waited out when the logins cannot open
    // Opened once the first request is out; if that fails, nothing is left running behind us.
    const { logins, clients } = await step.opened.catch(async (error: unknown) => {
      await pending.catch(() => undefined);
      throw error;
    });
    clients?.warm(target.host);
    const credential = await pending;
    onCredential?.(credential);
    // Not raced against the deadline: a docker login that has started is waited for (or killed
    // at its own time-out), so no login can land after the step has moved on.
    const { username, password } = credential;
    const request = { registry: target.host, username, password, refusedFix: target.refusedFix };
    const timeoutMs = Math.max(MIN_DOCKER_LOGIN_MS, deadline - now());
    await step.timing.time('docker login', () => logins.login(request, timeoutMs));
    const expiry = credential.expiresAt
      ? `; the token expires at ${credential.expiresAt.toISOString()}`
      : '';
    runtime.info(`Logged in to ${target.host} with ${credential.via}${expiry}.`);
    return credential;
  });
}

/** The fallback target when the mode asks for it; undefined when it was not tried. */
async function fallbackIfAsked(
  targetError: string | undefined,
  step: Step,
  early?: Promise<RegistryCredential>,
) {
  const { settings, runtime } = step;
  const fallback = settings.fallback;
  if (!fallback || !shouldUseFallback(fallback, Boolean(targetError))) return undefined;
  const { label } = settings.target;
  if (targetError) {
    runtime.warning(
      `${label} login failed, so this step logs in to ${fallback.target.host} instead. ${targetError}`,
      `${label} login failed`,
    );
  }
  return attempt(() => logIn(fallback.target, step, ' (fallback)', early));
}

/**
 * The `mirror` engines, begun one turn from now (after the first request is out), so
 * docker-mirror's process starts while the login is under way; finished after the first login.
 */
export function beginMirrorsSoon(
  settings: Settings,
  deps: MainDeps,
): Promise<BegunMirrors> | undefined {
  const { mirror, target } = settings;
  if (!mirror.auto && mirror.engines.length === 0) return undefined;
  const begun = nextTurn()
    .then(() => Promise.all([import('./engines/table.js'), import('./engines/deps.js')]))
    .then(([{ beginMirrors }, { engineDeps }]) => {
      const engines = { ...engineDeps(deps), dockerPort: mirror.dockerPort };
      return beginMirrors(mirror, { registry: target, prefix: target.libraryPrefix }, engines);
    });
  begun.catch(() => undefined); // awaited after the first login
  return begun;
}

/** The engines' set-up with the first login's credential (none when it failed: a notice says so). */
async function finishMirrors(
  begun: Promise<BegunMirrors> | undefined,
  login: RegistryCredential | undefined,
  step: Step,
): Promise<Partial<Record<string, string>>> {
  if (!begun) return {};
  const mirrors = await begun;
  return step.timing.time('mirror', () => mirrors.finish(login));
}
