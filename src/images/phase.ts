// Wires the image phase into the step: nothing is loaded unless `images` or `rewrite` is set
// (the resolver, parsers and glob code live in a chunk of their own), and nothing here can fail
// the step: a failure is a warning and every reference stays where it was.
import { describeError } from '../errors.js';
import type { StepLogins } from '../docker/step-logins.js';
import { DOCKER_HUB } from '../docker/registries.js';
import type { PhaseTimer } from '../report/timings.js';
import type { Settings } from '../runner/inputs.js';
import type { Outputs } from '../runner/outputs.js';
import type { Runtime } from '../runner/runtime.js';
import type { ImageRow } from './rows.js';

export interface ImagePhaseDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  logins: Pick<StepLogins, 'credentials'>;
  timing: PhaseTimer;
}

/** Resolves and rewrites, filling the image outputs in; the rows for the summary, if it ran. */
export async function resolveImages(
  settings: Settings,
  outputs: Outputs,
  deps: ImagePhaseDeps,
): Promise<ImageRow[] | undefined> {
  if (settings.images.images.length === 0 && settings.images.rewrite.length === 0) return undefined;
  try {
    const { runImageStep } = await import('./step.js');
    const { rows, ...values } = await deps.timing.time('image resolution', () =>
      runImageStep(settings.images, {
        runtime: deps.runtime,
        env: deps.env,
        libraryPrefix: outputs['library-prefix'],
        credentials: (host) =>
          deps.logins.credentials(host === 'registry-1.docker.io' ? DOCKER_HUB : host),
        httpProxy: settings.httpProxy,
        retryMaxAttempts: settings.retryMaxAttempts,
        timeoutSeconds: settings.timeoutSeconds,
      }),
    );
    Object.assign(outputs, values);
    return rows;
  } catch (error) {
    deps.runtime.warning(
      `Image resolution failed (${describeError(error)}); no file was rewritten and every image stays where it was.`,
      'Image resolution',
    );
    return undefined;
  }
}
