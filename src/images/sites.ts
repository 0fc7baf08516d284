// A place in a file that names an image, and the byte-exact splice that repoints it.

export interface Site {
  /** Offsets of the reference in the file's text (UTF-16, as JavaScript strings index). */
  start: number;
  end: number;
  /** The reference exactly as written there. */
  text: string;
}

/** The text with each site whose reference has a replacement swapped in; every other byte kept. */
export function applySites(
  text: string,
  sites: readonly Site[],
  replacement: (reference: string) => string | undefined,
): string {
  let out = '';
  let at = 0;
  for (const site of [...sites].sort((a, b) => a.start - b.start)) {
    const next = replacement(site.text);
    if (next === undefined || site.start < at) continue;
    out += text.slice(at, site.start) + next;
    at = site.end;
  }
  return out + text.slice(at);
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
