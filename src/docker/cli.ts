// `docker login` / `docker logout`, with failures explained (docker missing, daemon down, rejected).
import { ActionError } from '../common/errors.js';
import { childEnv } from '../runner/child-env.js';
import type { Exec } from '../runner/exec.js';

export interface LoginRequest {
  registry: string;
  username: string;
  password: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** What to check when the registry refuses the credential (the login target says). */
  refusedFix?: string;
}

/** The argv of a login: the password is never in it, it goes on stdin. */
export const loginArgs = (registry: string, username: string): string[] => [
  'login',
  '--username',
  username,
  '--password-stdin',
  registry,
];

/** The lines of docker's stderr that say what went wrong (not its progress logs or advice). */
const essentials = (text: string): string =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(
      (line) =>
        line &&
        !/level=(info|debug|warning)|^WARNING!|credential helper|^https:\/\/docs\.docker/i.test(
          line,
        ),
    )
    .slice(-3)
    .join(' ');

/** What a failed docker login/logout said, what that means, and what to do: first match wins. */
const FAILURES: {
  test: (stderr: string) => RegExpExecArray | null;
  means: (m: RegExpExecArray) => string;
  fix: (m: RegExpExecArray, registry: string, refusedFix?: string) => string;
}[] = [
  {
    test: (e) =>
      /cannot connect to the docker daemon|is the docker daemon running|error during connect|docker\.sock: connect/i.exec(
        e,
      ),
    means: () => 'the Docker daemon is not running or not reachable',
    fix: () => 'Start the Docker daemon on this runner, or point DOCKER_HOST at a running one.',
  },
  {
    test: (e) => /(docker-credential-[\w.-]+)"?:? (?:executable file )?not found/i.exec(e),
    means: (m) =>
      `the credential helper ${m[1]} that the docker config names (credsStore or credHelpers) is not installed on this runner`,
    fix: (m) =>
      `Use \`docker-config: isolated\` (a fresh config without the helper), install ${m[1]}, or remove credsStore/credHelpers from the docker config (DOCKER_CONFIG, else ~/.docker/config.json).`,
  },
  {
    test: (e) => /error saving credentials|error storing credentials/i.exec(e),
    means: () => 'docker could not store the login',
    fix: () =>
      'Check that the docker config folder (DOCKER_CONFIG, else ~/.docker) is writable by the job, and that any credential helper it names works.',
  },
  {
    test: (e) =>
      /unauthorized|incorrect username or password|\b401\b|authentication required|\bdenied: /i.exec(
        e,
      ),
    means: () => 'the registry rejected the credentials',
    fix: (_m, _registry, refusedFix) =>
      refusedFix ?? 'Check the username and password this registry was given.',
  },
];

/** Turns a docker CLI failure into a message that says what is wrong and what to do. */
export function explainDockerFailure(
  action: string,
  registry: string,
  exitCode: number,
  stderr: string,
  /** What the login target says to check when its credential is refused. */
  refusedFix?: string,
): ActionError {
  const detail = essentials(stderr) || '(docker printed nothing on stderr)';
  for (const failure of FAILURES) {
    const m = failure.test(stderr);
    if (m) {
      return new ActionError(
        `docker ${action} ${registry} failed: ${failure.means(m)} (${detail}).`,
        failure.fix(m, registry, refusedFix),
      );
    }
  }
  return new ActionError(
    `docker ${action} ${registry} failed with exit code ${exitCode}: ${detail}`,
    'Check that the registry is reachable from this runner (DNS, proxy, firewall) and that docker works (`docker info`).',
  );
}

async function runDocker(
  exec: Exec,
  action: string,
  registry: string,
  args: string[],
  r: { env: LoginRequest['env']; input?: string; timeoutMs: number; refusedFix?: string },
) {
  let result;
  try {
    // docker, its plugins and credential helpers see no input, token or AWS key (child-env.ts)
    const env = childEnv(r.env);
    result = await exec('docker', args, { input: r.input, env, timeoutMs: r.timeoutMs });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new ActionError(
        `docker ${action} ${registry} failed: the docker CLI was not found on PATH.`,
        'Install Docker on the runner (GitHub-hosted Ubuntu runners have it), or run this step where `docker` is on PATH.',
        { cause: error },
      );
    }
    throw error;
  }
  // A non-zero exit is a failure even when docker printed nothing.
  if (result.exitCode !== 0)
    throw explainDockerFailure(action, registry, result.exitCode, result.stderr, r.refusedFix);
  return result;
}

export async function dockerLogin(exec: Exec, r: LoginRequest): Promise<void> {
  await runDocker(exec, 'login', r.registry, loginArgs(r.registry, r.username), {
    env: r.env,
    input: r.password,
    timeoutMs: r.timeoutMs,
    refusedFix: r.refusedFix,
  });
}

export async function dockerLogout(
  exec: Exec,
  registry: string,
  env: LoginRequest['env'],
  timeoutMs: number,
): Promise<void> {
  await runDocker(exec, 'logout', registry, ['logout', registry], { env, timeoutMs });
}
