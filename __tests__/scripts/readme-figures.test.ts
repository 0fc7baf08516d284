// The fault table (docs/faults.md) and the performance table (docs/performance.md) are what
// scripts/readme-figures.mjs writes from the committed records of real runs (figures/*.json): not
// hand-edited, and rewriting them changes nothing.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  BENCH_RECORD,
  DOCS,
  fromRecords,
  renderPerformance,
  RECORD,
  recordOf,
  renderTable,
  replaceBlock,
  ROWS,
} from '../../scripts/readme-figures.mjs';

const faultsDoc = readFileSync(DOCS.faults, 'utf8');
const performanceDoc = readFileSync(DOCS.performance, 'utf8');
const record = JSON.parse(readFileSync(RECORD, 'utf8'));

describe('the fault table', () => {
  test('docs/faults.md holds exactly what the script writes from figures/faults.json', () => {
    expect(DOCS.faults).toMatch(/docs\/faults\.md$/);
    expect(replaceBlock(faultsDoc, renderTable(record))).toBe(faultsDoc);
  });

  test('rewriting is idempotent', () => {
    const once = replaceBlock(faultsDoc, renderTable(record));
    expect(replaceBlock(once, renderTable(record))).toBe(once);
  });

  test('every row of the table was measured in the recorded run', () => {
    expect(Object.keys(record).sort()).toEqual(ROWS.map((r) => r.key).sort());
    for (const row of ROWS) expect(renderTable(record)).toContain(row.measured(record[row.key]));
  });

  test('the measured column comes from the figures: other figures, other table', () => {
    const key = 'ecr-500-twice';
    const changed = { ...record, [key]: { ...record[key], ecrCalls: 97 } };
    expect(renderTable(changed)).toContain('97 ECR calls');
    expect(renderTable(changed)).not.toBe(renderTable(record));
    expect(renderTable({})).toContain('not measured in this run');
  });

  test('only the rows the table quotes are kept from a run', () => {
    expect(recordOf({ ...record, 'proxy-no-proxy': { result: 'success' } })).toEqual(record);
  });
});

describe('the performance table', () => {
  const bench = JSON.parse(readFileSync(BENCH_RECORD, 'utf8'));

  test('docs/performance.md holds exactly what the script writes from figures/bench.json', () => {
    expect(DOCS.performance).toMatch(/docs\/performance\.md$/);
    expect(replaceBlock(performanceDoc, renderPerformance(bench), 'performance')).toBe(
      performanceDoc,
    );
  });

  test('states the run it comes from and reads its figures: other figures, other table', () => {
    const table = renderPerformance(bench);
    expect(table).toContain(bench.machine.date.slice(0, 10));
    expect(table).toContain(`Node ${bench.machine.node.replace(/^v/, '')}`);
    const plain = {
      ...bench.comparison.plain,
      jobRatio: { ...bench.comparison.plain.jobRatio, median: 0.3 },
    };
    const changed = { ...bench, comparison: { ...bench.comparison, plain } };
    expect(renderPerformance(changed)).toContain('job 0.300×');
    expect(renderPerformance(changed)).not.toBe(table);
  });
});

describe('npm run figures -- --check', () => {
  test('the check finds every file as the records give it', () => {
    const files = fromRecords();
    expect(files.map((f) => f.name).sort()).toEqual(['faults', 'performance']);
    for (const f of files) expect(f.expected).toBe(f.text);
  });

  test('the check sees a hand-edited table', () => {
    const edited = (file: string) =>
      readFileSync(file, 'utf8').replace('success; 3 ECR calls', 'success; 2 ECR calls');
    const stale = fromRecords(edited).filter((f) => f.expected !== f.text);
    expect(stale.map((f) => f.name)).toEqual(['faults']);
  });

  test('a file without its block is an error, not a silent no-op', () => {
    expect(() => replaceBlock('# no markers here\n', 'table', 'performance')).toThrow(
      /figures:performance/,
    );
  });
});
