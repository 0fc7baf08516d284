// The image inputs (`images`, `rewrite`, `verify-digest`, `fallback-library-prefix`), checked
// before any network call like every other input.
import type { InputReader } from '../runner/inputs.js';
import { show } from '../runner/inputs.js';
import { libraryPrefixProblem } from './prefix.js';
import { referenceProblem } from './reference.js';

export interface ImagesSettings {
  /** References as written, in order, without duplicates. */
  images: string[];
  /** Globs relative to the workspace; a leading `!` excludes. */
  rewrite: string[];
  verifyDigest: boolean;
  /** `host/path` of Docker official images on a non-Docker-Hub fallback registry; '' for none. */
  fallbackLibraryPrefix: string;
}

export function parseImagesSettings(r: InputReader): ImagesSettings {
  const images = [...new Set(r.list('images', /\r?\n|,/))];
  for (const image of images) {
    const problem = referenceProblem(image);
    if (problem) r.problems.push(`'images' has an invalid reference ${show(image)}: ${problem}`);
  }
  const rewrite = r.list('rewrite').filter((line) => !line.startsWith('#'));
  for (const glob of rewrite) {
    const problem = globProblem(glob.replace(/^!/, ''));
    if (problem) r.problems.push(`'rewrite' has ${show(glob)}: ${problem}`);
  }
  const fallbackLibraryPrefix = r.read('fallback-library-prefix').replace(/\/+$/, '');
  const problem = fallbackLibraryPrefix && libraryPrefixProblem(fallbackLibraryPrefix);
  if (problem) r.problems.push(`'fallback-library-prefix' ${problem}`);
  return { images, rewrite, verifyDigest: r.boolean('verify-digest'), fallbackLibraryPrefix };
}

/** Why a glob could reach outside the workspace; undefined when it cannot. */
export function globProblem(glob: string): string | undefined {
  if (/^([\\/]|[A-Za-z]:|~)/.test(glob)) {
    return 'globs are relative to GITHUB_WORKSPACE; an absolute path is refused';
  }
  if (glob.split(/[\\/]/).includes('..')) return 'a `..` segment would leave the workspace';
  return undefined;
}

/** Why `fallback-library-prefix` will not be used; undefined when it may be. */
export function fallbackPrefixNote(prefix: string, fallbackRegistry?: string): string | undefined {
  if (!prefix || fallbackRegistry !== 'docker.io') return undefined;
  return `'fallback-library-prefix' (${prefix}) is ignored: 'fallback-registry' is Docker Hub, where official images are docker.io/library. Set 'fallback-registry' to the registry that prefix is on, or remove 'fallback-library-prefix'.`;
}
