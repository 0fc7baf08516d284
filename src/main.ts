// The main step: inputs → log in to the target (ECR Public or a pull-through cache) → the
// fallback target when needed → the engines' mirrors → outputs, image resolution and the summary.
// Which kind each target is, and how its password is had, is the target's business (targets/).
import { openClients, type ClientSession, type ClientsOptions } from './clients/session.js';
import { describeError } from './common/errors.js';
import { Timings, type PhaseTimer } from './common/timings.js';
import { openStepLogins, type StepLogins } from './docker/step-logins.js';
import {
  pullsRemaining,
  startPullLimitChecks,
  type HubOrigins,
  type PullLimitChecks,
} from './hub/pull-limit.js';
import { runImagePipeline } from './images/pipeline.js';
import type { EngineDeps } from './engines/engine.js';
import { engineDeps } from './engines/deps.js';
import { setUpMirrors } from './engines/table.js';
import type { MirrorHost } from './mirror/setup.js';
import { outcome, shouldUseFallback } from './outcome.js';
import { computeOutputs } from './report/outputs.js';
import { stepSummary, type LoginLine, type StepStory } from './report/summary.js';
import type { Exec } from './runner/exec.js';
import { maskSecretInputs } from './runner/input-reader.js';
import type { Runtime } from './runner/runtime.js';
import { DOCKER_HUB } from './registry/names.js';
import { parseSettings, type Settings } from './settings.js';
import type { LoginTarget, RegistryCredential } from './targets/target.js';

type Env = Record<string, string | undefined>;
type AwsSdk = typeof import('./aws/sdk.js');

export interface MainDeps {
  runtime: Runtime;
  env: Env;
  exec: Exec;
  loadSdk: () => Promise<AwsSdk>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the mirror bundle is and how to reach root (docker-mirror, containerd). */
  mirror?: MirrorHost;
  /** Where `docker-hub-limit` checks (tests); default Docker Hub. */
  dockerHub?: HubOrigins;
  /** The engines' files, PATH and job, replaced in tests. */
  engines?: Partial<EngineDeps>;
  /** Log every client in (clients/); absent: `docker login` only (tests with a fake docker). */
  clients?: ClientsOptions;
}

/** What one login needs besides its target. */
interface Step extends MainDeps {
  settings: Settings;
  logins: StepLogins;
  clients?: ClientSession;
  sdk: Promise<AwsSdk>;
  timing: PhaseTimer;
}

type Attempt<T> = { value?: T; error?: string };

/** The least time a docker login gets, however little of the deadline is left. */
const MIN_DOCKER_LOGIN_MS = 5_000;

export async function runMain(deps: MainDeps): Promise<number> {
  const prepared = prepare(deps);
  if (!prepared) return 1;
  const timings = new Timings();
  const step: Step = { ...deps, ...prepared, timing: timings };
  const { settings, runtime } = step;

  const logins = await logInAll(step);
  const { first, fallback } = logins;
  const result = outcome({
    fallback: settings.fallback,
    targetError: first.error,
    fallbackError: fallback?.error,
    label: settings.target.label,
  });
  const outputs = outputsOf(step, logins, result.ok && result.fallbackUsed);
  const images = result.ok
    ? await runImagePipeline(settings.images, settings.network, outputs, step)
    : undefined;
  // Awaited last, so whatever is left of its few seconds overlaps the work above.
  const pullLimit = await logins.limits?.report();
  outputs['docker-hub-pulls-remaining'] = pullsRemaining(pullLimit);
  for (const [name, value] of Object.entries(outputs)) runtime.setOutput(name, value);
  report(runtime, {
    outputs,
    logins: loginLines(settings, first.value, fallback?.value),
    targetFailure: first.error ? { label: settings.target.label, error: first.error } : undefined,
    timings: timings.entries(),
    images,
    pullLimit,
  });
  if (result.ok) return 0;
  runtime.error(result.reasons.join('\n\n'), 'Registry login failed');
  return 1;
}

/** The outputs of what was logged in and configured (images and the pull limit come later). */
function outputsOf(step: Step, logins: LogIns, fallbackUsed: boolean) {
  const { settings } = step;
  return computeOutputs({
    target: settings.target,
    fallback: settings.fallback?.target,
    loggedIn: step.logins.loggedIn(),
    expiresAt: logins.first.value?.expiresAt,
    fallbackUsed,
    mirrors: logins.mirrors,
    clients: step.logins.clients(),
  });
}

type LogIns = Awaited<ReturnType<typeof logInAll>>;

/**
 * The target, docker-mirror, then the fallback when asked. With `fallback-mode: always` the
 * fallback's credential is asked for at once, beside the target's; `docker-hub-limit` checks too.
 */
async function logInAll(step: Step) {
  const { settings } = step;
  const firstLogin = attempt(() => logIn(settings.target, step));
  const early = earlyFallbackCredential(step);
  const limits = settings.dockerHubLimit ? pullLimitChecks(step) : undefined;
  const first = await firstLogin;
  const mirrors = await mirrorsIfAsked(settings, first.value, step);
  const fallback = await fallbackIfAsked(first.error, step, early);
  // Once the fallback is in, docker's Docker Hub pulls count against its account.
  if (fallback?.value && settings.fallback?.target.host === DOCKER_HUB) {
    limits?.withAccount(fallback.value);
  }
  return { first, fallback, mirrors, limits };
}

function pullLimitChecks(step: Step): PullLimitChecks | undefined {
  const { runtime } = step;
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
  const early = new Promise((resolve) => setImmediate(resolve)).then(() =>
    fallback.target.credential(credentialDeps(step)),
  );
  early.catch(() => undefined); // awaited by the fallback's login
  return early;
}

/** What a target's credential may use, with the deadline counted from now. */
function credentialDeps(step: Step) {
  const now = step.now ?? Date.now;
  const deadline = now() + step.settings.network.timeoutSeconds * 1000;
  return { ...step, ...step.settings, deadline };
}

/** Masks and checks the inputs, starts loading the SDK and opens the step's logins; undefined (reported) on failure. */
function prepare(deps: MainDeps) {
  const { runtime } = deps;
  maskSecretInputs(runtime.getInput, runtime.setSecret);
  let settings: Settings;
  try {
    settings = parseSettings(runtime.getInput, deps.env);
  } catch (error) {
    runtime.error(describeError(error), 'Invalid input');
    return undefined;
  }
  // Load the SDK one turn of the event loop from now, after the OIDC request has been sent:
  // its ~40 ms of compiling then overlaps the round trip instead of delaying it.
  const sdk = new Promise((resolve) => setImmediate(resolve)).then(deps.loadSdk);
  sdk.catch(() => undefined);
  for (const note of settings.notes) runtime.warning(note);
  try {
    const clients = deps.clients
      ? openClients(deps.clients, { ...deps, httpProxy: settings.network.httpProxy })
      : undefined;
    const dockerPresent = Boolean(clients?.docker);
    const logins = openStepLogins(settings.logins, {
      ...deps,
      clients: clients && { login: (r) => clients.login(r), dockerPresent },
    });
    return { settings, sdk, logins, clients };
  } catch (error) {
    runtime.error(describeError(error), 'Registry login failed');
    return undefined;
  }
}

async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** One target: its credential within the deadline (or the one already asked for), then the login. */
function logIn(
  target: LoginTarget,
  step: Step,
  note = '',
  asked?: Promise<RegistryCredential>,
): Promise<RegistryCredential> {
  const { runtime } = step;
  const now = step.now ?? Date.now;
  const deps = credentialDeps(step);
  const deadline = deps.deadline;
  return runtime.group(`Log in to ${target.host}${note}`, async () => {
    const pending = asked ?? target.credential(deps);
    step.clients?.warm(target.host); // after the first request is out
    const credential = await pending;
    // Not raced against the deadline: a docker login that has started is waited for (or killed
    // at its own time-out), so no login can land after the step has moved on.
    const { username, password } = credential;
    const request = { registry: target.host, username, password, refusedFix: target.refusedFix };
    const timeoutMs = Math.max(MIN_DOCKER_LOGIN_MS, deadline - now());
    await step.timing.time('docker login', () => step.logins.login(request, timeoutMs));
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

/** The `mirror` engines after the first login (none without it: a notice says so). */
function mirrorsIfAsked(settings: Settings, login: RegistryCredential | undefined, step: Step) {
  const { mirror, target } = settings;
  if (!mirror.auto && mirror.engines.length === 0) return Promise.resolve({});
  const source = login && { registry: target, prefix: target.libraryPrefix, credentials: login };
  const why = { failedHost: target.host };
  const deps = { ...engineDeps(step), dockerPort: mirror.dockerPort };
  return step.timing.time('mirror', () => setUpMirrors(mirror, source, why, deps));
}

/** The summary's lines: each target that was logged in to, as it tells it. */
function loginLines(
  settings: Settings,
  first?: RegistryCredential,
  fallback?: RegistryCredential,
): LoginLine[] {
  const line = (target: LoginTarget, credential: RegistryCredential): LoginLine => ({
    host: target.host,
    via: credential.via,
    expiresAt: credential.expiresAt,
    libraryPrefix: target.libraryPrefix,
  });
  return [
    ...(first ? [line(settings.target, first)] : []),
    ...(fallback && settings.fallback ? [line(settings.fallback.target, fallback)] : []),
  ];
}

function report(runtime: Runtime, story: StepStory): void {
  const o = story.outputs;
  if (!o.registries) return;
  const pulls = o['library-prefix']
    ? `; pull official images as ${o['library-prefix']}/<image>`
    : '';
  runtime.info(`Logged in to ${o.registries.split(',').join(' and ')}${pulls}.`);
  runtime.appendSummary(stepSummary(story));
}
