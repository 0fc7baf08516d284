// The rewrite plan, shared by the pipeline and the one-off CLI: find the image sites in each
// file, resolve every reference once, and compute each file's new text (nothing is written here).
import { createTwoFilesPatch } from 'diff';
import { readFileSync } from 'node:fs';
import { decodeFile, type DecodedFile } from './bytes.js';
import { IMAGE_FILE_KINDS, imageFileKind } from './file-kinds.js';
import type { WorkspaceFile } from './files.js';
import { resolveReferences, type Resolution, type ResolveOptions } from './resolve.js';
import { spliceSites, type Site } from './sites.js';

export interface FilePlan extends WorkspaceFile {
  /** The file's bytes, and the bytes to write (the same object when nothing changes). */
  before: Buffer;
  after: Buffer;
  /** The references the file names, as written, to pull. */
  references: string[];
  /** References named but kept as they are, with why (`image:` beside `build:`). */
  kept: Map<string, string>;
}

export interface RewritePlan {
  resolutions: Map<string, Resolution>;
  files: FilePlan[];
  /** Files that could not be read or parsed, with why (each was also a warning). */
  unreadable: { relative: string; why: string }[];
}

/** Sites of one file, or why it could not be read or parsed. */
function readSites(file: WorkspaceFile) {
  let decoded: DecodedFile;
  try {
    decoded = decodeFile(readFileSync(file.path));
  } catch (error) {
    return { why: `could not be read (${firstLine(error)})` };
  }
  const kind = imageFileKind(file.path, decoded.text);
  if (!kind) return { why: `is not a file this action rewrites (${KINDS})` };
  try {
    return { decoded, sites: kind.sites(decoded.text) };
  } catch (error) {
    return { why: `could not be parsed (${firstLine(error)})` };
  }
}

const KINDS = IMAGE_FILE_KINDS.map((kind) => `${kind.label}s: ${kind.names}`).join('; ');

const firstLine = (error: unknown): string => {
  const message = (error as { message?: unknown } | undefined)?.message;
  return (typeof message === 'string' ? message : String(error)).split('\n')[0];
};

export async function planRewrite(
  images: readonly string[],
  files: readonly WorkspaceFile[],
  o: ResolveOptions & { warn: (message: string) => void },
): Promise<RewritePlan> {
  const parsed: { file: WorkspaceFile; decoded: DecodedFile; sites: Site[] }[] = [];
  const unreadable: RewritePlan['unreadable'] = [];
  for (const file of files) {
    const read = readSites(file);
    if (read.decoded) parsed.push({ file, decoded: read.decoded, sites: read.sites });
    else {
      unreadable.push({ relative: file.relative, why: read.why });
      o.warn(`${file.relative} ${read.why}; it is left untouched.`);
    }
  }
  const pulled = (sites: Site[]) => sites.filter((s) => s.keep === undefined).map((s) => s.text);
  const all = [...images, ...parsed.flatMap((p) => pulled(p.sites))];
  const resolutions = await resolveReferences(all, o);
  const newText = (text: string) => {
    const r = resolutions.get(text);
    return r?.mirrored ? r.pull : undefined;
  };
  return {
    resolutions,
    unreadable,
    files: parsed.map(({ file, decoded, sites }) => {
      const after = spliceSites(decoded, sites, newText);
      return {
        ...file,
        before: decoded.bytes,
        after: after.equals(decoded.bytes) ? decoded.bytes : after,
        references: [...new Set(pulled(sites))],
        kept: new Map(sites.flatMap((s) => (s.keep === undefined ? [] : [[s.text, s.keep]]))),
      };
    }),
  };
}

/** Whether the plan changes the file. */
export const changes = (f: FilePlan): boolean => f.after !== f.before;

/** A unified diff of one file's change (git's a/ b/ names); bytes that are not UTF-8 show as U+FFFD. */
export const unifiedDiff = (f: FilePlan): string =>
  createTwoFilesPatch(
    `a/${f.relative}`,
    `b/${f.relative}`,
    f.before.toString('utf8'),
    f.after.toString('utf8'),
    '',
    '',
    { context: 3 },
  );
