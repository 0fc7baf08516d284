// The real exec: real processes, no mocks. Where its contract overlaps @actions/exec's
// (exit code, stdin, env, captured output) both run the same table and must agree.
import { getExecOutput } from '@actions/exec';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createExec, exec, EXIT_GRACE_MS } from '../../../src/runner/exec.js';

const env = { PATH: process.env.PATH, LANG: 'C' };

test('a program that is not on PATH rejects with ENOENT', async () => {
  await expect(exec('no-such-program-here', [], { env })).rejects.toMatchObject({ code: 'ENOENT' });
});

describe('the same answers as @actions/exec where the contracts overlap', () => {
  // Input undefined: the program does not read stdin. Intended divergence: @actions/exec lets
  // EPIPE escape when a program exits without reading its input (seen with printf), and keeps
  // stdin open when given none; ours always writes the input (maybe empty) and closes stdin,
  // and reports the exit code (tested below).
  test.each<[string, string, string[], string | undefined]>([
    ['exit code 0', 'sh', ['-c', 'exit 0'], undefined],
    ['exit code 3', 'sh', ['-c', 'exit 3'], undefined],
    ['exit code 255', 'sh', ['-c', 'exit 255'], undefined],
    ['stdout and stderr kept apart', 'sh', ['-c', 'echo out; echo err >&2'], undefined],
    ['stdin is the input, then closed', 'sh', ['-c', 'cat; echo "[eof]"'], 'pass\nword'],
    ['an empty input is an empty stdin', 'sh', ['-c', 'wc -c'], ''],
    ['argv is not interpolated', 'printf', ['%s|', '$HOME', '`id`', 'a b'], undefined],
    [
      'env is exactly what was given',
      'sh',
      ['-c', 'echo "$DOCKER_ONLY_THIS:${HOME:-unset}"'],
      undefined,
    ],
    ['UTF-8 output', 'printf', ['héllo ✓'], undefined],
  ])('%s', async (_name, command, args, input) => {
    const given = { ...env, DOCKER_ONLY_THIS: 'yes' };
    const ours = await exec(command, args, { input, env: given });
    const theirs = await getExecOutput(command, args, {
      input: input === undefined ? undefined : Buffer.from(input),
      env: given as Record<string, string>,
      ignoreReturnCode: true,
      silent: true,
    });
    expect(ours).toEqual({
      exitCode: theirs.exitCode,
      stdout: theirs.stdout,
      stderr: theirs.stderr,
    });
  });
});

test('a program that never reads stdin gets its exit code reported, however big the input', async () => {
  const input = 'x'.repeat(4 * 1024 * 1024);
  await expect(exec('sh', ['-c', 'exit 3'], { input, env })).resolves.toMatchObject({
    exitCode: 3,
  });
  await expect(exec('true', [], { input, env })).resolves.toMatchObject({ exitCode: 0 });
});

describe('the time-out bounds the call, whatever the program forked', () => {
  test.each([
    ['a forking wrapper', ['-c', 'sleep 5; true']],
    ['a wrapper that leaves its child holding the pipes', ['-c', 'sleep 5 & wait']],
    ['a plain sleep', ['-c', 'exec sleep 5']],
  ])('%s is killed, group and all, at 300 ms', async (_name, args) => {
    const started = Date.now();
    const result = await exec('sh', args, { env, timeoutMs: 300 });
    const took = Date.now() - started;
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('(killed by SIGKILL after 300 ms)');
    expect(took).toBeGreaterThanOrEqual(300);
    // The old exec waited for the grandchild (5,0xx ms); the margin is for a loaded machine.
    expect(took).toBeLessThan(300 + EXIT_GRACE_MS + 2500);
  });

  test('a program that exits but leaves a child holding the pipes settles after the grace', async () => {
    const started = Date.now();
    const result = await exec('sh', ['-c', 'echo done; sleep 5 &'], { env, timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'done\n' });
    expect(Date.now() - started).toBeLessThan(EXIT_GRACE_MS + 2500);
  });

  test('a program that finishes in time is not reported as killed', async () => {
    const result = await exec('sh', ['-c', 'sleep 0.1; echo ok'], { env, timeoutMs: 5_000 });
    expect(result).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
  });
});

describe('a child sees no secret of the step (child-env.ts)', () => {
  const secrets = {
    'INPUT_FALLBACK-TOKEN': 'dckr_oat_input_secret',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-secret',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-secret',
    GITHUB_TOKEN: 'ghs_github_token_secret',
    AWS_SECRET_ACCESS_KEY: 'aws-secret-key-secret',
    AWS_SESSION_TOKEN: 'aws-session-token-secret',
    DOCKER_AUTH_CONFIG: '{"auths":{"x":{"auth":"docker-auth-secret"}}}',
  };
  const needed = {
    PATH: process.env.PATH!,
    HOME: '/home/runner',
    DOCKER_CONFIG: '/tmp/docker-config',
    DOCKER_HOST: 'unix:///run/docker.sock',
    HTTPS_PROXY: 'http://proxy:3128',
    XDG_RUNTIME_DIR: '/run/user/1001',
  };

  test('given an env: what docker needs passes, the rest does not', async () => {
    const { stdout } = await exec('env', [], { env: { ...needed, ...secrets } });
    const seen = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s, 2)),
    );
    expect(seen).toEqual(needed);
  });

  test('given none: the step’s own environment, filtered', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      const { stdout } = await exec('env', []);
      for (const value of Object.values(secrets)) expect(stdout).not.toContain(value);
      expect(stdout).toContain(`PATH=${process.env.PATH}`);
    } finally {
      for (const name of Object.keys(secrets)) if (!(name in saved)) delete process.env[name];
    }
  });
});

describe('a cancel signal to the step reaches the child’s process group (the runner signals only the step)', () => {
  /** The step's process as exec sees it: signals are emitted by the test, re-raises recorded. */
  const stepProcess = () =>
    Object.assign(new EventEmitter(), {
      pid: 4242,
      raised: [] as [number, string][],
      kill(pid: number, signal: string) {
        this.raised.push([pid, signal]);
      },
    });
  /** Running, not a zombie waiting for a reaper that this container's init may never be. */
  const alive = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };

  const endsWithin = async (pid: number, ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until;) {
      if (!alive(pid)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return !alive(pid);
  };

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the child and the grandchild it left end, then the step gets the signal back',
    async (signal) => {
      const step = stepProcess();
      // SIGINT: a non-interactive shell's background jobs ignore it; docker does not, a
      // foreground program does not either: run the grandchild in the foreground then.
      const script =
        signal === 'SIGTERM' ? 'sleep 30 & echo $!; wait' : 'sh -c "echo \\$\\$; exec sleep 30"';
      const started = Date.now();
      const running = createExec(step)('sh', ['-c', script], { env });
      await new Promise((r) => setTimeout(r, 300));
      step.emit(signal);
      const result = await running;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.stderr).toContain(`killed by ${signal}`);
      const grandchild = Number(result.stdout.trim());
      expect(grandchild).toBeGreaterThan(0);
      // The group got the signal together; the grandchild's own exit may trail the child's.
      expect(await endsWithin(grandchild, 2_000)).toBe(true);
      expect(step.raised).toEqual([[4242, signal]]);
      expect(step.listenerCount(signal)).toBe(0);
    },
  );

  test('with another handler in the step (it decides), the signal is forwarded but not raised again', async () => {
    const step = stepProcess();
    step.on('SIGTERM', () => {});
    const running = createExec(step)('sh', ['-c', 'exec sleep 30'], { env });
    await new Promise((r) => setTimeout(r, 200));
    step.emit('SIGTERM');
    expect((await running).stderr).toContain('killed by SIGTERM');
    expect(step.raised).toEqual([]);
  });

  test('a child that ended leaves no handler behind', async () => {
    const step = stepProcess();
    await createExec(step)('true', [], { env });
    expect(step.listenerCount('SIGINT') + step.listenerCount('SIGTERM')).toBe(0);
  });
});
