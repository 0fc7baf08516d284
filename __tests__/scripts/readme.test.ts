// The README is the user's reference: its inputs and outputs tables name exactly what action.yml
// declares (with the same defaults), and no line of prose is wider than a screen.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const README = readFileSync('README.md', 'utf8');
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** The widest line a README may have outside a fenced code block. */
const MAX_WIDTH = 200;

/** The text of a `## heading` section, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.search(new RegExp(`^## ${heading}\\s*$`, 'm'));
  if (start < 0) return '';
  const rest = markdown.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The rows of the first table in a section: the cells, without backticks. */
function tableRows(markdown: string, heading: string): string[][] {
  return section(markdown, heading)
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')),
    );
}

/** What differs between a table's first column and the names action.yml declares. */
function nameProblems(rows: string[][], declared: string[], what: string): string[] {
  const named = rows.map((row) => row[0]);
  return [
    ...declared.filter((n) => !named.includes(n)).map((n) => `no row for the ${what} ${n}`),
    ...named.filter((n) => !declared.includes(n)).map((n) => `a row for ${n}, not an ${what}`),
    ...named.filter((n, i) => named.indexOf(n) !== i).map((n) => `two rows for ${n}`),
  ];
}

/** Input rows whose default is not action.yml's (an empty default is written `''`). */
function defaultProblems(rows: string[][], inputs: typeof action.inputs): string[] {
  return rows
    .filter(([name]) => name in inputs)
    .map(([name, shown]) => [name, shown, inputs[name].default || "''"])
    .filter(([, shown, declared]) => shown !== declared)
    .map(([name, shown, declared]) => `${name}: the README says ${shown}, action.yml ${declared}`);
}

/** 1-based numbers of the lines wider than `max`, outside fenced code blocks. */
function wideLines(markdown: string, max: number): number[] {
  let fence = false;
  return markdown.split('\n').flatMap((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    return !fence && [...line].length > max ? [i + 1] : [];
  });
}

const inputs = Object.keys(action.inputs);
const outputs = Object.keys(action.outputs);

describe('the checks themselves', () => {
  const doc = [
    '## Inputs',
    '',
    '| input | default | what |',
    '| --- | --- | --- |',
    '| `registry` | `public.ecr.aws` | where |',
    "| `made-up` | `''` | not an input |",
    '',
    '## Outputs',
    '',
    '| output | what |',
    '| --- | --- |',
    '| `registry` | the host |',
    '',
    '```sh',
    `echo ${'x'.repeat(300)}`,
    '```',
    'x'.repeat(MAX_WIDTH + 1),
  ].join('\n');

  test('see an input or output missing from the table, and a row that names none', () => {
    const problems = nameProblems(tableRows(doc, 'Inputs'), ['registry', 'logout'], 'input');
    expect(problems).toEqual(['no row for the input logout', 'a row for made-up, not an input']);
    expect(nameProblems(tableRows(doc, 'Outputs'), ['registry'], 'output')).toEqual([]);
  });

  test('see a default that differs from action.yml', () => {
    const rows = tableRows(doc, 'Inputs');
    expect(defaultProblems(rows, { registry: { default: 'public.ecr.aws' } })).toEqual([]);
    expect(defaultProblems(rows, { registry: { default: 'docker.io' } })).toEqual([
      'registry: the README says public.ecr.aws, action.yml docker.io',
    ]);
  });

  test('see a wide line outside code blocks, not inside', () => {
    expect(wideLines(doc, MAX_WIDTH)).toEqual([17]);
  });
});

describe('README.md', () => {
  test('the inputs table has one row for each input of action.yml, and no other', () => {
    expect(nameProblems(tableRows(README, 'Inputs'), inputs, 'input')).toEqual([]);
  });

  test("each input's default is action.yml's", () => {
    expect(defaultProblems(tableRows(README, 'Inputs'), action.inputs)).toEqual([]);
  });

  test('the outputs table has one row for each output of action.yml, and no other', () => {
    expect(nameProblems(tableRows(README, 'Outputs'), outputs, 'output')).toEqual([]);
  });

  test(`no line outside a code block is wider than ${MAX_WIDTH} characters`, () => {
    expect(wideLines(README, MAX_WIDTH)).toEqual([]);
  });

  test('the inputs and outputs come before the set-up and the features', () => {
    const at = (heading: string) => README.search(new RegExp(`^## ${heading}`, 'm'));
    expect(at('Usage')).toBeGreaterThan(0);
    expect(at('Usage')).toBeLessThan(at('Inputs'));
    expect(at('Inputs')).toBeLessThan(at('Outputs'));
    expect(at('Outputs')).toBeLessThan(at('AWS set-up'));
  });

  test('the figures "How fast" quotes are the ones docs/performance.md records', () => {
    const performance = readFileSync('docs/performance.md', 'utf8');
    const quoted = section(README, 'How fast').match(/\d+ ms/g) ?? [];
    expect(quoted.length).toBeGreaterThan(0);
    for (const figure of quoted) expect(performance).toContain(figure);
  });
});
