// The image pipeline's door into the step (resolve the references, rewrite the files): nothing is loaded unless `images` or `rewrite` is set
// (the resolver, parsers and glob code live in a chunk of their own), and nothing here can fail
// the step: a failure is a warning and every reference stays where it was.
import { describeError } from '../common/errors.js';
import type { StepLogins } from '../docker/step-logins.js';
import { canonicalHost } from '../registry/names.js';
import type { PhaseTimer } from '../common/timings.js';
import type { NetworkSettings } from '../net/settings.js';
import type { ImagesSettings } from './settings.js';
import type { Runtime } from '../runner/runtime.js';
import type { ImageRow } from './rows.js';
import type { ImageOutputName } from './pipeline-run.js';

export interface PipelineDeps {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  logins: Pick<StepLogins, 'credentials'>;
  timing: PhaseTimer;
}

/** Resolves and rewrites, filling the image outputs in; the rows for the summary, if it ran. */
export async function runImagePipeline(
  images: ImagesSettings,
  network: NetworkSettings,
  outputs: Record<ImageOutputName | 'library-prefix', string>,
  deps: PipelineDeps,
): Promise<ImageRow[] | undefined> {
  if (images.images.length === 0 && images.rewrite.length === 0) return undefined;
  try {
    const { runPipeline } = await import('./pipeline-run.js');
    const { rows, ...values } = await deps.timing.time('image resolution', () =>
      runPipeline(images, {
        runtime: deps.runtime,
        env: deps.env,
        libraryPrefix: outputs['library-prefix'],
        credentials: (host) => deps.logins.credentials(canonicalHost(host)),
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
