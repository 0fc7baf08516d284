// A place in a file that names an image, and the byte-exact splice that repoints it.
import { decodeFile, type DecodedFile } from './bytes.js';

export interface Site {
  /** Offsets of the reference in the file's decoded text (UTF-16, as JavaScript strings index). */
  start: number;
  end: number;
  /** The reference exactly as written there. */
  text: string;
  /** Why this reference is named but must not be rewritten (shown in the summary); usually none. */
  keep?: string;
}

/**
 * The file's bytes with each site whose reference has a replacement swapped in. Splicing works on
 * the bytes (sites are mapped to byte offsets), so every byte outside a site is kept as it was.
 */
export function spliceSites(
  file: DecodedFile,
  sites: readonly Site[],
  replacement: (reference: string) => string | undefined,
): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (const site of [...sites].sort((a, b) => a.start - b.start)) {
    const next = site.keep === undefined ? replacement(site.text) : undefined;
    const start = file.offsets[site.start];
    if (next === undefined || start < at) continue;
    out.push(file.bytes.subarray(at, start), Buffer.from(next, 'utf8'));
    at = file.offsets[site.end];
  }
  out.push(file.bytes.subarray(at));
  return Buffer.concat(out);
}

/** spliceSites on a string (valid UTF-16 in, UTF-8 round trip): for tests and callers with text. */
export function applySites(
  text: string,
  sites: readonly Site[],
  replacement: (reference: string) => string | undefined,
): string {
  return spliceSites(decodeFile(Buffer.from(text, 'utf8')), sites, replacement).toString('utf8');
}

/** A site for `text.slice(start, end)`, without surrounding quotes; undefined when empty. */
export function siteAt(text: string, start: number, end: number): Site | undefined {
  const raw = text.slice(start, end);
  const quoted = /^(["'])(.*)\1$/s.exec(raw);
  const site = quoted
    ? { start: start + 1, end: end - 1, text: quoted[2] }
    : { start, end, text: raw };
  return site.text ? site : undefined;
}
