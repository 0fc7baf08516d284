// The main step: inputs → log in to the target (ECR Public or a pull-through cache) → the
// fallback target when needed → the engines' mirrors → outputs, image resolution and the summary.
// Which kind each target is, and how its password is had, is the target's business (targets/);
// the order of the logins is logins.ts's.
import { describeError } from './common/errors.js';
import { Timings } from './common/timings.js';
import { runImagePipeline } from './images/pipeline.js';
import { attempt, beginMirrorsSoon, logInAll, openLoginsSoon, type LogIns } from './logins.js';
import { outcome } from './outcome.js';
import { computeOutputs, pullsRemaining } from './report/outputs.js';
// Bundled, not loaded lazily: 2.5 kB to compile costs less than an import() at the step's end.
import { stepSummary, type LoginLine, type StepStory } from './report/summary.js';
import { maskSecretInputs } from './runner/input-reader.js';
import type { Runtime } from './runner/runtime.js';
import { parseSettings, type Settings } from './settings.js';
import type { MainDeps, OpenedLogins, Step } from './step.js';
import type { LoginTarget, RegistryCredential } from './targets/target.js';

export type { MainDeps };

export async function runMain(deps: MainDeps): Promise<number> {
  const prepared = prepare(deps);
  if (!prepared) return 1;
  const timings = new Timings();
  const step: Step = { ...deps, ...prepared, timing: timings };
  const { settings, runtime } = step;

  const logins = await logInAll(step);
  const opened = await attempt(() => step.opened);
  const { first, fallback } = logins;
  const result = outcome({
    fallback: settings.fallback,
    targetError: first.error,
    fallbackError: fallback?.error,
    label: settings.target.label,
  });
  const outputs = outputsOf(step, logins, opened.value, result.ok && result.fallbackUsed);
  const images =
    result.ok && opened.value
      ? await runImagePipeline(settings.images, settings.network, outputs, {
          ...step,
          logins: opened.value.logins,
        })
      : undefined;
  // Awaited last, so whatever is left of its few seconds overlaps the work above.
  const pullLimit = await (await logins.limits?.catch(() => undefined))?.report();
  outputs['docker-hub-pulls-remaining'] = pullsRemaining(pullLimit);
  runtime.setOutputs(outputs);
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
function outputsOf(
  step: Step,
  logins: LogIns,
  opened: OpenedLogins | undefined,
  fallbackUsed: boolean,
) {
  const { settings } = step;
  return computeOutputs({
    target: settings.target,
    fallback: settings.fallback?.target,
    loggedIn: opened?.logins.loggedIn() ?? [],
    expiresAt: logins.first.value?.expiresAt,
    fallbackUsed,
    mirrors: logins.mirrors,
    clients: opened?.logins.clients() ?? [],
  });
}

/** Masks and checks the inputs; then, on the next turn, where the logins go. */
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
  // One turn of the event loop from now, after the OIDC request has been sent: docker-mirror's
  // process (its node start-up is the longest of these) and the docker and clients code then
  // overlap its round trip. The SDK loads only when a login's AWS calls go through it
  // (aws/direct-rule decides).
  const mirrors = beginMirrorsSoon(settings, deps);
  for (const note of settings.notes) runtime.warning(note);
  return { settings, opened: openLoginsSoon(settings, deps), mirrors };
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

/** The log line and the step summary, when there is something to say. */
function report(runtime: Runtime, story: StepStory): void {
  const o = story.outputs;
  if (!o.registries) return;
  const pulls = o['library-prefix']
    ? `; pull official images as ${o['library-prefix']}/<image>`
    : '';
  runtime.info(`Logged in to ${o.registries.split(',').join(' and ')}${pulls}.`);
  runtime.appendSummary(stepSummary(story));
}
