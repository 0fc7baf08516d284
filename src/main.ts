// The main step: inputs → AWS login to the target, ECR Public or a pull-through cache
// (OIDC → STS → token → docker login) → fallback → outputs.
import { getRegistryPassword, type RegistryPassword } from './aws/registry-password.js';
import { describeError } from './common/errors.js';
import type { Exec } from './runner/exec.js';
import { outcome, shouldUseFallback } from './outcome.js';
import { maskSecretInputs, parseInputs, type Settings } from './runner/inputs.js';
import { computeOutputs } from './runner/outputs.js';
import type { Runtime } from './runner/runtime.js';
import { openStepLogins, type StepLogins } from './docker/step-logins.js';
import { resolveImages } from './images/phase.js';
import { startDockerMirror, type MirrorHost } from './mirror/setup.js';
import { stepSummary, type StepStory } from './report/summary.js';
import { Timings, type PhaseTimer } from './common/timings.js';

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

/** The least time a docker login gets, however little of the deadline is left. */
const MIN_DOCKER_LOGIN_MS = 5_000;

export async function runMain(deps: MainDeps): Promise<number> {
  const { runtime } = deps;
  const step = prepare(deps);
  if (!step) return 1;
  const { settings, logins, sdk } = step;
  const timing = new Timings();

  // The target (ECR Public or a pull-through cache) decides the host and the password source.
  const aws = await attempt(() => loginWithAws(settings, logins, sdk, { ...deps, timing }));
  const dockerMirror = await mirrorIfAsked(settings, aws.value, deps);
  const fallbackError = await loginToFallback(settings, logins, aws.error, runtime, timing);

  const result = outcome({
    fallback: settings.fallback,
    ecrError: aws.error,
    fallbackError,
    label: settings.target.label,
  });
  const outputs = computeOutputs({
    target: settings.target,
    loggedIn: logins.loggedIn(),
    ecrExpiresAt: aws.value?.expiresAt,
    fallbackUsed: result.ok && result.fallbackUsed,
    dockerMirror,
    fallbackLibraryPrefix: settings.images.fallbackLibraryPrefix,
  });
  const images = result.ok
    ? await resolveImages(settings, outputs, { runtime, env: deps.env, logins, timing })
    : undefined;
  for (const [name, value] of Object.entries(outputs)) runtime.setOutput(name, value);
  report(runtime, {
    outputs,
    ecrVia: aws.value?.via,
    ecrError: aws.error,
    timings: timing.entries(),
    images,
  });
  if (!result.ok) {
    runtime.error(result.reasons.join('\n\n'), 'Registry login failed');
    return 1;
  }
  return 0;
}

/** Masks and checks the inputs, starts loading the SDK and opens the step's logins; undefined (reported) on failure. */
function prepare(deps: MainDeps) {
  const { runtime } = deps;
  maskSecretInputs(runtime.getInput, runtime.setSecret);
  let settings: Settings;
  try {
    settings = parseInputs(runtime.getInput);
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
    return { settings, sdk, logins: openStepLogins(settings, deps) };
  } catch (error) {
    runtime.error(describeError(error), 'Registry login failed');
    return undefined;
  }
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** docker-mirror after a good login with AWS; without one, a notice that there is no mirror. */
async function mirrorIfAsked(
  settings: Settings,
  login: RegistryPassword | undefined,
  deps: MainDeps,
) {
  if (!settings.dockerMirror) return undefined;
  if (!login || !deps.mirror) {
    deps.runtime.notice(
      `docker-mirror is not active: ${login ? 'this runtime has no mirror bundle' : `the ${settings.target.host} login failed`}, so docker pulls Docker official images from Docker Hub as usual.`,
    );
    return undefined;
  }
  return startDockerMirror(settings.target, login, { ...deps, ...deps.mirror });
}

/** The AWS path: the target's password within the deadline, then docker login; returns the login. */
function loginWithAws(
  settings: Settings,
  logins: StepLogins,
  sdk: Promise<AwsSdk>,
  deps: MainDeps & { timing: PhaseTimer },
): Promise<RegistryPassword> {
  const { runtime, env } = deps;
  const now = deps.now ?? Date.now;
  const deadline = now() + settings.timeoutSeconds * 1000;
  const { host } = settings.target;
  return runtime.group(`Log in to ${host}`, async () => {
    const login = await getRegistryPassword(settings, {
      sdk,
      env,
      runtime,
      deadline,
      sleep: deps.sleep,
      timing: deps.timing,
    });
    // Not raced against the deadline: a docker login that has started is waited for (or killed
    // at its own time-out), so no login can land after the step has moved on.
    await deps.timing.time('docker login', () =>
      logins.login(
        host,
        login.username,
        login.password,
        Math.max(MIN_DOCKER_LOGIN_MS, deadline - now()),
      ),
    );
    runtime.info(
      `Logged in to ${host} with ${login.via}; the token expires at ${login.expiresAt?.toISOString() ?? 'an unknown time'}.`,
    );
    return login;
  });
}

/** Logs in to the fallback registry when the mode asks for it; returns why it failed, if it did. */
async function loginToFallback(
  settings: Settings,
  logins: StepLogins,
  ecrError: string | undefined,
  runtime: Runtime,
  timing: PhaseTimer,
): Promise<string | undefined> {
  const fallback = settings.fallback;
  if (!fallback || !shouldUseFallback(fallback, Boolean(ecrError))) return undefined;
  if (ecrError) {
    runtime.warning(
      `${settings.target.label} login failed, so this step logs in to ${fallback.registry} instead. ${ecrError}`,
      `${settings.target.label} login failed`,
    );
  }
  const { error } = await attempt(() =>
    runtime.group(`Log in to ${fallback.registry} (fallback)`, async () => {
      await timing.time('docker login', () =>
        logins.login(
          fallback.registry,
          fallback.username,
          fallback.token,
          settings.timeoutSeconds * 1000,
        ),
      );
      runtime.info(`Logged in to ${fallback.registry} as ${fallback.username}.`);
    }),
  );
  return error;
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
