// What the job-started hook did, for the job-completed hook to undo and for the job's steps to
// see: one JSON file of named values (the step's post state, same names) under RUNNER_TEMP, which
// the runner empties at the start and the end of every job, so a record never outlives its job.
// Never a secret: the same values the step keeps in GITHUB_STATE.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMirrorProcess, type ProcFs } from '../mirror/daemon-process.js';
import { MIRROR_STATE_KEY, parseMirrorState, type MirrorRecord } from '../mirror/record.js';

type Env = Record<string, string | undefined>;

/** undefined outside a runner job (no RUNNER_TEMP). */
export const hookStateFile = (env: Env): string | undefined =>
  env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'ecr-public-login-hook', 'state.json') : undefined;

export function readHookState(file: string): Record<string, string> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whole-file writes (temp + rename): a hook killed mid-write leaves the previous record. */
export function writeHookState(file: string, state: Record<string, string>): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export const removeHookState = (file: string): void =>
  rmSync(join(file, '..'), { recursive: true, force: true });

/** The job-started hook's mirror while it runs: a step reuses it and leaves it to the hook. */
export function hookMirror(env: Env, proc?: ProcFs): MirrorRecord | undefined {
  const file = hookStateFile(env);
  const raw = file && readHookState(file)?.[MIRROR_STATE_KEY];
  const record = raw ? parseMirrorState(raw) : undefined;
  return record && isMirrorProcess(record.pid, proc) ? record : undefined;
}
