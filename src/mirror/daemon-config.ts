// The daemon's config file (daemon.json): add our mirror to `registry-mirrors` and take it out
// again, keeping every other key, the file's mode and owner, and, when nobody else changed the
// file meanwhile, its exact bytes. Jobs sharing a daemon take a lock around each edit, and a
// ledger beside the file (root-only, like the file) records which entries are ours: the pristine
// bytes, and each entry's mirror pid, so a later run can drop entries of runs that died.
import fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../common/node-crypto.js';

export const MIRRORS_KEY = 'registry-mirrors';

export interface LedgerEntry {
  url: string;
  /** The mirror process serving it. */
  pid: number;
  /** The job's runner process it watches: once gone, the mirror is an orphan. */
  job?: { pid: number; start: string };
}

export interface Ledger {
  /** The file before the first of our entries went in; null when there was no file. */
  pristine: string | null;
  entries: LedgerEntry[];
}

type Json = Record<string, unknown>;

export class DaemonConfigError extends Error {
  override name = 'DaemonConfigError';
}

/** Parses daemon.json text (missing file = {}); throws DaemonConfigError when it is not an object. */
export function parseDaemonConfig(text: string | null, file: string): Json {
  if (text === null || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Never the parser's message: it quotes the text, which can hold a proxy password.
    throw new DaemonConfigError(`${file} is not valid JSON${where(text, error)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new DaemonConfigError(`${file} does not hold a JSON object`);
  }
  const mirrors = (value as Json)[MIRRORS_KEY];
  if (
    mirrors !== undefined &&
    !(Array.isArray(mirrors) && mirrors.every((m) => typeof m === 'string'))
  ) {
    throw new DaemonConfigError(`${file}: "${MIRRORS_KEY}" is not a list of URLs`);
  }
  return value as Json;
}

/** " (line L, column C)" from the parser's position, or nothing when it gives none. */
function where(text: string, error: unknown): string {
  const at = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (at === undefined) return '';
  const before = text.slice(0, Number(at)).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

const mirrorsOf = (config: Json): string[] => (config[MIRRORS_KEY] as string[] | undefined) ?? [];

/** Our mirror first (the daemon tries mirrors in order), the others kept; dead ones dropped. */
export function withMirror(config: Json, url: string, drop: string[] = []): Json {
  const others = mirrorsOf(config).filter((m) => m !== url && !drop.includes(m));
  return { ...config, [MIRRORS_KEY]: [url, ...others] };
}

/** The config without these mirrors; the key itself goes when it was not in the pristine file. */
export function withoutMirrors(config: Json, urls: string[], pristine: Json): Json {
  if (!(MIRRORS_KEY in config)) return config;
  const left = mirrorsOf(config).filter((m) => !urls.includes(m));
  if (left.length > 0 || MIRRORS_KEY in pristine) return { ...config, [MIRRORS_KEY]: left };
  return Object.fromEntries(Object.entries(config).filter(([key]) => key !== MIRRORS_KEY));
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** Same meaning, whatever the formatting or key order. */
export const sameConfig = (a: Json, b: Json): boolean => canonical(a) === canonical(b);

/** JSON in the original's indentation (tab, or its number of spaces; two by default). */
export function render(config: Json, original: string | null): string {
  const indent = /\n(\t| +)"/.exec(original ?? '')?.[1] ?? '  ';
  return JSON.stringify(config, null, indent) + '\n';
}

// ------------------------------------------------------------------ files

export const ledgerPath = (file: string): string =>
  join(dirname(file), `.${basename(file)}.ecr-public-login`);

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function readLedger(file: string): Ledger | undefined {
  const text = readText(ledgerPath(file));
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Ledger;
    if (Array.isArray(value.entries)) return value;
  } catch {
    // a damaged ledger is treated as none: our entries in the file are then left alone
  }
  return undefined;
}

/** Where a write must land: a symlink's target (config management keeps daemon.json a link). */
export function linkTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file; // no file yet
  }
}

/** Replaces `file` (through a symlink) in one rename with `text`, keeping the mode and owner of what was there. */
export function writeAtomic(path: string, text: string, like?: fs.Stats, mode = 0o644): void {
  const file = linkTarget(path);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomHex(4)}`);
  try {
    fs.writeFileSync(temp, text, { mode: like ? like.mode & 0o7777 : mode, flag: 'wx' });
    if (like) {
      fs.chmodSync(temp, like.mode & 0o7777);
      if (process.getuid?.() === 0) fs.chownSync(temp, like.uid, like.gid);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes the ledger; one with no entries is removed unless `keepEmpty` (its file is being restored). */
export function writeLedger(file: string, ledger: Ledger, keepEmpty = false): void {
  if (ledger.entries.length === 0 && !keepEmpty) fs.rmSync(ledgerPath(file), { force: true });
  else writeAtomic(ledgerPath(file), JSON.stringify(ledger) + '\n', undefined, 0o600);
}
