// docker-credential-helpers' protocol, spoken directly: `docker-credential-<name> store|get|erase`
// with the request on stdin and the answer on stdout; the secret never goes on argv.
import { ActionError } from '../common/errors.js';
import type { Exec } from '../runner/exec.js';

type Env = Record<string, string | undefined>;

export interface HelperCall {
  exec: Exec;
  /** The helper's suffix: `pass` runs docker-credential-pass. */
  helper: string;
  env: Env;
  timeoutMs: number;
}

export interface HelperCredential {
  Username: string;
  Secret: string;
}

const NOT_FOUND = /credentials not found/i;

async function call(c: HelperCall, action: string, input: string) {
  const program = `docker-credential-${c.helper}`;
  try {
    return await c.exec(program, [action], { input, env: c.env, timeoutMs: c.timeoutMs });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new ActionError(
        `The credential helper ${program} (named by the docker config) is not on PATH.`,
        `Install ${program}, or remove it from credsStore/credHelpers in the docker config.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Helpers print their error on stdout; never echo the request (it may hold the secret). */
const failure = (c: HelperCall, action: string, out: { stdout: string; stderr: string }) =>
  new ActionError(
    `docker-credential-${c.helper} ${action} failed: ${(out.stdout || out.stderr).trim().slice(0, 300) || '(no message)'}`,
    'Check that the credential helper works for this user (`docker-credential-<name> list`).',
  );

export async function helperStore(
  c: HelperCall,
  serverUrl: string,
  cred: HelperCredential,
): Promise<void> {
  const input = JSON.stringify({ ServerURL: serverUrl, ...cred });
  const r = await call(c, 'store', input);
  if (r.exitCode !== 0) throw failure(c, 'store', r);
}

/** The stored credential, or undefined when the helper has none for serverUrl. */
export async function helperGet(
  c: HelperCall,
  serverUrl: string,
): Promise<HelperCredential | undefined> {
  const r = await call(c, 'get', serverUrl);
  if (r.exitCode !== 0) {
    if (NOT_FOUND.test(r.stdout)) return undefined;
    throw failure(c, 'get', r);
  }
  const value = JSON.parse(r.stdout) as Partial<HelperCredential>;
  return value.Secret ? { Username: value.Username ?? '', Secret: value.Secret } : undefined;
}

export async function helperErase(c: HelperCall, serverUrl: string): Promise<void> {
  const r = await call(c, 'erase', serverUrl);
  if (r.exitCode !== 0 && !NOT_FOUND.test(r.stdout)) throw failure(c, 'erase', r);
}
