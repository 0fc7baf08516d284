// What main hands to the post step (GITHUB_STATE): which logins to undo, and how. Never a secret.

export interface LoginRecord {
  registry: string;
  /** The docker config folder the login was written to. */
  configDir: string;
  /** sha256 of the stored auth, so post removes the login only while it is still ours. */
  fingerprint?: string;
  /** File holding the login this step replaced, restored by post. */
  backup?: string;
  /** Written without the docker CLI (clients/): post undoes `writes` and `helper` instead of `docker logout`. */
  direct?: boolean;
  /** Credential files this step edited itself, oldest first. */
  writes?: FileWrite[];
  /** A credential helper this step stored the login in itself. */
  helper?: HelperWrite;
  /** The clients on the runner this login serves (the `clients` output). */
  clients?: string[];
}

/** One edit of a JSON credential file, as post undoes it (clients/auth-file.ts). Never a secret. */
export interface FileWrite {
  /** The client kind that wrote it (clients/kinds.ts). */
  kind?: string;
  file: string;
  /** The key this step set in `auths`. */
  key: string;
  /** sha256 of the bytes this step wrote. */
  after: string;
  /** The file's stamp right after this step's write (clients/auth-file.ts): unchanged, no hash needed. */
  stamp?: string;
  /** A copy of the bytes that were there (mode 0600); absent: the file did not exist. */
  original?: string;
  /** Folders made for the file, deepest first: post removes them when empty. */
  createdDirs?: string[];
}

/** A login stored through `docker-credential-<helper>` by this step. */
export interface HelperWrite {
  helper: string;
  serverUrl: string;
  /** sha256 of the secret stored, to tell later whether it is still ours. */
  fingerprint: string;
  /** File (mode 0600) with the credential the helper held before, put back by post. */
  backup?: string;
}

export interface PostState {
  logout: boolean;
  /** docker-config: isolated — the folder post deletes. */
  isolatedDir?: string;
  logins: LoginRecord[];
}

export const STATE_KEY = 'post';

export const serializeState = (state: PostState): string => JSON.stringify(state);

/** Tolerates a missing or damaged state: post must never fail the job. */
export function parseState(raw: string): PostState {
  try {
    const value = JSON.parse(raw) as Partial<PostState>;
    return {
      logout: value.logout !== false,
      isolatedDir: typeof value.isolatedDir === 'string' ? value.isolatedDir : undefined,
      logins: Array.isArray(value.logins)
        ? value.logins.filter(
            (l): l is LoginRecord =>
              typeof l?.registry === 'string' && typeof l?.configDir === 'string',
          )
        : [],
    };
  } catch {
    return { logout: true, logins: [] };
  }
}
