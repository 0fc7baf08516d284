// Every `with:` value, read and checked before any network call into one typed Settings, or one
// InputError naming every problem. Each feature parses its own inputs; this module only composes
// them, and only main.ts imports it.
import { parseAwsSettings, type AwsSettings } from './aws/settings.js';
import { InputError } from './common/errors.js';
import type { LoginSettings } from './docker/step-logins.js';
import { parseMirrorSettings, type MirrorSettings } from './engines/settings.js';
import { parseImagesSettings, type ImagesSettings } from './images/settings.js';
import { parseNetworkSettings, type NetworkSettings } from './net/settings.js';
import { InputReader, type GetInput } from './runner/input-reader.js';
import { parseFallback, parseTarget } from './targets/kinds.js';
import type { FallbackSettings, LoginTarget } from './targets/target.js';

type Env = Record<string, string | undefined>;

export interface Settings {
  /** Where to log in with AWS: ECR Public or an ECR pull-through cache. */
  target: LoginTarget;
  fallback?: FallbackSettings;
  aws: AwsSettings;
  network: NetworkSettings;
  logins: LoginSettings;
  /** Which engines pull Docker official images through the login (`mirror`, `docker-mirror`). */
  mirror: MirrorSettings;
  images: ImagesSettings;
  /** Report Docker Hub's pull limit and what is left of it (beside the login, never delaying it). */
  dockerHubLimit: boolean;
  /** Non-fatal remarks about the inputs, shown as warnings. */
  notes: string[];
}

/** Reads every input, reporting all problems together; secret values are never echoed. */
export function parseSettings(getInput: GetInput, env: Env = {}): Settings {
  const inputs = new InputReader(getInput);
  const settings: Settings = {
    target: parseTarget(inputs),
    aws: parseAwsSettings(inputs),
    network: parseNetworkSettings(inputs),
    fallback: parseFallback(inputs, env),
    logins: {
      logout: inputs.boolean('logout'),
      dockerConfig: inputs.choice('docker-config', ['shared', 'isolated'] as const),
    },
    mirror: parseMirrorSettings(inputs),
    dockerHubLimit: inputs.boolean('docker-hub-limit'),
    images: parseImagesSettings(inputs),
    notes: inputs.notes,
  };
  if (inputs.problems.length > 0) throw new InputError(inputs.problems);
  return settings;
}
