// The README's "Under faults" table is what scripts/readme-figures.mjs writes from the committed
// record of a real run (figures/faults.json): not hand-edited, and rewriting it changes nothing.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  BENCH_RECORD,
  fromRecords,
  renderPerformance,
  README,
  RECORD,
  recordOf,
  renderTable,
  replaceBlock,
  ROWS,
} from '../../scripts/readme-figures.mjs';

const readme = readFileSync(README, 'utf8');
const record = JSON.parse(readFileSync(RECORD, 'utf8'));

describe('README figures', () => {
  test('the README table is exactly what the script writes from figures/faults.json', () => {
    expect(replaceBlock(readme, renderTable(record))).toBe(readme);
  });

  test('rewriting is idempotent', () => {
    const once = replaceBlock(readme, renderTable(record));
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

describe('README performance table', () => {
  const bench = JSON.parse(readFileSync(BENCH_RECORD, 'utf8'));

  test('is exactly what the script writes from figures/bench.json', () => {
    expect(replaceBlock(readme, renderPerformance(bench), 'performance')).toBe(readme);
    expect(fromRecords(readme)).toBe(readme);
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
    expect(renderPerformance(changed)).toContain('job 0.30×');
    expect(renderPerformance(changed)).not.toBe(table);
  });
});
