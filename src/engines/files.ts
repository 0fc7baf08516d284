// The few file moves the rows share: folders made and later removed only if still empty, whole
// files replaced in one rename, and a fingerprint to recognise our own bytes at undo time.
import { dirname } from 'node:path';
import type fs from 'node:fs';
import { randomHex, sha256Hex } from '../common/node-crypto.js';

/** The file calls the rows make (node:fs; tests hand in one that fails on purpose). */
export type EngineFs = Pick<
  typeof fs,
  | 'readFileSync'
  | 'writeFileSync'
  | 'renameSync'
  | 'mkdirSync'
  | 'rmdirSync'
  | 'unlinkSync'
  | 'readdirSync'
  | 'existsSync'
  | 'statSync'
  | 'openSync'
  | 'closeSync'
  | 'chmodSync'
>;

export const sha256 = sha256Hex;

/** Makes `dir` and its missing parents; returns the folders it made, outermost first. */
export function makeDirs(fs: EngineFs, dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  if (missing.length) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  return missing;
}

/** Removes the folders we made, innermost first, where nothing else was put in them. */
export function removeEmptyDirs(fs: EngineFs, dirs: string[]): string[] {
  const removed: string[] = [];
  for (const dir of [...dirs].reverse()) {
    try {
      fs.rmdirSync(dir);
      removed.push(dir);
    } catch {
      return removed; // not empty (another job's file, the user's), or gone: its parents stay too
    }
  }
  return removed;
}

/** Replaces a file in one rename, so a client never reads half of it. */
export function writeWhole(fs: EngineFs, file: string, bytes: string | Buffer, mode: number): void {
  const temp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  fs.writeFileSync(temp, bytes, { mode });
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.unlinkSync(temp); // no half-done leftovers: the folder must be removable
    throw error;
  }
}

/** The file's bytes; undefined when there is no such file. */
export function readBytes(fs: EngineFs, file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
