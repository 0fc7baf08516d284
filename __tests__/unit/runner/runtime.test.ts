import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, fileCommandEntry } from '../../../src/runner/runtime.js';
import { parseKeyValueFile, readKeyValueFile } from '../../../sandbox/runner.mjs';

/** The runner's own file-command parser (the emulator's), as [name, value] pairs. */
const parseFileCommands = (text: string) => {
  const entries: [string, string][] = [];
  parseKeyValueFile(text, (name, value) => entries.push([name, value]));
  return entries;
};

type Env = Record<string, string | undefined>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runtime-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A runtime over a fake env, collecting everything it prints. */
function setup(env: Env = {}) {
  const written: string[] = [];
  const runtime = createRuntime(env, (text) => void written.push(text));
  return { runtime, env, written, lines: () => written.join('').split(EOL).slice(0, -1) };
}

type Setter = 'setOutput' | 'saveState' | 'exportVariable';
/** One name and value through each way of handing values to the runner. */
const set = (
  runtime: ReturnType<typeof createRuntime>,
  method: Setter,
  name: string,
  value: string,
) =>
  method === 'setOutput' ? runtime.setOutputs({ [name]: value }) : runtime[method](name, value);

/** Files the runner would hand the step, created empty. */
function runnerFiles(): Env {
  const env: Env = {};
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    const file = join(dir, name.toLowerCase());
    writeFileSync(file, '');
    env[name] = file;
  }
  return env;
}

/** Undoes the runner's command escaping of a message. */
const unescapeData = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

describe('getInput / getState', () => {
  test('reads INPUT_<NAME> upper-cased, hyphens kept, spaces → _, trimmed', () => {
    const { runtime } = setup({
      'INPUT_ROLE-TO-ASSUME': '  arn:aws:iam::123456789012:role/x \n',
      INPUT_MY_SPACED_INPUT: 'spaced',
      INPUT_ROLE_TO_ASSUME: 'wrong: underscores are not how the runner names it',
    });
    expect(runtime.getInput('role-to-assume')).toBe('arn:aws:iam::123456789012:role/x');
    expect(runtime.getInput('my spaced input')).toBe('spaced');
    expect(runtime.getInput('missing')).toBe('');
  });

  test('reads STATE_<name> as is', () => {
    const { runtime } = setup({ STATE_post: ' {"logout":true} ' });
    expect(runtime.getState('post')).toBe(' {"logout":true} ');
    expect(runtime.getState('POST')).toBe('');
  });
});

describe('file commands', () => {
  test.each<[string, Setter]>([
    ['GITHUB_OUTPUT', 'setOutput'],
    ['GITHUB_STATE', 'saveState'],
    ['GITHUB_ENV', 'exportVariable'],
  ])('%s gets heredoc entries the runner can parse', (fileVar, method) => {
    const env = runnerFiles();
    const { runtime, written } = setup(env);
    set(runtime, method, 'registry', 'public.ecr.aws');
    set(runtime, method, 'multi', 'line one\nline two\n\nline four');
    set(runtime, method, 'empty', '');
    set(runtime, method, 'tricky', 'a<<EOF\nEOF\n%0A::set-output name=x::y');
    const text = readFileSync(env[fileVar]!, 'utf8');
    expect(parseFileCommands(text)).toEqual([
      ['registry', 'public.ecr.aws'],
      ['multi', 'line one\nline two\n\nline four'],
      ['empty', ''],
      ['tricky', 'a<<EOF\nEOF\n%0A::set-output name=x::y'],
    ]);
    expect(written).toEqual([]);
    // every entry has its own random delimiter
    const delimiters = [...text.matchAll(/^(?:registry|multi|empty|tricky)<<(.+)$/gm)].map(
      (m) => m[1],
    );
    expect(new Set(delimiters).size).toBe(4);
    for (const d of delimiters) expect(d).toMatch(/^ghadelimiter_[0-9a-f-]{36}$/);
  });

  test('entries are appended, never overwriting what the file held', () => {
    const env = runnerFiles();
    writeFileSync(env.GITHUB_OUTPUT!, `earlier<<X${EOL}kept${EOL}X${EOL}`);
    setup(env).runtime.setOutputs({ registry: 'docker.io' });
    expect(readKeyValueFile(env.GITHUB_OUTPUT!)).toEqual([
      ['earlier', 'kept'],
      ['registry', 'docker.io'],
    ]);
  });

  test('setOutputs hands every output in order, each with its own delimiter; none, nothing', () => {
    const env = runnerFiles();
    const { runtime } = setup(env);
    runtime.setOutputs({});
    expect(readFileSync(env.GITHUB_OUTPUT!, 'utf8')).toBe('');
    runtime.setOutputs({ registry: 'public.ecr.aws', multi: 'a\nb', empty: '' });
    const text = readFileSync(env.GITHUB_OUTPUT!, 'utf8');
    expect(parseFileCommands(text)).toEqual([
      ['registry', 'public.ecr.aws'],
      ['multi', 'a\nb'],
      ['empty', ''],
    ]);
    expect(new Set([...text.matchAll(/<<(ghadelimiter_.+)$/gm)].map((m) => m[1])).size).toBe(3);
  });

  test('fileCommandEntry refuses a value containing its delimiter', () => {
    expect(() => fileCommandEntry('n', 'x DELIM y', 'DELIM')).toThrow('delimiter');
    expect(() => fileCommandEntry('DELIM', 'x', 'DELIM')).toThrow('delimiter');
    expect(fileCommandEntry('n', 'v', 'D')).toBe(`n<<D${EOL}v${EOL}D${EOL}`);
  });

  test('exportVariable also sets the variable for the rest of this process', () => {
    const env = runnerFiles();
    const { runtime } = setup(env);
    runtime.exportVariable('DOCKER_CONFIG', '/tmp/cfg');
    expect(env.DOCKER_CONFIG).toBe('/tmp/cfg');
  });

  test('exportVariable without GITHUB_ENV only sets the variable', () => {
    const { runtime, env, written } = setup({});
    runtime.exportVariable('DOCKER_CONFIG', '/tmp/cfg');
    expect(env.DOCKER_CONFIG).toBe('/tmp/cfg');
    expect(written).toEqual([]);
  });
});

describe('legacy commands when there is no file', () => {
  test.each<[string, Setter]>([
    ['set-output', 'setOutput'],
    ['save-state', 'saveState'],
  ])('::%s name=…:: with the value escaped', (command, method) => {
    const { runtime, lines } = setup({});
    set(runtime, method, 'registry', 'public.ecr.aws');
    set(runtime, method, 'multi', '50% a\r\nb');
    expect(lines()).toEqual([
      `::${command} name=registry::public.ecr.aws`,
      `::${command} name=multi::50%25 a%0D%0Ab`,
    ]);
  });

  test('property values escape : and , as well', () => {
    const { runtime, lines } = setup({});
    runtime.setOutputs({ 'a:b,c%d': 'v' });
    expect(lines()).toEqual(['::set-output name=a%3Ab%2Cc%25d::v']);
  });
});

describe('setSecret', () => {
  test('registers the value with ::add-mask::', () => {
    const { runtime, lines } = setup();
    runtime.setSecret('s3cr3t');
    expect(lines()).toEqual(['::add-mask::s3cr3t']);
  });

  test('a multi-line secret is masked line by line, empty lines skipped', () => {
    const { runtime, lines } = setup();
    runtime.setSecret('-----BEGIN KEY-----\r\nAAAA\n\nBBBB\n-----END KEY-----\n');
    expect(lines()).toEqual([
      '::add-mask::-----BEGIN KEY-----',
      '::add-mask::AAAA',
      '::add-mask::BBBB',
      '::add-mask::-----END KEY-----',
    ]);
  });

  test('a mask value is escaped like command data', () => {
    const { runtime, lines } = setup();
    runtime.setSecret('100%\rsure');
    expect(lines()).toEqual(['::add-mask::100%25%0Dsure']);
    expect(unescapeData(lines()[0].slice('::add-mask::'.length))).toBe('100%\rsure');
  });

  test('an empty value and a repeated value add nothing', () => {
    const { runtime, lines } = setup();
    runtime.setSecret('');
    runtime.setSecret('abc');
    runtime.setSecret('abc');
    expect(lines()).toEqual(['::add-mask::abc']);
  });
});

describe('redaction', () => {
  const SECRET = 'dckr_pat_0123456789';

  test('secrets are replaced with *** in info, debug, warning, error and summary', () => {
    const env = runnerFiles();
    const { runtime, written } = setup(env);
    runtime.setSecret(SECRET);
    written.length = 0;
    runtime.info(`token is ${SECRET}!`);
    runtime.debug(`debug ${SECRET}`);
    runtime.warning(`warn ${SECRET} and ${SECRET}`, 'Title');
    runtime.error(`error ${SECRET}`);
    runtime.appendSummary(`| ${SECRET} |`);
    const printed = written.join('');
    expect(printed).not.toContain(SECRET);
    expect(printed).toContain('token is ***!');
    expect(printed).toContain('::debug::debug ***');
    expect(printed).toContain('::warning title=Title::warn *** and ***');
    expect(printed).toContain('::error::error ***');
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(summary).toBe(`| *** |${EOL}`);
    expect(runtime.redact(`x${SECRET}y`)).toBe('x***y');
  });

  test.each([
    ['short first', ['abc', 'abcdef']],
    ['long first', ['abcdef', 'abc']],
  ])('the longest secret is replaced first (%s)', (_label, secrets) => {
    const { runtime } = setup();
    for (const s of secrets) runtime.setSecret(s);
    expect(runtime.redact('[abcdef] [abc]')).toBe('[***] [***]');
  });

  test('a multi-line secret is redacted as a whole', () => {
    const { runtime } = setup();
    runtime.setSecret('line1\nline2');
    expect(runtime.redact('before line1\nline2 after')).toBe('before *** after');
  });

  test('text without secrets is unchanged', () => {
    const { runtime } = setup();
    runtime.setSecret('zzz');
    expect(runtime.redact('nothing here')).toBe('nothing here');
  });
});

describe('log commands', () => {
  test('info is written as is, one line', () => {
    const { runtime, written } = setup();
    runtime.info('Logged in to public.ecr.aws.');
    expect(written).toEqual([`Logged in to public.ecr.aws.${EOL}`]);
  });

  test('warning and error escape %, \\r and \\n in the message and the title', () => {
    const { runtime, lines } = setup();
    runtime.warning('50% done\nsecond line\r', 'ECR: login, failed');
    runtime.error('a\nb');
    expect(lines()).toEqual([
      '::warning title=ECR%3A login%2C failed::50%25 done%0Asecond line%0D',
      '::error::a%0Ab',
    ]);
    expect(unescapeData('50%25 done%0Asecond line%0D')).toBe('50% done\nsecond line\r');
  });

  test('a message cannot inject another workflow command', () => {
    const { runtime, lines } = setup();
    runtime.error('x\n::add-mask::y\n::set-output name=a::b');
    expect(lines()).toHaveLength(1);
  });

  test('group brackets the work, even when it throws, and returns its value', async () => {
    const { runtime, lines } = setup();
    await expect(
      runtime.group('Log in\nnow', async () => {
        runtime.info('inside');
        return 7;
      }),
    ).resolves.toBe(7);
    await expect(
      runtime.group('Failing', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(lines()).toEqual([
      '::group::Log in%0Anow',
      'inside',
      '::endgroup::',
      '::group::Failing',
      '::endgroup::',
    ]);
  });

  test.each<[Env, boolean]>([
    [{ RUNNER_DEBUG: '1' }, true],
    [{ RUNNER_DEBUG: '0' }, false],
    [{}, false],
  ])('isDebug with %j → %s', (env, expected) => {
    expect(setup(env).runtime.isDebug()).toBe(expected);
  });

  test('appendSummary without GITHUB_STEP_SUMMARY writes nowhere', () => {
    const { runtime, written } = setup({});
    runtime.appendSummary('# hi');
    expect(written).toEqual([]);
    expect(existsSync(join(dir, 'github_step_summary'))).toBe(false);
  });

  test('appendSummary appends markdown blocks', () => {
    const env = runnerFiles();
    const { runtime } = setup(env);
    runtime.appendSummary('### one');
    runtime.appendSummary('| a | b |');
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe(`### one${EOL}| a | b |${EOL}`);
  });
});

describe('info lines quoting remote text never become workflow commands', () => {
  test.each([
    ['a newline then a command', 'busy\n::error title=Forged::injected'],
    ['a CR then a command', 'busy\r::add-mask::x'],
    ['a leading command', '::stop-commands::abc'],
    ['the legacy ##[ form mid-line', 'HTTP 503: ##[set-output name=registry]evil'],
  ])('%s', (_label, text) => {
    const { runtime, lines } = setup();
    runtime.info(`OIDC failed (${text}); attempt 1 of 5, retrying in 10 ms`);
    expect(lines()).toHaveLength(1);
    const [line] = lines();
    expect(line.startsWith('::')).toBe(false);
    expect(line).not.toContain('##[');
    expect(line).toContain('attempt 1 of 5');
  });
});
