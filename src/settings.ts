// Every `with:` value, read and checked before any network call into one typed Settings, or one
// InputError naming every problem. Each feature parses its own inputs; this module only composes
// them, and only main.ts imports it.
import { parseAwsSettings, type AwsSettings } from './aws/settings.js';
import { InputError } from './common/errors.js';
import type { LoginSettings } from './docker/step-logins.js';
import { parseImagesSettings, type ImagesSettings } from './images/settings.js';
import { parseMirrorPort } from './mirror/settings.js';
import { parseNetworkSettings, type NetworkSettings } from './net/settings.js';
import { InputReader, type GetInput } from './runner/input-reader.js';
import { parseFallback, parseTarget } from './targets/kinds.js';
import type { FallbackSettings, LoginTarget } from './targets/target.js';

export interface Settings {
  /** Where to log in with AWS: ECR Public or an ECR pull-through cache. */
  target: LoginTarget;
  fallback?: FallbackSettings;
  aws: AwsSettings;
  network: NetworkSettings;
  logins: LoginSettings;
  /** Start a job-scoped registry mirror and add it to the local daemon's registry-mirrors. */
  dockerMirror: boolean;
  /** docker-mirror's fixed port (`mirror-port`); undefined: a free one. */
  mirrorPort?: number;
  images: ImagesSettings;
  /** Non-fatal remarks about the inputs, shown as warnings. */
  notes: string[];
}

/** Reads every input, reporting all problems together; secret values are never echoed. */
export function parseSettings(getInput: GetInput): Settings {
  const r = new InputReader(getInput);
  const settings: Settings = {
    target: parseTarget(r),
    aws: parseAwsSettings(r),
    network: parseNetworkSettings(r),
    fallback: parseFallback(r),
    logins: {
      logout: r.boolean('logout'),
      dockerConfig: r.choice('docker-config', ['shared', 'isolated'] as const),
    },
    dockerMirror: r.boolean('docker-mirror'),
    images: parseImagesSettings(r),
    notes: r.notes,
  };
  settings.mirrorPort = parseMirrorPort(r, settings.dockerMirror);
  if (r.problems.length > 0) throw new InputError(r.problems);
  return settings;
}
