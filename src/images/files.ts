// The files `rewrite` names: its globs (the syntax of @actions/glob: minimatch patterns, `!` to
// exclude, hidden files included), rooted at the workspace. minimatch is used directly rather than
// @actions/glob, which pulls in @actions/core and its HTTP stack: 537 KB of bundle against 30 KB.
// A glob that matches nothing is a warning; a match that resolves outside the workspace (a
// symlink out of it) is refused with a warning and never read or written.
import { minimatch } from 'minimatch';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface WorkspaceFile {
  path: string;
  /** Relative to the workspace, with `/` separators. */
  relative: string;
}

const OPTIONS = { dot: true };

/** Every regular file the globs match inside the workspace, sorted. */
export function findRewriteFiles(
  globs: readonly string[],
  workspace: string,
  warn: (message: string) => void,
): WorkspaceFile[] {
  const root = realpathSync(workspace);
  const excludes = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const found = new Set<string>();
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    const matches = [...walk(root, staticBase(glob))].filter(
      (path) =>
        minimatch(path, glob, OPTIONS) && !excludes.some((e) => minimatch(path, e, OPTIONS)),
    );
    if (matches.length === 0) warn(`'rewrite' glob ${JSON.stringify(glob)} matched no file.`);
    for (const match of matches) found.add(match);
  }
  return [...found].sort().flatMap((relative) => insideWorkspace(root, relative, warn));
}

/** The leading path segments of a glob that hold no pattern characters. */
function staticBase(glob: string): string {
  const segments = glob.split('/');
  const firstPattern = segments.findIndex((s) => /[*?[\]{}()!+@]/.test(s));
  return segments.slice(0, firstPattern === -1 ? segments.length - 1 : firstPattern).join('/');
}

/** Relative paths (`/`-separated) of the non-directories under base; symlinked folders are not entered. */
function* walk(root: string, base: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(join(root, base), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, relative);
    else yield relative;
  }
}

function insideWorkspace(root: string, relative: string, warn: (m: string) => void) {
  const path = join(root, relative);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return []; // a broken symlink: nothing to rewrite
  }
  if (!real.startsWith(root + sep)) {
    warn(
      `'rewrite' matched ${relative}, which leads outside the workspace (${real}); it is left alone.`,
    );
    return [];
  }
  return statSync(real).isFile() ? [{ path, relative }] : [];
}
