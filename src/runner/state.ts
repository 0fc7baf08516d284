// What main hands to the post step (GITHUB_STATE): which logins to undo, and how. Never a secret.

export interface LoginRecord {
  registry: string;
  /** The docker config folder the login was written to. */
  configDir: string;
  /** sha256 of the stored auth, so post removes the login only while it is still ours. */
  fingerprint?: string;
  /** File holding the login this step replaced, restored by post. */
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
