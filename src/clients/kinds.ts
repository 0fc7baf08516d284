// The client kinds, as a table: which programs each covers, where they read credentials, and how
// a login is written for them and undone. Adding a client: a file of its own and one row here.
import type { LoginRecord } from '../runner/state.js';
import { CONTAINERS_PROGRAMS } from './containers.js';
import { DOCKER_PROGRAMS } from './docker.js';
import { findOnPath } from './path.js';

type Env = Record<string, string | undefined>;

export interface ClientKind {
  name: 'docker' | 'containers';
  programs: readonly string[];
  /** Where they read credentials (the README's "Every client is logged in" says more). */
  credentials: string;
  /** How the step writes their login; post undoes exactly that (undo.ts). */
  writes: string;
  /** Does post undo this write of a record? */
  owns: (write: NonNullable<LoginRecord['writes']>[number]) => boolean;
}

export const CLIENT_KINDS: readonly ClientKind[] = [
  {
    name: 'docker',
    programs: DOCKER_PROGRAMS,
    credentials:
      "docker's config.json (DOCKER_CONFIG, else ~/.docker): `auths`, or the credential helper it names",
    writes:
      '`docker login`, or the same entry written directly when that is provably identical (direct-rule.ts)',
    owns: (w) => w.kind === 'docker',
  },
  {
    name: 'containers',
    programs: CONTAINERS_PROGRAMS,
    credentials:
      "REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, then docker's config.json (not its credsStore)",
    writes: "an entry in their own auth file, only when docker's config would not serve them",
    owns: (w) => w.kind === 'containers',
  },
];

/** The programs of a kind found on PATH. */
export const presentPrograms = (kind: ClientKind, env: Env): string[] =>
  kind.programs.filter((p) => findOnPath(p, env));
