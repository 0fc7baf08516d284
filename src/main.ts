// The main step: inputs → log in to the target (ECR Public or a pull-through cache) → the
// fallback target when needed → docker-mirror → outputs, image resolution and the summary.
// Which kind each target is, and how its password is had, is the target's business (targets/).
import { describeError } from './common/errors.js';
import { Timings, type PhaseTimer } from './common/timings.js';
import type { StepLogins } from './docker/step-logins.js';
import { resolveImages } from './images/phase.js';
import type { EarlyMirror, MirrorHost } from './mirror/setup.js';
import { outcome, shouldUseFallback } from './outcome.js';
import { computeOutputs } from './report/outputs.js';
import type { LoginLine, StepStory } from './report/summary.js';
import type { Exec } from './runner/exec.js';
import { maskSecretInputs } from './runner/input-reader.js';
import type { Runtime } from './runner/runtime.js';
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
  /** Where the mirror bundle is and how to reach root (docker-mirror). */
  mirror?: MirrorHost;
}

/** What one login needs besides its target. */
interface Step extends MainDeps {
  settings: Settings;
  /** Opened once the first request is out (docker/ loads and checks the config folder then). */
  logins: Promise<StepLogins>;
  sdk: Promise<AwsSdk>;
  /** docker-mirror's process, spawned while the credential is fetched. */
  earlyMirror: Promise<EarlyMirror | undefined>;
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

  const firstTry = attempt(() => logIn(settings.target, step));
  const logins = await attempt(() => step.logins);
  if (!logins.value) {
    await firstTry; // it fails too (no logins to use); nothing is left running
    runtime.error(logins.error ?? '', 'Registry login failed');
    return 1;
  }
  const first = await firstTry;
  const dockerMirror = await mirrorIfAsked(settings, first.value, deps, await step.earlyMirror);
  const fallback = await fallbackIfAsked(first.error, step);
  const result = outcome({
    fallback: settings.fallback,
    targetError: first.error,
    fallbackError: fallback?.error,
    label: settings.target.label,
  });
  const outputs = computeOutputs({
    target: settings.target,
    fallback: settings.fallback?.target,
    loggedIn: logins.value.loggedIn(),
    expiresAt: first.value?.expiresAt,
    fallbackUsed: result.ok && result.fallbackUsed,
    dockerMirror,
  });
  const images = result.ok
    ? await resolveImages(settings.images, settings.network, outputs, {
        ...step,
        logins: logins.value,
        timing: timings,
      })
    : undefined;
  for (const [name, value] of Object.entries(outputs)) runtime.setOutput(name, value);
  await report(runtime, {
    outputs,
    logins: loginLines(settings, first.value, fallback?.value),
    targetFailure: first.error ? { label: settings.target.label, error: first.error } : undefined,
    timings: timings.entries(),
    images,
  });
  if (!result.ok) {
    runtime.error(result.reasons.join('\n\n'), 'Registry login failed');
    return 1;
  }
  return 0;
}

/** Masks and checks the inputs, then (next turn) loads the SDK and opens the step's logins; undefined (reported) on failure. */
function prepare(deps: MainDeps) {
  const { runtime } = deps;
  maskSecretInputs(runtime.getInput, runtime.setSecret);
  let settings: Settings;
  try {
    settings = parseSettings(runtime.getInput);
  } catch (error) {
    runtime.error(describeError(error), 'Invalid input');
    return undefined;
  }
  // One turn of the event loop from now the first request has been sent: loading the SDK (~40 ms
  // of compiling) and the docker code then overlaps its round trip instead of delaying it.
  const nextTurn = new Promise((resolve) => setImmediate(resolve));
  const sdk = nextTurn.then(deps.loadSdk);
  const logins = nextTurn
    .then(() => import('./docker/step-logins.js'))
    .then((m) => m.openStepLogins(settings.logins, deps));
  const { mirror } = deps;
  const earlyMirror = nextTurn.then(async () => {
    if (!settings.dockerMirror || !mirror) return undefined;
    const { spawnDockerMirror } = await import('./mirror/setup.js');
    return spawnDockerMirror(settings.target, { ...deps, ...mirror });
  });
  for (const pending of [sdk, logins, earlyMirror]) pending.catch(() => undefined);
  for (const note of settings.notes) runtime.warning(note);
  return { settings, sdk, logins, earlyMirror };
}

async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** One target: its credential within the deadline, then the login; returns the credential. */
function logIn(target: LoginTarget, step: Step, note = ''): Promise<RegistryCredential> {
  const { runtime, settings } = step;
  const now = step.now ?? Date.now;
  const deadline = now() + settings.network.timeoutSeconds * 1000;
  return runtime.group(`Log in to ${target.host}${note}`, async () => {
    const credential = await target.credential({ ...step, ...settings, deadline });
    // Not raced against the deadline: a docker login that has started is waited for (or killed
    // at its own time-out), so no login can land after the step has moved on.
    const { username, password } = credential;
    const request = { registry: target.host, username, password, refusedFix: target.refusedFix };
    const timeoutMs = Math.max(MIN_DOCKER_LOGIN_MS, deadline - now());
    const logins = await step.logins;
    await step.timing.time('docker login', () => logins.login(request, timeoutMs));
    const expiry = credential.expiresAt
      ? `; the token expires at ${credential.expiresAt.toISOString()}`
      : '';
    runtime.info(`Logged in to ${target.host} with ${credential.via}${expiry}.`);
    return credential;
  });
}

/** The fallback target when the mode asks for it; undefined when it was not tried. */
async function fallbackIfAsked(targetError: string | undefined, step: Step) {
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
  return attempt(() => logIn(fallback.target, step, ' (fallback)'));
}

/** docker-mirror after a good first login; without one, a notice that there is no mirror. */
async function mirrorIfAsked(
  settings: Settings,
  login: RegistryCredential | undefined,
  deps: MainDeps,
  early?: EarlyMirror,
) {
  if (!settings.dockerMirror) return undefined;
  if (!login || !deps.mirror) {
    early?.process.cancel();
    deps.runtime.notice(
      `docker-mirror is not active: ${login ? 'this runtime has no mirror bundle' : `the ${settings.target.host} login failed`}, so docker pulls Docker official images from Docker Hub as usual.`,
    );
    return undefined;
  }
  const { startDockerMirror } = await import('./mirror/setup.js');
  return startDockerMirror(settings.target, login, { ...deps, ...deps.mirror }, early);
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

async function report(runtime: Runtime, story: StepStory): Promise<void> {
  const o = story.outputs;
  if (!o.registries) return;
  const pulls = o['library-prefix']
    ? `; pull official images as ${o['library-prefix']}/<image>`
    : '';
  runtime.info(`Logged in to ${o.registries.split(',').join(' and ')}${pulls}.`);
  const { stepSummary } = await import('./report/summary.js');
  runtime.appendSummary(stepSummary(story));
}
