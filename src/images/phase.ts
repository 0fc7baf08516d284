// Wires the image phase into the step: nothing is loaded unless `images` or `rewrite` is set
// (the resolver, parsers and glob code live in a chunk of their own), and nothing here can fail
// the step: a failure is a warning and every reference stays where it was.
import { describeError } from '../common/errors.js';
import type { StepLogins } from '../docker/step-logins.js';
import { DOCKER_HUB } from '../registry/names.js';
import type { PhaseTimer } from '../common/timings.js';
import type { NetworkSettings } from '../net/settings.js';
import type { ImagesSettings } from './settings.js';
import type { Runtime } from '../runner/runtime.js';
import type { ImageRow } from './rows.js';
import type { ImageOutputName } from './step.js';

export interface ImagePhaseDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  logins: Pick<StepLogins, 'credentials'>;
  timing: PhaseTimer;
}

/** Resolves and rewrites, filling the image outputs in; the rows for the summary, if it ran. */
export async function resolveImages(
  images: ImagesSettings,
  network: NetworkSettings,
  outputs: Record<ImageOutputName | 'library-prefix', string>,
  deps: ImagePhaseDeps,
): Promise<ImageRow[] | undefined> {
  if (images.images.length === 0 && images.rewrite.length === 0) return undefined;
  try {
    const { runImageStep } = await import('./step.js');
    const { rows, ...values } = await deps.timing.time('image resolution', () =>
      runImageStep(images, {
        runtime: deps.runtime,
        env: deps.env,
        libraryPrefix: outputs['library-prefix'],
        credentials: (host) =>
          deps.logins.credentials(host === 'registry-1.docker.io' ? DOCKER_HUB : host),
        httpProxy: network.httpProxy,
        retryMaxAttempts: network.retryMaxAttempts,
        timeoutSeconds: network.timeoutSeconds,
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
