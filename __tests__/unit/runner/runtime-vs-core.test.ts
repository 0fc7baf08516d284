// runtime.ts speaks the runner protocol by hand (importing @actions/core loads undici: ~100 ms
// more start-up per step, measured). @actions/core is the oracle: one table of calls drives both,
// and the files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_STEP_SUMMARY) and the stdout
// commands must be the same bytes, the random heredoc delimiter aside.
//
// Intended divergences, each tested against core's own bytes below:
// - info(): core prints the message as is, so remote text with a line break or a leading `::`
//   becomes a workflow command; ours prints one line that cannot (see plain-line.test.ts).
// - setSecret(): core sends one add-mask for a multi-line value; the runner masks line by line,
//   so that value would never be masked; ours also registers each line.
// - Local redaction: ours replaces registered secrets with *** in the commands it writes itself
//   (the runner masks too; ours also covers logs read before the runner's masker sees them).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createRuntime, type Runtime } from '../../../src/runner/runtime.js';

const FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'] as const;
type Call = { ours: (r: Runtime) => unknown; core: () => unknown };
type Captured = { stdout: string; files: Record<string, string>; value: unknown };

const ODD_VALUES = [
  'plain',
  'two\nlines',
  'crlf\r\nlines\r\n',
  '100% sure, 50%25 escaped?',
  'carriage\rreturn',
  '::error::not a command in a file',
  'ghadelimiter_00000000-0000-0000-0000-000000000000',
  'name<<EOF\nvalue\nEOF',
  '',
  ' leading and trailing spaces ',
  'unicode ✓ ü 🎉',
];

const INPUT_NAMES: [string, string][] = [
  ['role-to-assume', 'arn:aws:iam::1:role/x'],
  ['my input', '  spaced  '],
  ['Mixed Case', '\tvalue\n'],
  ['tabs', '\t\n '],
  ['missing', ''],
];

const calls: [string, Call][] = [
  ...ODD_VALUES.flatMap((v, i): [string, Call][] => [
    [
      `setOutput ${JSON.stringify(v)}`,
      {
        ours: (r) => r.setOutputs({ [`out${i}`]: v }),
        core: () => core.setOutput(`out${i}`, v),
      },
    ],
    [
      `saveState ${JSON.stringify(v)}`,
      { ours: (r) => r.saveState(`s${i}`, v), core: () => core.saveState(`s${i}`, v) },
    ],
    [
      `exportVariable ${JSON.stringify(v)}`,
      { ours: (r) => r.exportVariable(`V${i}`, v), core: () => core.exportVariable(`V${i}`, v) },
    ],
    [`debug ${JSON.stringify(v)}`, { ours: (r) => r.debug(v), core: () => core.debug(v) }],
    [`warning ${JSON.stringify(v)}`, { ours: (r) => r.warning(v), core: () => core.warning(v) }],
    [`error ${JSON.stringify(v)}`, { ours: (r) => r.error(v), core: () => core.error(v) }],
    [
      `summary ${JSON.stringify(v)}`,
      { ours: (r) => r.appendSummary(v), core: () => core.summary.addRaw(v).addEOL().write() },
    ],
  ]),
  ...['ECR: login, failed', '100% done', 'a\nb', 'x=y::z'].flatMap((title): [string, Call][] => [
    [
      `warning title ${JSON.stringify(title)}`,
      { ours: (r) => r.warning('m%\n', title), core: () => core.warning('m%\n', { title }) },
    ],
    [
      `error title ${JSON.stringify(title)}`,
      { ours: (r) => r.error('m', title), core: () => core.error('m', { title }) },
    ],
  ]),
  ...INPUT_NAMES.map(([name]): [string, Call] => [
    `getInput ${JSON.stringify(name)}`,
    { ours: (r) => r.getInput(name), core: () => core.getInput(name) },
  ]),
  ['getState', { ours: (r) => r.getState('kept'), core: () => core.getState('kept') }],
  ['isDebug', { ours: (r) => r.isDebug(), core: () => core.isDebug() }],
  [
    'info, one plain line',
    { ours: (r) => r.info('Logged in: 100% ✓'), core: () => core.info('Logged in: 100% ✓') },
  ],
  [
    'setSecret, one line',
    { ours: (r) => r.setSecret('s3cr%t'), core: () => core.setSecret('s3cr%t') },
  ],
  [
    'group with a name that needs escaping',
    {
      ours: (r) => r.group('Log in\n100%', async () => r.debug('inside')),
      core: () => core.group('Log in\n100%', async () => core.debug('inside')),
    },
  ],
];

// One folder for the whole file: core.summary keeps the first path it saw.
const dir = mkdtempSync(join(tmpdir(), 'runtime-vs-core-'));
const saved = { ...process.env };
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  for (const name of FILES) writeFileSync(join(dir, name), '');
  for (const name of FILES) process.env[name] = join(dir, name);
  for (const [name, value] of INPUT_NAMES) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  process.env.STATE_kept = 'from main';
  process.env.RUNNER_DEBUG = '1';
});
afterEach(() => {
  process.env = { ...saved };
});

const normalise = (text: string) =>
  text.replace(
    /ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    '<DELIMITER>',
  );

function readFiles(): Record<string, string> {
  const files = Object.fromEntries(
    FILES.map((n) => [n, normalise(readFileSync(join(dir, n), 'utf8'))]),
  );
  for (const name of FILES) writeFileSync(join(dir, name), '');
  return files;
}

async function captureCore(call: () => unknown): Promise<Captured> {
  let stdout = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof write;
  try {
    const value = await call();
    return { stdout: normalise(stdout), files: readFiles(), value };
  } finally {
    process.stdout.write = write;
  }
}

async function captureOurs(call: (r: Runtime) => unknown): Promise<Captured> {
  let stdout = '';
  const runtime = createRuntime(process.env, (text) => {
    stdout += text;
  });
  const value = await call(runtime);
  return { stdout: normalise(stdout), files: readFiles(), value };
}

test.each(calls)('%s: same bytes as @actions/core', async (_name, call) => {
  const theirs = await captureCore(call.core);
  const ours = await captureOurs(call.ours);
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.files).toEqual(theirs.files);
  // Getters answer the same; core's setters and summary return objects of their own.
  if (ours.value !== undefined) expect(ours.value).toEqual(theirs.value);
});

test('exportVariable sets the variable for this process too, as core does', async () => {
  await captureOurs((r) => r.exportVariable('EXPORTED_BY_US', 'a\nb'));
  await captureCore(() => core.exportVariable('EXPORTED_BY_CORE', 'a\nb'));
  expect(process.env.EXPORTED_BY_US).toBe(process.env.EXPORTED_BY_CORE);
});

describe('intended divergences', () => {
  test('info: core lets remote text become a command; ours prints it as text', async () => {
    const forged = 'line one\n::error::forged';
    expect((await captureCore(() => core.info(forged))).stdout).toContain('\n::error::forged');
    expect((await captureOurs((r) => r.info(forged))).stdout).toBe('line one ::error::forged\n');
  });

  test('setSecret: core sends one add-mask for a multi-line value; ours adds one per line', async () => {
    const key = '-----BEGIN KEY-----\nAAAA\n-----END KEY-----';
    expect((await captureCore(() => core.setSecret(key))).stdout).toBe(
      '::add-mask::-----BEGIN KEY-----%0AAAAA%0A-----END KEY-----\n',
    );
    expect((await captureOurs((r) => r.setSecret(key))).stdout).toBe(
      '::add-mask::-----BEGIN KEY-----\n::add-mask::AAAA\n::add-mask::-----END KEY-----\n',
    );
  });

  test('redaction: ours masks registered secrets in what it writes; core leaves that to the runner', async () => {
    const ours = await captureOurs((r) => {
      r.setSecret('hunter2');
      r.error('token hunter2 rejected');
      r.appendSummary('| hunter2 |');
    });
    const theirs = await captureCore(() => {
      core.setSecret('hunter2');
      core.error('token hunter2 rejected');
      appendFileSync(process.env.GITHUB_STEP_SUMMARY!, '| hunter2 |\n');
    });
    expect(theirs.stdout).toContain('::error::token hunter2 rejected');
    expect(ours.stdout).toContain('::error::token *** rejected');
    expect(ours.files.GITHUB_STEP_SUMMARY).toBe('| *** |\n');
  });
});
