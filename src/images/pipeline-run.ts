// The image pipeline itself (loaded only when `images` or `rewrite` is set): resolve, rewrite
// the workspace's files in place, print their diff, and hand back the outputs and summary rows.
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import { proxyAgents, proxyConfigured } from '../net/proxy.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { Runtime } from '../runner/runtime.js';
import { registryClients } from './clients.js';
import { findRewriteFiles } from './files.js';
import { changes, planRewrite, unifiedDiff, type RewritePlan } from './rewrite-plan.js';
import type { ImagesSettings } from './settings.js';
import { imageRows, type ImageRow } from './rows.js';

type Env = Record<string, string | undefined>;

export interface PipelineContext {
  runtime: Runtime;
  env: Env;
  libraryPrefix: string;
  /** Credentials the step logged in with, by registry host; none means anonymous. */
  credentials: (host: string) => RegistryCredentials | undefined;
  httpProxy: string;
  retryMaxAttempts: number;
  /** `timeout-seconds`: bounds the whole resolution too. */
  timeoutSeconds: number;
}

/** The outputs the image pipeline fills in. */
export type ImageOutputName = 'images' | 'images-not-mirrored' | 'rewritten-files';

export type PipelineResult = Record<ImageOutputName, string> & { rows: ImageRow[] };

const REQUEST_TIMEOUT_MS = 10_000;

export async function runPipeline(
  settings: ImagesSettings,
  context: PipelineContext,
): Promise<PipelineResult> {
  const { runtime } = context;
  const warn = (message: string) => runtime.warning(message, 'Image resolution');
  const files = settings.rewrite.length
    ? findRewriteFiles(settings.rewrite, context.env.GITHUB_WORKSPACE || process.cwd(), warn)
    : [];
  const agent = proxyConfigured(context.env, context.httpProxy)
    ? proxyAgents(context.env, context.httpProxy, REQUEST_TIMEOUT_MS).https
    : new https.Agent({ keepAlive: true });
  const clientFor = registryClients({
    credentials: context.credentials,
    timeoutMs: REQUEST_TIMEOUT_MS,
    agent: () => agent,
    onToken: runtime.setSecret,
  });
  const plan = await planRewrite(settings.images, files, {
    libraryPrefix: context.libraryPrefix,
    verifyDigest: settings.verifyDigest,
    clientFor,
    maxAttempts: context.retryMaxAttempts,
    boundMs: context.timeoutSeconds * 1000,
    warn,
  });
  agent.destroy();
  const rewritten = await writeFiles(plan, runtime);
  return {
    images: JSON.stringify(
      Object.fromEntries(settings.images.map((i) => [i, plan.resolutions.get(i)?.pull ?? i])),
    ),
    'images-not-mirrored': JSON.stringify(
      [...plan.resolutions]
        .filter(([, r]) => r.reason)
        .map(([reference, r]) => ({ reference, reason: r.reason })),
    ),
    'rewritten-files': JSON.stringify(rewritten),
    rows: imageRows(settings.images, plan),
  };
}

/** Writes each changed file and prints its diff in one log group; a failed write is a warning. */
async function writeFiles(plan: RewritePlan, runtime: Runtime): Promise<string[]> {
  const changed = plan.files.filter((f) => changes(f));
  if (changed.length === 0) return [];
  const written: string[] = [];
  await runtime.group(`Rewrote ${changed.length} file(s) to pull from the mirror`, async () => {
    for (const file of changed) {
      try {
        writeFileSync(file.path, file.after);
        written.push(file.relative);
        for (const line of unifiedDiff(file).split('\n')) runtime.info(line);
      } catch (error) {
        runtime.warning(
          `${file.relative} could not be rewritten (${String(error)}); it is left as it was.`,
        );
      }
    }
  });
  return written;
}
