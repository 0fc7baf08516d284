// The kinds of file whose image references the pipeline rewrites, as a table: a file is the
// first kind that claims it by its name, else the first that claims it by its content. A new kind
// (a workflow's `container:`, a Kubernetes manifest) is a file of sites and a row here; the CLI's
// usage and the README's list read the `names` column.
import { composeSites } from './compose.js';
import { dockerfileSites } from './dockerfile.js';
import type { Site } from './sites.js';

export interface ImageFileKind {
  /** How messages name the kind. */
  label: string;
  /** The file names it claims, for the CLI's usage and the README. */
  names: string;
  byName(base: string): boolean;
  /** For a file no kind claims by name: does the content look like this kind? */
  byContent(text: string): boolean;
  sites(text: string): Site[];
}

const YAML = /\.ya?ml$/i;

export const IMAGE_FILE_KINDS: readonly ImageFileKind[] = [
  {
    label: 'Compose file',
    names: 'compose.yaml, docker-compose.yml and *.yml / *.yaml with a top-level services: key',
    byName: (base) => /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i.test(base),
    byContent: (text) => /^services:/m.test(text),
    sites: composeSites,
  },
  {
    label: 'Dockerfile',
    names:
      'Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and any file whose first instruction is FROM or ARG',
    byName: (base) => /(^|\.)(dockerfile|containerfile)(\.|$)/i.test(base),
    byContent: (text) => /^\s*(FROM|ARG)\s/im.test(firstInstruction(text)),
    sites: dockerfileSites,
  },
];

/** The first line that is not blank and not a comment (parser directives are comments). */
const firstInstruction = (text: string): string =>
  text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';

/** The kind of a file, or undefined when no kind claims it (a YAML file without services:). */
export function imageFileKind(path: string, text: string): ImageFileKind | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  const named = IMAGE_FILE_KINDS.find((kind) => kind.byName(base));
  if (named) return named;
  // A YAML file is Compose or nothing: never read as a Dockerfile.
  const candidates = YAML.test(base) ? IMAGE_FILE_KINDS.slice(0, 1) : IMAGE_FILE_KINDS;
  return candidates.find((kind) => kind.byContent(text));
}
