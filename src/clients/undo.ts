// Post: undoes one login's writes for every client, newest first — docker's side as it was made
// (`docker logout` after `docker login`; the helper and the file after a direct write), then the
// containers auth file. Each part is tried on its own: one failure does not keep the rest.
// `docker logout` and the credential helpers' code load only for a login that needs them: the
// plain one (an `auths` entry written directly) needs neither.
import { readFileSync, rmSync } from 'node:fs';
import { describeError } from '../common/errors.js';
import type { Exec } from '../runner/exec.js';
import type { HelperWrite, LoginRecord } from '../runner/state.js';
import { authFingerprint, undoAuthJson } from './auth-file.js';
import type { HelperCall } from './helper.js';

type Env = Record<string, string | undefined>;

const HELPER_TIMEOUT_MS = 30_000;

export interface UndoDeps {
  exec: Exec;
  env: Env;
  /** The docker side goes with the job's isolated folder: leave it, undo the rest. */
  skipDocker?: boolean;
}

export interface UndoReport {
  lines: string[];
  warnings: string[];
}

export async function undoClientLogin(login: LoginRecord, d: UndoDeps): Promise<UndoReport> {
  const report: UndoReport = { lines: [], warnings: [] };
  const attempt = async (what: string, fn: () => Promise<string> | string) => {
    try {
      report.lines.push(await fn());
    } catch (error) {
      report.warnings.push(`Could not ${what}: ${describeError(error)}`);
    }
  };
  const writes = [...(login.writes ?? [])].reverse();
  if (!d.skipDocker && !login.direct) {
    await attempt(`log out of ${login.registry}`, async () => {
      const { undoLogin } = await import('../docker/logout.js');
      return undoLogin(login, d.exec, d.env);
    });
  }
  if (!d.skipDocker && login.helper) {
    const helper = login.helper;
    await attempt(
      `remove the ${login.registry} login from docker-credential-${helper.helper}`,
      () => undoHelper(helper, d, login.registry),
    );
  }
  for (const w of writes) {
    if (d.skipDocker && w.kind === 'docker') {
      if (w.original) rmSync(w.original, { force: true }); // the folder goes; its copy too
      continue;
    }
    await attempt(`restore ${w.file}`, () => undoAuthJson(w));
  }
  return report;
}

async function undoHelper(h: HelperWrite, d: UndoDeps, registry: string): Promise<string> {
  const { helperErase, helperGet, helperStore } = await import('./helper.js');
  const call: HelperCall = {
    exec: d.exec,
    helper: h.helper,
    env: d.env,
    timeoutMs: HELPER_TIMEOUT_MS,
  };
  let previous;
  try {
    previous = h.backup ? JSON.parse(readFileSync(h.backup, 'utf8')) : undefined;
  } finally {
    if (h.backup) rmSync(h.backup, { force: true });
  }
  const now = await helperGet(call, h.serverUrl);
  if (now && authFingerprint(now.Secret) !== h.fingerprint) {
    return `${registry}: the docker-credential-${h.helper} entry was replaced after this step; left in place.`;
  }
  if (previous) await helperStore(call, h.serverUrl, previous);
  else if (now) await helperErase(call, h.serverUrl);
  return `${registry}: ${previous ? 'restored the earlier' : "removed this step's"} docker-credential-${h.helper} entry.`;
}
