// The engines table: which engines get the job's mirror (the `mirror` input, `auto`), each begun
// while the login is out and set up on its own once it is done, so one that cannot be done is a
// warning naming it and the rest go on, and post undoing each from what main recorded. The login
// never depends on any of it.
import { describeError } from '../common/errors.js';
import { DOCKER_HUB, canonicalHost, splitPrefix } from '../registry/names.js';
import { buildkitRow } from './buildkit.js';
import { containerdRow } from './containerd.js';
import { containersRow } from './containers.js';
import { dockerRow } from './docker.js';
import type { RegistryCredentials } from '../registry/client.js';
import type { BegunRow, EngineDeps, EngineRow, MirrorPlace } from './engine.js';
import type { EngineName, MirrorSettings } from './settings.js';

/** docker first: post takes the daemon's mirror away before anything else, as it always has. */
export const ENGINES: readonly EngineRow[] = [dockerRow, containersRow, containerdRow, buildkitRow];

export type Mirrors = Partial<Record<EngineName, string>>;

const label = (name: EngineName): string =>
  name === 'docker' ? 'docker-mirror' : `mirror ${name}`;

/** The rows to set up: every one named, and with `auto` every one present that a file configures. */
export function chooseRows(settings: MirrorSettings, deps: EngineDeps, rows = ENGINES) {
  const chosen = rows.filter(
    (row) =>
      settings.engines.includes(row.name) || (settings.auto && row.inAuto && row.present(deps)),
  );
  const left = settings.auto ? rows.filter((row) => !chosen.includes(row)) : [];
  return {
    chosen,
    skipped: left.map((row) => `${row.name}: ${row.inAuto ? 'not installed' : 'only when named'}`),
  };
}

/** The chosen rows, each begun while the login is out (docker: its mirror process spawned). */
export interface BegunMirrors {
  /** The login's credential, before its check: rows that can, start with it (BegunRow). */
  handOver(credentials: RegistryCredentials): void;
  /** With the login's credential, sets each up; without (it failed), cancels each and says so. */
  finish(credentials: RegistryCredentials | undefined): Promise<Mirrors>;
}

/** Chooses the rows and begins each: what needs no credential overlaps the login. */
export function beginMirrors(
  settings: MirrorSettings,
  place: MirrorPlace,
  deps: EngineDeps,
  rows = ENGINES,
): BegunMirrors {
  const { chosen, skipped } = chooseRows(settings, deps, rows);
  const serves = servesLibrary(place.prefix);
  const begun = serves ? chosen.map((row) => ({ row, run: beginRow(row, place, deps) })) : [];
  return {
    handOver: (credentials) => begun.forEach(({ run }) => run.handOver?.(credentials)),
    finish: async (credentials) => {
      if (settings.auto)
        deps.runtime.info(
          `mirror auto: ${chosen.map((r) => r.name).join(', ') || 'no engine'}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}.`,
        );
      if (credentials && serves) return setUpEach(begun, credentials, deps);
      await Promise.all(begun.map(({ run }) => run.cancel()));
      const why = credentials
        ? `${place.registry.host} has no copy of the Docker official images`
        : `the ${place.registry.host} login failed`;
      if (chosen.length > 0) notConfigured(chosen, why, deps);
      return {};
    },
  };
}

/** The row's own begin, or its setUp once the credential is there; never a throw out of here. */
function beginRow(row: EngineRow, place: MirrorPlace, deps: EngineDeps): BegunRow {
  const nothing = async () => undefined;
  try {
    if (row.begin) return row.begin(place, deps);
  } catch (error) {
    return { setUp: () => Promise.reject(error), cancel: nothing };
  }
  return { setUp: (credentials) => row.setUp({ ...place, credentials }, deps), cancel: nothing };
}

/** Sets up each begun row; one that cannot be done is a warning naming it, the rest go on. */
async function setUpEach(
  begun: { row: EngineRow; run: BegunRow }[],
  credentials: RegistryCredentials,
  deps: EngineDeps,
): Promise<Mirrors> {
  const mirrors: Mirrors = {};
  for (const { row, run } of begun) {
    try {
      const what = await run.setUp(credentials);
      if (what) mirrors[row.name] = what;
    } catch (error) {
      deps.runtime.warning(
        `${label(row.name)} is not configured (the login itself succeeded): ${describeError(error)}`,
        `${label(row.name)} not configured`,
      );
    }
  }
  return mirrors;
}

/** A prefix other than Docker Hub's own: mirroring docker.io to itself changes nothing. */
const servesLibrary = (prefix: string): boolean =>
  prefix !== '' && canonicalHost(splitPrefix(prefix).host) !== DOCKER_HUB;

function notConfigured(rows: readonly EngineRow[], why: string, deps: EngineDeps): void {
  const others = rows.filter((r) => r.name !== 'docker').map((r) => r.name);
  if (rows.some((r) => r.name === 'docker'))
    deps.runtime.notice(
      `docker-mirror is not active: ${why}, so docker pulls Docker official images from Docker Hub as usual.`,
    );
  if (others.length)
    deps.runtime.notice(
      `mirror ${others.join(', ')} not configured: ${why}, so ${others.length > 1 ? 'they pull' : 'it pulls'} Docker official images from Docker Hub as usual.`,
    );
}

/** Post: undoes every row main recorded, docker first; a failure is a warning, never the job's. */
export async function undoMirrors(deps: EngineDeps, rows = ENGINES): Promise<void> {
  for (const row of rows) {
    try {
      for (const line of await row.undo(deps)) deps.runtime.info(line);
    } catch (error) {
      deps.runtime.warning(`${label(row.name)}: ${describeError(error)}`);
    }
  }
}
