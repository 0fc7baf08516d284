// One row per reference for the step summary and the CLI: where it is pulled from, and why.
import type { RewritePlan } from './rewrite-plan.js';

export interface ImageRow {
  reference: string;
  pull: string;
  mirrored: boolean;
  reason?: string;
  /** Where it was named: `images` and/or file paths. */
  sources: string[];
}

export function imageRows(images: readonly string[], m: RewritePlan): ImageRow[] {
  return [...resolvedRows(images, m), ...keptRows(m)];
}

function resolvedRows(images: readonly string[], m: RewritePlan): ImageRow[] {
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

/** References left as written whatever the mirror serves (Compose `image:` beside `build:`). */
function keptRows(m: RewritePlan): ImageRow[] {
  const rows = new Map<string, ImageRow>();
  for (const file of m.files) {
    for (const [reference, reason] of file.kept) {
      const key = `${reference}\n${reason}`;
      const row = rows.get(key) ?? {
        reference,
        pull: reference,
        mirrored: false,
        reason,
        sources: [],
      };
      row.sources.push(file.relative);
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}
