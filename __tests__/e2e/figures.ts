// The measured figures of the fault matrix, merged row by row into .sandbox/figures.json
// (git-ignored), from which the README's table is written.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../sandbox/sandbox.mjs';

export const FIGURES_FILE = path.join(REPO_ROOT, '.sandbox', 'figures.json');

/** Merges one row's figures into the file atomically (another suite may be writing too). */
export function recordFigures(row: string, figures: Record<string, unknown>): void {
  mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FIGURES_FILE, 'utf8'));
  } catch {
    // first row of a fresh run
  }
  all[row] = { ...figures, recordedAt: new Date().toISOString() };
  const temp = `${FIGURES_FILE}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(all, null, 2) + '\n');
  renameSync(temp, FIGURES_FILE);
}
