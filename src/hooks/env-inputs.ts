// A runner hook has no `with:`: its inputs are the runner's environment variables named after
// action.yml's inputs (ECR_PUBLIC_LOGIN_ + the name in upper case, `_` for `-`), so action.yml
// stays the one list of names, defaults and checks.
import { INPUT_DEFAULTS } from '../runner/action-inputs.js';
import type { GetInput } from '../runner/input-reader.js';

type Env = Record<string, string | undefined>;

export const ENV_PREFIX = 'ECR_PUBLIC_LOGIN_';

/** `role-to-assume` → ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME */
export const envName = (input: string): string =>
  `${ENV_PREFIX}${input.toUpperCase().replace(/-/g, '_')}`;

/**
 * Inputs that mean nothing before the job's first step: the workspace is not checked out yet
 * (images, rewrite) and the runner pulls with its own docker config (docker-config).
 */
const STEP_ONLY: Record<string, string> = {
  images: '',
  rewrite: '',
  'docker-config': 'shared',
};

/** The hook's getInput, and notes for step-only variables that are set (and ignored). */
export function envInputs(env: Env): { getInput: GetInput; notes: string[] } {
  const notes = Object.keys(STEP_ONLY)
    .filter((name) => (env[envName(name)] ?? '').trim() !== '')
    .map(
      (name) =>
        `${envName(name)} is ignored by the runner hooks: '${name}' applies to a step of the job only.`,
    );
  const getInput: GetInput = (name) =>
    name in STEP_ONLY ? STEP_ONLY[name] : (env[envName(name)] ?? '').trim();
  return { getInput, notes };
}

/** The input checks name `'docker-mirror'`; a hook's reader knows it as ECR_PUBLIC_LOGIN_DOCKER_MIRROR. */
export const inEnvTerms = (message: string): string =>
  message.replace(/['`]([a-z-]+)['`]/g, (whole, name: string) =>
    name in INPUT_DEFAULTS ? envName(name) : whole,
  );
