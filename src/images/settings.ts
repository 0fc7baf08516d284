// The image inputs (`images`, `rewrite`, `verify-digest`), checked before any network call like
// every other input.
import { show } from '../common/text.js';
import type { InputReader } from '../runner/input-reader.js';
import { referenceProblem } from './reference.js';

export interface ImagesSettings {
  /** References as written, in order, without duplicates. */
  images: string[];
  /** Globs relative to the workspace; a leading `!` excludes. */
  rewrite: string[];
  verifyDigest: boolean;
}

export function parseImagesSettings(inputs: InputReader): ImagesSettings {
  const images = [...new Set(inputs.list('images', /\r?\n|,/))];
  for (const image of images) {
    const problem = referenceProblem(image);
    if (problem)
      inputs.problems.push(`'images' has an invalid reference ${show(image)}: ${problem}`);
  }
  const rewrite = inputs.list('rewrite').filter((line) => !line.startsWith('#'));
  for (const glob of rewrite) {
    const problem = globProblem(glob.replace(/^!/, ''));
    if (problem) inputs.problems.push(`'rewrite' has ${show(glob)}: ${problem}`);
  }
  return { images, rewrite, verifyDigest: inputs.boolean('verify-digest') };
}

/** Why a glob could reach outside the workspace; undefined when it cannot. */
export function globProblem(glob: string): string | undefined {
  if (/^([\\/]|[A-Za-z]:|~)/.test(glob)) {
    return 'globs are relative to GITHUB_WORKSPACE; an absolute path is refused';
  }
  if (glob.split(/[\\/]/).includes('..')) return 'a `..` segment would leave the workspace';
  return undefined;
}
