// One row of the engines table: how to tell its engine is here, what it writes for the job's
// mirror, and how post undoes exactly that. Rows get everything they touch from EngineDeps.
import type { MirrorHost } from '../mirror/setup.js';
import type { JobRef } from '../mirror/job-watch.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { LoggedInRegistry } from '../registry/names.js';
import type { Exec } from '../runner/exec.js';
import type { Runtime } from '../runner/runtime.js';
import type { EngineFs } from './files.js';
import type { HostsEditRequest, HostsEditResult } from './hosts-edit.js';
import type { EngineName } from './settings.js';

export type { EngineFs };
export type Env = Record<string, string | undefined>;

/** Everything a row reads or touches, with the real values filled in by engines/deps. */
export interface EngineDeps {
  runtime: Runtime;
  env: Env;
  exec: Exec;
  now?: () => number;
  /** Where the mirror bundle is and how to reach root (docker; containerd under sudo). */
  mirror?: MirrorHost;
  fs: EngineFs;
  /** The runner user's home: containers' user-level configuration lives under it. */
  home: string;
  /** containerd's hosts directory (nerdctl's default; ctr's with --hosts-dir). */
  hostsDir: string;
  runnerTemp: string;
  onPath: (command: string) => boolean;
  /** The job's runner process, so leftovers of a job that is gone can be told apart. */
  job?: JobRef;
  isJobAlive: (job: JobRef) => boolean;
  /** Unique for this step of this job: it names the files the step writes. */
  stepId: string;
  /** The hosts.toml edit, as root (in this process or under `sudo -n`). */
  hostsEdit: (request: HostsEditRequest) => Promise<HostsEditResult>;
  /** docker's fixed mirror port (`mirror-port`); undefined: a free one. */
  dockerPort?: number;
}

/** Where the mirror will point, known before the login is done: the registry logged in to. */
export interface MirrorPlace {
  registry: LoggedInRegistry;
  /** Where Docker official images live on it (`public.ecr.aws/docker/library`). */
  prefix: string;
}

/** What the rows configure the mirror from: the login that succeeded. */
export interface MirrorSource extends MirrorPlace {
  credentials: RegistryCredentials;
}

/** A row's set-up begun while the login is out; the table then calls exactly one of the two. */
export interface BegunRow {
  /**
   * The login's credential, before the registry has checked it: a row may start with it what
   * changes nothing outside its own process (docker: the mirror listens; no daemon names it yet).
   */
  handOver?(credentials: RegistryCredentials): void;
  /** The login succeeded: as the row's setUp. */
  setUp(credentials: RegistryCredentials): Promise<string | undefined>;
  /** The login failed (or the registry serves no official images): nothing may be left. */
  cancel(): Promise<void>;
}

export interface EngineRow {
  name: EngineName;
  /** Part of `auto`: configured by a file its clients read at their next pull, nothing else. */
  inAuto: boolean;
  /** Its clients are installed (only `auto` asks). */
  present(deps: EngineDeps): boolean;
  /**
   * Configures the engine; returns what it wrote (a file or URL), or undefined when the row has
   * already said why not. Throws an ActionError (what happened + what to do) for a warning.
   */
  setUp(source: MirrorSource, deps: EngineDeps): Promise<string | undefined>;
  /** Begins what needs no credential (docker: spawns its mirror process) while the login is out. */
  begin?(place: MirrorPlace, deps: EngineDeps): BegunRow;
  /** Post: undoes what main recorded (nothing when it recorded nothing); returns log lines. */
  undo(deps: EngineDeps): Promise<string[]>;
}
