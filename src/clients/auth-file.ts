// A JSON credential file this step edits directly (docker's config.json, the containers auth
// file), so post can undo it byte for byte: the bytes before are kept (mode 0600, RUNNER_TEMP),
// the bytes written are fingerprinted, every edit holds the file's lock and lands in one rename
// with the file's mode kept. When someone else changed the file since, post undoes only our entry.
// Post tells "nobody wrote it since" from the file's stamp (device, inode, size, mtime and ctime
// in ns, read right after our rename: any later write or rename changes one of them), so on the
// plain path it hashes nothing and loads no node:crypto; a changed stamp falls back to the bytes'
// sha256. The one write a stamp misses is one of the same size, in place, within the same tick
// of the kernel's file clock as ours (a few ms); post would then put back the bytes from before.
import fs, { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ActionError, describeError } from '../common/errors.js';
import { withFileLock, type LockClock } from '../common/file-lock.js';
import { randomHex, sha256Hex as sha256 } from '../common/node-crypto.js';
import { replaceFile } from '../common/replace-file.js';
import type { FileWrite } from '../runner/state.js';

export type { FileWrite };

export type AuthJson = {
  auths?: Record<string, Record<string, unknown>>;
  credHelpers?: Record<string, string>;
  [field: string]: unknown;
};

const readBytes = (file: string): Buffer | undefined => {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** The file as an object ({} when absent, empty or `null`); anything else is left alone. */
export function parseAuthJson(file: string, bytes: Buffer | undefined): AuthJson {
  const text = bytes?.toString('utf8') ?? '';
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ActionError(
      `The credential file ${file} is not a JSON object, so this step did not touch it: writing it would lose every login in it.`,
      'Repair or remove the file, or point the client at another one (DOCKER_CONFIG, REGISTRY_AUTH_FILE).',
    );
  }
  return value as AuthJson;
}

/** The file's identity and times (see the header), or undefined when it is gone. */
function fileStamp(file: string): string | undefined {
  const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return s && [s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join(':');
}

/** Creates the file's missing folders (0700: they hold secrets), deepest first in the answer. */
function makeDirs(dir: string): string[] {
  const made: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = dirname(d)) made.push(d);
  if (made.length) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return made;
}

export interface EditOptions {
  runnerTemp?: string;
  /** false: no copy of the file is kept (post will not run, or removes the folder). */
  keep?: boolean;
  clock?: LockClock;
}

/** Applies edit to the file under its lock; the record lets post undo exactly this. */
export function editAuthJson(
  file: string,
  key: string,
  edit: (json: AuthJson) => AuthJson,
  o: EditOptions = {},
): FileWrite {
  const createdDirs = makeDirs(dirname(file)); // the lock file lives there too
  return withFileLock(
    file,
    () => {
      const before = readBytes(file);
      const next = edit(parseAuthJson(file, before));
      const text = JSON.stringify(next, null, '\t') + '\n';
      const mode = before ? fs.statSync(file).mode & 0o777 : 0o600;
      const keep = o.keep !== false;
      const original = before && keep ? keepCopy(before, o.runnerTemp) : undefined;
      replaceFile(file, text, mode);
      // Without a copy, post can only take our entry out: neither bytes nor stamp are recorded.
      if (before && !keep) return { file, key, after: '', createdDirs };
      return { file, key, after: sha256(text), stamp: fileStamp(file), original, createdDirs };
    },
    o.clock,
  );
}

function keepCopy(bytes: Buffer, runnerTemp: string | undefined): string {
  const copy = join(runnerTemp || tmpdir(), `ecr-public-login-${randomHex(8)}`);
  fs.writeFileSync(copy, bytes, { mode: 0o600 });
  return copy;
}

/** Post: the file as it was when nothing else changed it, else only our entry out. */
export function undoAuthJson(w: FileWrite, clock?: LockClock): string {
  try {
    const line = withFileLock(w.file, () => undoLocked(w), clock);
    // After the lock is gone (it lives in the same folder); only folders left empty.
    if (!existsSync(w.file)) removeEmptyDirs(w.createdDirs ?? []);
    return line;
  } finally {
    if (w.original) fs.rmSync(w.original, { force: true }); // a copy of secrets: gone either way
  }
}

function undoLocked(w: FileWrite): string {
  const untouched = w.stamp !== undefined && fileStamp(w.file) === w.stamp;
  const now = untouched ? undefined : readBytes(w.file);
  if (!untouched && !now) return `${w.file}: already removed.`;
  const original = w.original ? readBytes(w.original) : undefined;
  if (w.original && !original) return `${w.file}: its saved copy is gone; left as it is.`;
  if (untouched || sha256(now!) === w.after) {
    if (original) replaceFile(w.file, original, fs.statSync(w.file).mode & 0o777);
    else fs.rmSync(w.file, { force: true });
    return `${w.file}: restored as it was before this step.`;
  }
  return undoEntry(w, now!, original);
}

function removeEmptyDirs(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      fs.rmdirSync(dir); // only when empty: something else may live there now
    } catch {
      break;
    }
  }
}

/** Someone changed the file since: put back only the entry we replaced, if ours is still there. */
function undoEntry(w: FileWrite, now: Buffer, original: Buffer | undefined): string {
  let json: AuthJson;
  let before: AuthJson;
  try {
    json = parseAuthJson(w.file, now);
    before = parseAuthJson(w.file, original);
  } catch (error) {
    return `${w.file}: changed since and unreadable (${describeError(error)}); left as it is.`;
  }
  const auths = { ...json.auths };
  if (before.auths?.[w.key]) auths[w.key] = before.auths[w.key];
  else delete auths[w.key];
  const helpers = { ...json.credHelpers };
  if (before.credHelpers && w.key in before.credHelpers) helpers[w.key] = before.credHelpers[w.key];
  else delete helpers[w.key];
  const next: AuthJson = { ...json, auths };
  if (json.credHelpers) next.credHelpers = helpers;
  replaceFile(w.file, JSON.stringify(next, null, '\t') + '\n', fs.statSync(w.file).mode & 0o777);
  return `${w.file}: changed by something else since; only this step's ${w.key} entry was undone.`;
}

/** The entry's `auth` fingerprint, to tell later whether an entry is still ours. */
export const authFingerprint = (auth: string): string => sha256(auth);
