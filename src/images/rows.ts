// One row per reference for the step summary and the CLI: where it is pulled from, and why.
import type { Migration } from './migrate.js';

export interface ImageRow {
  reference: string;
  pull: string;
  mirrored: boolean;
  reason?: string;
  /** Where it was named: `images` and/or file paths. */
  sources: string[];
}

export function imageRows(images: readonly string[], m: Migration): ImageRow[] {
  return [...m.resolutions].map(([reference, r]) => ({
    reference,
    pull: r.pull,
    mirrored: r.mirrored,
    reason: r.reason,
    sources: [
      ...(images.includes(reference) ? ['images'] : []),
      ...m.files.filter((f) => f.references.includes(reference)).map((f) => f.relative),
    ],
  }));
}
