// `docker login` / `docker logout`, with failures explained (docker missing, daemon down, rejected).
import { ActionError } from '../errors.js';
import type { Exec } from '../runner/exec.js';

export interface LoginRequest {
  registry: string;
  username: string;
  password: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
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

/** Turns a docker CLI failure into a message that says what is wrong and what to do. */
export function explainDockerFailure(
  action: string,
  registry: string,
  exitCode: number,
  stderr: string,
): ActionError {
  const detail = essentials(stderr) || '(docker printed nothing on stderr)';
  if (
    /cannot connect to the docker daemon|is the docker daemon running|error during connect|docker\.sock: connect/i.test(
      stderr,
    )
  ) {
    return new ActionError(
      `docker ${action} ${registry} failed: the Docker daemon is not running or not reachable (${detail}).`,
      'Start the Docker daemon on this runner, or point DOCKER_HOST at a running one.',
    );
  }
  const helper = /(docker-credential-[\w.-]+)"?:? (?:executable file )?not found/i.exec(
    stderr,
  )?.[1];
  if (helper) {
    return new ActionError(
      `docker ${action} ${registry} failed: the credential helper ${helper} that the docker config names (credsStore or credHelpers) is not installed on this runner (${detail}).`,
      `Use \`docker-config: isolated\` (a fresh config without the helper), install ${helper}, or remove credsStore/credHelpers from the docker config (DOCKER_CONFIG, else ~/.docker/config.json).`,
    );
  }
  if (/error saving credentials|error storing credentials/i.test(stderr)) {
    return new ActionError(
      `docker ${action} ${registry} failed: docker could not store the login (${detail}).`,
      'Check that the docker config folder (DOCKER_CONFIG, else ~/.docker) is writable by the job, and that any credential helper it names works.',
    );
  }
  if (
    /unauthorized|incorrect username or password|\b401\b|authentication required|\bdenied: /i.test(
      stderr,
    )
  ) {
    return new ActionError(
      `docker ${action} ${registry} failed: the registry rejected the credentials (${detail}).`,
      registry === 'public.ecr.aws'
        ? 'The ECR Public token was refused; retry the job, and check the role has ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.'
        : 'Check `fallback-username` (for a Docker Hub organization access token: the organization name) and `fallback-token`.',
    );
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
  r: { env: LoginRequest['env']; input?: string; timeoutMs: number },
) {
  let result;
  try {
    result = await exec('docker', args, { input: r.input, env: r.env, timeoutMs: r.timeoutMs });
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
    throw explainDockerFailure(action, registry, result.exitCode, result.stderr);
  return result;
}

export async function dockerLogin(exec: Exec, r: LoginRequest): Promise<void> {
  await runDocker(exec, 'login', r.registry, loginArgs(r.registry, r.username), {
    env: r.env,
    input: r.password,
    timeoutMs: r.timeoutMs,
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
