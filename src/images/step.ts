// The image phase of the step (loaded only when `images` or `rewrite` is set): resolve, rewrite
// the workspace's files in place, print their diff, and hand back the outputs and summary rows.
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import { proxyAgents, proxyConfigured } from '../net/proxy.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { Runtime } from '../runner/runtime.js';
import { registryClients } from './clients.js';
import { findRewriteFiles } from './files.js';
import { changes, planMigration, unifiedDiff, type Migration } from './migrate.js';
import type { ImagesSettings } from './settings.js';
import { imageRows, type ImageRow } from './rows.js';

type Env = Record<string, string | undefined>;

export interface ImageStepContext {
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

/** The outputs the image phase fills in. */
export type ImageOutputName = 'images' | 'images-not-mirrored' | 'rewritten-files';

export type ImageStepResult = Record<ImageOutputName, string> & { rows: ImageRow[] };

const REQUEST_TIMEOUT_MS = 10_000;

export async function runImageStep(
  s: ImagesSettings,
  c: ImageStepContext,
): Promise<ImageStepResult> {
  const { runtime } = c;
  const warn = (message: string) => runtime.warning(message, 'Image resolution');
  const files = s.rewrite.length
    ? findRewriteFiles(s.rewrite, c.env.GITHUB_WORKSPACE || process.cwd(), warn)
    : [];
  const agent = proxyConfigured(c.env, c.httpProxy)
    ? proxyAgents(c.env, c.httpProxy, REQUEST_TIMEOUT_MS).https
    : new https.Agent({ keepAlive: true });
  const clientFor = registryClients({
    credentials: c.credentials,
    timeoutMs: REQUEST_TIMEOUT_MS,
    agent: () => agent,
    onToken: runtime.setSecret,
  });
  const migration = await planMigration(s.images, files, {
    libraryPrefix: c.libraryPrefix,
    verifyDigest: s.verifyDigest,
    clientFor,
    maxAttempts: c.retryMaxAttempts,
    boundMs: c.timeoutSeconds * 1000,
    warn,
  });
  agent.destroy();
  const rewritten = await writeFiles(migration, runtime);
  return {
    images: JSON.stringify(
      Object.fromEntries(s.images.map((i) => [i, migration.resolutions.get(i)?.pull ?? i])),
    ),
    'images-not-mirrored': JSON.stringify(
      [...migration.resolutions]
        .filter(([, r]) => r.reason)
        .map(([reference, r]) => ({ reference, reason: r.reason })),
    ),
    'rewritten-files': JSON.stringify(rewritten),
    rows: imageRows(s.images, migration),
  };
}

/** Writes each changed file and prints its diff in one log group; a failed write is a warning. */
async function writeFiles(migration: Migration, runtime: Runtime): Promise<string[]> {
  const changed = migration.files.filter((f) => changes(f));
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
