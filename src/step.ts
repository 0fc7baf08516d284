// What one run of the main step is given (MainDeps: the runtime, exec, SDK loader, clock and the
// hosts' parts tests replace) and what it builds from them (Step), shared by main.ts and logins.ts.
import type { ClientSession, ClientsOptions } from './clients/session.js';
import type { PhaseTimer } from './common/timings.js';
import type { StepLogins } from './docker/step-logins.js';
import type { EngineDeps } from './engines/engine.js';
import type { BegunMirrors } from './engines/table.js';
import type { HubOrigins } from './hub/pull-limit.js';
import type { MirrorHost } from './mirror/setup.js';
import type { Exec } from './runner/exec.js';
import type { Runtime } from './runner/runtime.js';
import type { Settings } from './settings.js';

type Env = Record<string, string | undefined>;
export type AwsSdk = typeof import('./aws/sdk.js');

export interface MainDeps {
  runtime: Runtime;
  env: Env;
  exec: Exec;
  /** Loads the AWS SDK chunk; only a login whose AWS calls go through the SDK asks for it. */
  loadSdk: () => Promise<AwsSdk>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the mirror bundle is and how to reach root (docker-mirror, containerd). */
  mirror?: MirrorHost;
  /** Where `docker-hub-limit` checks (tests); default Docker Hub. */
  dockerHub?: HubOrigins;
  /** The engines' files, PATH and job, replaced in tests. */
  engines?: Partial<EngineDeps>;
  /** Log every client in (clients/); absent: `docker login` only (tests with a fake docker). */
  clients?: ClientsOptions;
}

/** Where this step's logins go: opened once the first request is out. */
export interface OpenedLogins {
  logins: StepLogins;
  clients?: ClientSession;
}

/** What one login needs besides its target. */
export interface Step extends MainDeps {
  settings: Settings;
  opened: Promise<OpenedLogins>;
  /** The `mirror` engines, begun while the first login is out; undefined when none is asked. */
  mirrors?: Promise<BegunMirrors>;
  timing: PhaseTimer;
}
