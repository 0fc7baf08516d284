// @ts-check
// The .NET string semantics the runner's command parser relies on, so the emulator finds exactly
// the commands the runner finds (JavaScript's own trim and indexOf differ from them).

/**
 * .NET's char.IsWhiteSpace, which string.Trim/TrimStart use: the Unicode White_Space property.
 * Not JavaScript's \s: U+0085 is in, U+FEFF is out.
 */
export const DOTNET_WHITESPACE =
  '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** @param {string} c */
const isWhiteSpace = (c) => DOTNET_WHITESPACE.includes(c);

/** string.TrimStart() */
export function trimStart(/** @type {string} */ s) {
  let i = 0;
  while (i < s.length && isWhiteSpace(s[i])) i++;
  return s.slice(i);
}

/** string.Trim() */
export function trim(/** @type {string} */ s) {
  let end = s.length;
  while (end > 0 && isWhiteSpace(s[end - 1])) end--;
  return trimStart(s.slice(0, end));
}

/**
 * Characters ICU's root collation ignores completely (controls other than the whitespace ones,
 * and format characters such as U+200B): the runner's StartsWith("::") and IndexOf("::") are
 * culture-sensitive (it runs with ICU), so `:\u200b:` counts as `::` for them.
 */
const IGNORABLE = /[\0-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\p{Cf}]/u;

/**
 * Where the runner's culture-sensitive IndexOf(needle, from) finds needle: the index of the first
 * character of a match, ignorable characters skipped inside it; -1 when there is none.
 * @param {string} s
 * @param {string} needle
 * @param {number} from
 */
export function cultureIndexOf(s, needle, from = 0) {
  for (let i = from; i < s.length; i++) {
    if (matchAt(s, needle, i) >= 0) return i;
  }
  return -1;
}

/**
 * StartsWith(prefix), culture-sensitive: leading ignorable characters do not count.
 * @param {string} s
 * @param {string} prefix
 */
export function cultureStartsWith(s, prefix) {
  let i = 0;
  while (i < s.length && IGNORABLE.test(s[i])) i++;
  return matchAt(s, prefix, i) >= 0;
}

/** The end of a match of needle starting at i (ignorables skipped after its first char), or -1. */
function matchAt(/** @type {string} */ s, /** @type {string} */ needle, /** @type {number} */ i) {
  if (s[i] !== needle[0]) return -1;
  let at = i + 1;
  for (const c of needle.slice(1)) {
    while (at < s.length && IGNORABLE.test(s[at])) at++;
    if (s[at] !== c) return -1;
    at++;
  }
  return at;
}

/** Char-by-char simple upper case, as OrdinalIgnoreCase compares (no 'ß' → 'SS'). */
const simpleUpper = (/** @type {string} */ s) =>
  Array.from(s, (c) => {
    const u = c.toUpperCase();
    return u.length === c.length ? u : c;
  }).join('');

/**
 * HashSet<string>(StringComparer.OrdinalIgnoreCase).Contains
 * @param {Iterable<string>} set
 * @param {string} name
 */
export function containsIgnoreCase(set, name) {
  const wanted = simpleUpper(name);
  for (const entry of set) if (simpleUpper(entry) === wanted) return true;
  return false;
}
