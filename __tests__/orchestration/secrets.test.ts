// No secret ever reaches anything a user or a later step can read. Main and post run over several
// scenarios; everything they print, annotate, output, save, export, pass to docker as argv or
// give docker (its plugins and credential helpers) in its environment is collected and scanned for
// every secret in play: the OIDC JWTs, the AWS credentials, the ECR token and password, the
// fallback token, and the runner's own tokens (each input is in the env as INPUT_*, as on a runner). Each secret the action received must also have been
// masked (setSecret) BEFORE anything printed it, and the username `AWS` must never be masked.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runMain } from '../../src/main.js';
import { runPost } from '../../src/post.js';
import { createRuntime, type Runtime } from '../../src/runner/runtime.js';
import { ecrError, stsError } from '../fixtures/aws-sdk.js';
import type { ExecAnswer } from '../fixtures/exec.js';
import { ORG, ROLE } from '../fixtures/job.js';
import {
  runMainFor,
  runPostFor,
  setupJob,
  type Job as BaseJob,
  type JobOptions,
} from '../fixtures/job.js';
import { startConnectProxy, type ConnectProxy } from '../fixtures/local-servers.js';
import type { OidcOptions } from '../fixtures/oidc-server.js';
import { recordingRuntime, type RecordingRuntime } from '../fixtures/runtime.js';
import { readKeyValueFile, findLeaks as scanForLeaks } from '../../sandbox/runner.mjs';

/** What one step did, in order, before any redaction. */
type Event =
  | { kind: 'mask'; text: string } // setSecret
  | { kind: 'print'; text: string } // a log line or annotation the runner masks
  | { kind: 'data'; text: string }; // never masked by anyone: outputs, state, env, group names, argv

interface Step {
  runtime: RecordingRuntime;
  events: Event[];
}

/** recordingRuntime, with every call also traced raw (before its redaction), in order. */
function tracingRuntime(
  inputs: Record<string, string>,
  states: Record<string, string>,
  env: Record<string, string | undefined>,
): Step {
  const runtime = recordingRuntime(inputs, states, env);
  const events: Event[] = [];
  const r = { ...runtime };
  const trace = (kind: Event['kind'], text: string) => void events.push({ kind, text });
  const traced: Partial<Runtime> = {
    setSecret: (value) => {
      trace('mask', value);
      r.setSecret(value);
    },
    info: (message) => {
      trace('print', message);
      r.info(message);
    },
    debug: (message) => {
      trace('print', message);
      r.debug(message);
    },
    warning: (message, title) => {
      trace('print', message);
      trace('data', title ?? ''); // annotation titles are not masked
      r.warning(message, title);
    },
    error: (message, title) => {
      trace('print', message);
      trace('data', title ?? '');
      r.error(message, title);
    },
    appendSummary: (markdown) => {
      trace('print', markdown);
      r.appendSummary(markdown);
    },
    group: (name, fn) => {
      trace('data', name); // the runtime does not redact group names
      return r.group(name, fn);
    },
    setOutputs: (outputs) => {
      for (const [name, value] of Object.entries(outputs)) trace('data', `${name}=${value}`);
      r.setOutputs(outputs);
    },
    saveState: (name, value) => {
      trace('data', `${name}=${value}`);
      r.saveState(name, value);
    },
    exportVariable: (name, value) => {
      trace('data', `${name}=${value}`);
      r.exportVariable(name, value);
    },
  };
  Object.assign(runtime, traced);
  return { runtime, events };
}

/** The parts of a secret the runner masks separately (it masks line by line). */
const partsOf = (secret: string): string[] => secret.split(/\r?\n/).filter(Boolean);

interface Leak {
  secret: string;
  where: string;
}

/**
 * Every place a secret shows: in what the runner displays (after masking) or in data nobody masks
 * (scanned by the runner emulator's one leak scan: raw, escaped and base64 forms), or printed raw
 * before the step had masked it (the order only this in-process trace can see).
 */
function findLeaks(step: Step, extraData: string[], secrets: string[]): Leak[] {
  const leaks: Leak[] = [];
  const shown = [
    ...step.runtime.log.filter((l) => !l.startsWith('::add-mask::')),
    ...step.runtime.warnings,
    ...step.runtime.errors,
    ...step.runtime.summary,
  ];
  const unmasked = [
    ...step.events.filter((e) => e.kind === 'data').map((e) => e.text),
    ...Object.entries(step.runtime.outputs).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(step.runtime.savedState).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(step.runtime.exported).map(([k, v]) => `${k}=${v}`),
    ...extraData,
  ];
  const places = [...shown, ...unmasked].map((text) => ({ where: text, detail: '', text }));
  for (const secret of secrets) {
    const found = new Set(scanForLeaks(places, [secret]).map((l) => l.where));
    for (const where of found) leaks.push({ secret, where });
  }
  const masked = new Set<string>();
  step.events.forEach((event) => {
    if (event.kind === 'mask') partsOf(event.text).forEach((p) => masked.add(p));
    if (event.kind !== 'print') return;
    for (const secret of secrets) {
      for (const part of partsOf(secret)) {
        if (event.text.includes(part) && !masked.has(part)) {
          leaks.push({ secret, where: `printed before it was masked: ${event.text}` });
        }
      }
    }
  });
  return leaks;
}

/** Position of the first setSecret of a value (or of a line of it), -1 when never masked. */
const maskIndex = (step: Step, secret: string): number =>
  step.events.findIndex((e) => e.kind === 'mask' && partsOf(e.text).includes(secret));

interface Job extends BaseJob {
  /** A CONNECT proxy with a password, when the scenario sets `http-proxy`. */
  proxy?: ConnectProxy & { password: string; input: string };
  /** Secrets the runner keeps in every step's environment. */
  runnerTokens: Record<string, string>;
}

async function setup(
  o: JobOptions & {
    /** Start a CONNECT proxy answering CONNECT with this status, for `http-proxy`. */
    proxy?: number;
  } = {},
): Promise<Job> {
  const base = await setupJob({
    oidc: o.oidc,
    exec: o.exec,
    token: o.token ?? 'dckr_oat_' + randomBytes(20).toString('base64url'),
  });
  const runnerTokens = {
    ACTIONS_RUNTIME_TOKEN: `runtime-${randomBytes(16).toString('hex')}`,
    GITHUB_TOKEN: `ghs_${randomBytes(16).toString('hex')}`,
  };
  Object.assign(base.runner.env, runnerTokens);
  const job: Job = Object.assign(base, { runnerTokens });
  if (o.proxy !== undefined) {
    const proxy = await startConnectProxy(o.proxy);
    job.onClose(() => proxy.close());
    // '@' and '%' inside: the user writes them percent-encoded in the URL
    const password = `pr0xy@${randomBytes(9).toString('base64url')}%x`;
    const input = `http://ci-user:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}`;
    job.proxy = Object.assign(proxy, { password, input });
  }
  return job;
}

/** Every secret in play for this job, whether or not the scenario handed it out. */
const allSecrets = (j: Job): string[] => [
  ...j.runner.oidc.issued,
  ...j.sdk.secrets(),
  j.token,
  // the runner's bearer for the token service: it can mint OIDC tokens
  j.runner.oidc.requestToken,
  ...Object.values(j.runnerTokens),
  ...(j.proxy ? [j.proxy.password, encodeURIComponent(j.proxy.password)] : []),
];

interface Scenario {
  name: string;
  oidc?: OidcOptions;
  proxy?: number;
  exec?: Record<string, ExecAnswer>;
  token?: () => string;
  arrange?: (j: Job) => void;
  inputs: (j: Job) => Record<string, string>;
  code: number;
  /** Text the step's warnings/errors must contain: the scenario failed where it meant to. */
  why?: string;
  /** The secrets the action was given in this scenario: each must have been masked. */
  received: (j: Job) => string[];
  /** How often the AWS SDK was loaded (0: the step's own requests), where it matters. */
  sdkLoads?: number;
}

const withFallback = (j: Job) => ({ 'fallback-username': ORG, 'fallback-token': j.token });
const stsSecrets = (j: Job) => [
  j.sdk.stsCredentials.accessKeyId,
  j.sdk.stsCredentials.secretAccessKey,
  j.sdk.stsCredentials.sessionToken,
];
const ecrSecrets = (j: Job) => [j.sdk.authorizationToken, j.sdk.password];

const SCENARIOS: Scenario[] = [
  {
    name: 'happy path with a role (fallback configured, not used)',
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    code: 0,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), ...ecrSecrets(j), j.token],
  },
  {
    name: 'docker login public.ecr.aws refused, fallback used',
    exec: {
      'public.ecr.aws': { exitCode: 1, stderr: 'Error response from daemon: denied: denied\n' },
    },
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    why: 'docker login public.ecr.aws failed',
    code: 0,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), ...ecrSecrets(j), j.token],
  },
  {
    name: 'STS AccessDenied, fallback used',
    arrange: (j) => (j.sdk.sts = [stsError.accessDenied()]),
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    why: 'AccessDenied: Not authorized',
    code: 0,
    received: (j) => [...j.runner.oidc.issued, j.token],
  },
  {
    name: 'an expired ECR Public token, fallback used',
    arrange: (j) =>
      (j.sdk.ecr = [
        {
          authorizationToken: j.sdk.authorizationToken,
          expiresAt: new Date(Date.now() - 60_000),
        },
      ]),
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    why: 'it expired at',
    code: 0,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), j.sdk.authorizationToken, j.token],
  },
  {
    name: 'both failing',
    exec: {
      'docker.io': { exitCode: 1, stderr: 'unauthorized: incorrect username or password\n' },
    },
    arrange: (j) => (j.sdk.ecr = [ecrError.accessDenied()]),
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    why: 'Fallback docker.io: docker login docker.io failed',
    code: 1,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), j.token],
  },
  {
    name: 'invalid input: a fallback token containing a newline',
    token: () =>
      `dckr_oat_${randomBytes(12).toString('hex')}\nsecond-line-${randomBytes(12).toString('hex')}`,
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    why: "'fallback-token' contains a newline",
    code: 1,
    received: (j) => partsOf(j.token),
  },
  {
    name: 'retries everywhere (OIDC 503, STS Throttling and IDPCommunicationError, ECR 5xx)',
    oidc: { failures: [503] },
    arrange: (j) => {
      j.sdk.sts = [stsError.throttling(), stsError.idpCommunication()];
      j.sdk.ecr = [ecrError.throttling(), ecrError.unavailable()];
    },
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    code: 0,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), ...ecrSecrets(j), j.token],
    sdkLoads: 0,
  },
  {
    name: 'the same through the AWS SDK (a shared AWS config file sends the calls there)',
    oidc: { failures: [503] },
    arrange: (j) => {
      mkdirSync(join(j.runner.env.HOME!, '.aws'));
      writeFileSync(join(j.runner.env.HOME!, '.aws', 'config'), '[default]\n');
      j.sdk.sts = [stsError.throttling(), stsError.idpCommunication()];
      j.sdk.ecr = [ecrError.throttling(), ecrError.unavailable()];
    },
    inputs: (j) => ({ 'role-to-assume': ROLE, ...withFallback(j) }),
    code: 0,
    received: (j) => [...j.runner.oidc.issued, ...stsSecrets(j), ...ecrSecrets(j), j.token],
    sdkLoads: 1,
  },
  {
    name: 'http-proxy with a password (the OIDC request goes through it)',
    proxy: 200,
    inputs: (j) => ({ 'role-to-assume': ROLE, 'http-proxy': j.proxy!.input }),
    code: 0,
    received: (j) => [j.proxy!.password, ...j.runner.oidc.issued, ...stsSecrets(j)],
  },
  {
    name: 'http-proxy with a password refuses the tunnel (407), fallback used',
    proxy: 407,
    inputs: (j) => ({ 'role-to-assume': ROLE, 'http-proxy': j.proxy!.input, ...withFallback(j) }),
    why: 'with HTTP 407',
    code: 0,
    received: (j) => [j.proxy!.password, j.token],
  },
  {
    name: 'default credential chain, isolated config, fallback always',
    inputs: (j) => ({ ...withFallback(j), 'fallback-mode': 'always', 'docker-config': 'isolated' }),
    code: 0,
    received: (j) => [
      j.sdk.chainCredentials.accessKeyId,
      j.sdk.chainCredentials.secretAccessKey,
      j.sdk.chainCredentials.sessionToken,
      ...ecrSecrets(j),
      j.token,
    ],
  },
];

interface Ran {
  j: Job;
  main: Step;
  post: Step;
  code: number;
  argv: string[];
  /** Each child's environment, one `name=value` text per call. */
  childEnvs: string[];
}

/** The runner puts each `with:` value in the step's env as INPUT_<NAME>. */
const withInputsInEnv = (j: Job, inputs: Record<string, string>) => {
  for (const [name, value] of Object.entries(inputs)) {
    j.runner.env[`INPUT_${name.toUpperCase()}`] = value;
  }
};

/** What each child got in its environment: the env a call passed (never none: it would inherit all). */
const childEnvsOf = (j: Job): string[] =>
  j.exec.calls.map((c) =>
    c.options.env
      ? Object.entries(c.options.env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      : '(no env given: the child inherits the whole environment)',
  );

async function runScenario(s: Scenario): Promise<Ran> {
  const j = await setup({ oidc: s.oidc, exec: s.exec, token: s.token?.(), proxy: s.proxy });
  s.arrange?.(j);
  const inputs = s.inputs(j);
  withInputsInEnv(j, inputs);
  const main = tracingRuntime(inputs, {}, j.runner.env);
  const { code } = await runMainFor(j, inputs, main.runtime);
  // The post step is another process: it starts with no masks at all.
  const post = tracingRuntime({}, main.runtime.savedState, j.runner.env);
  await runPostFor(j, main.runtime.savedState, post.runtime);
  const argv = j.exec.calls.map((c) => [c.command, ...c.args].join(' '));
  return { j, main, post, code, argv, childEnvs: childEnvsOf(j) };
}

describe('no secret reaches the log, the outputs, the state, the env or argv', () => {
  test.each(SCENARIOS)('$name', async (s) => {
    const { j, main, post, code, argv, childEnvs } = await runScenario(s);
    expect(code).toBe(s.code);
    if (s.sdkLoads !== undefined) expect(j.sdk.loads).toBe(s.sdkLoads);
    if (s.why) {
      expect([...main.runtime.warnings, ...main.runtime.errors].join('\n')).toContain(s.why);
    } else {
      expect(main.runtime.warnings).toEqual([]);
    }

    const secrets = allSecrets(j);
    const received = s.received(j);
    // the scenario really handed these out (guards the scenario itself)
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((secret) => secret.length >= 16)).toBe(true);
    if (j.proxy) {
      // the proxy really carried the OIDC request, with the user's credentials
      expect(j.proxy.connects.length).toBeGreaterThan(0);
      expect(j.proxy.connects[0].headers['proxy-authorization']).toBe(
        `Basic ${Buffer.from(`ci-user:${j.proxy.password}`).toString('base64')}`,
      );
    }

    expect(findLeaks(main, argv, secrets)).toEqual([]);
    expect(findLeaks(post, argv, secrets)).toEqual([]);
    // docker, its plugins and credential helpers: no secret, no input, no runner token
    expect(childEnvs.length).toBe(j.exec.calls.length);
    expect(findLeaks(main, childEnvs, secrets)).toEqual([]);
    expect(childEnvs.join('\n')).not.toMatch(/^(INPUT_|ACTIONS_|GITHUB_TOKEN|AWS_)/m);
    // ... but what docker needs
    for (const e of childEnvs) expect(e).toMatch(/^DOCKER_CONFIG=/m);

    // every secret received was masked, before anything could print it
    for (const secret of received) {
      const at = maskIndex(main, secret);
      expect({ secret, masked: at >= 0 }).toEqual({ secret, masked: true });
      const firstPrint = main.events.findIndex((e) => e.kind !== 'mask' && e.text.includes(secret));
      if (firstPrint >= 0) expect(at).toBeLessThan(firstPrint);
    }

    // `AWS` is a username, not a secret: masking it would garble every line that says AWS
    for (const step of [main, post]) {
      expect(step.runtime.secrets).not.toContain('AWS');
      expect(step.runtime.log).not.toContain('::add-mask::AWS');
    }
    // and docker got the username in clear
    for (const line of argv.filter((l) => l.includes('public.ecr.aws') && l.includes('login'))) {
      expect(line).toContain('--username AWS');
    }
  });

  test('the masked lines still read normally: AWS and the registry names are not masked', async () => {
    const { main } = await runScenario(SCENARIOS[SCENARIOS.length - 1]);
    expect(main.runtime.log).toContain(
      'Logged in to public.ecr.aws and docker.io; pull official images as public.ecr.aws/docker/library/<image>.',
    );
    expect(main.runtime.log.join('\n')).toContain('with the AWS credentials in the environment');
  });
});

describe('the scan itself', () => {
  // Each check must be able to fail: plant a secret where it must not be and expect a finding.
  test('finds a secret planted in a copy of the log, the outputs, argv, or printed before its mask', async () => {
    const { j, main, argv } = await runScenario(SCENARIOS[0]);
    const secrets = allSecrets(j);
    expect(findLeaks(main, argv, secrets)).toEqual([]);
    const copy = (): Step => ({
      runtime: {
        ...main.runtime,
        log: [...main.runtime.log],
        warnings: [...main.runtime.warnings],
        outputs: { ...main.runtime.outputs },
      },
      events: [...main.events],
    });

    for (const secret of secrets) {
      const inLog = copy();
      inLog.runtime.log.splice(3, 0, `debug: ${secret.slice(0, 8)}${secret.slice(8)} (oops)`);
      expect(findLeaks(inLog, argv, [secret]).length).toBeGreaterThan(0);
    }

    const inWarning = copy();
    inWarning.runtime.warnings.push(`the token was ${j.token}`);
    expect(findLeaks(inWarning, argv, secrets)).toEqual([
      { secret: j.token, where: `the token was ${j.token}` },
    ]);

    const inOutput = copy();
    inOutput.runtime.outputs.password = j.sdk.password;
    expect(findLeaks(inOutput, argv, secrets).map((l) => l.secret)).toEqual([j.sdk.password]);

    expect(
      findLeaks(main, [...argv, `docker login -p ${j.sdk.password}`], secrets).map((l) => l.secret),
    ).toEqual([j.sdk.password]);

    // printed (raw) before its setSecret: the redacted log may look clean, the order is wrong
    const early = copy();
    const jwt = j.runner.oidc.issued[0];
    early.events.unshift({ kind: 'print', text: `token ${jwt}` });
    expect(findLeaks(early, argv, secrets)).toEqual([
      { secret: jwt, where: `printed before it was masked: token ${jwt}` },
    ]);

    // one line of a multi-line secret is still that secret
    const multi = `first-${randomBytes(6).toString('hex')}\nsecond-${randomBytes(6).toString('hex')}`;
    const lines = copy();
    lines.runtime.log.push(`got ${multi.split('\n')[1]}`);
    expect(findLeaks(lines, argv, [multi])).toHaveLength(1);
  });
});

describe('with the real runtime (the runner protocol on stdout and in the command files)', () => {
  /** name → value from a GITHUB_OUTPUT/GITHUB_STATE/GITHUB_ENV file, read by the runner's parser. */
  const fileCommands = (file: string) => Object.fromEntries(readKeyValueFile(file));

  async function realRun(inputs: Record<string, string>, j: Job) {
    const files = {
      GITHUB_OUTPUT: join(j.runner.runnerTemp, '..', 'output'),
      GITHUB_STATE: join(j.runner.runnerTemp, '..', 'state'),
      GITHUB_ENV: join(j.runner.runnerTemp, '..', 'env'),
      GITHUB_STEP_SUMMARY: join(j.runner.runnerTemp, '..', 'summary'),
    };
    const withInputs: Record<string, string | undefined> = { ...j.runner.env, ...files };
    for (const [name, value] of Object.entries(inputs)) {
      withInputs[`INPUT_${name.toUpperCase()}`] = value;
    }
    let stdout = '';
    const code = await runMain({
      runtime: createRuntime(withInputs, (text) => void (stdout += text)),
      env: withInputs,
      exec: j.exec.exec,
      loadSdk: j.sdk.loadSdk,
      sleep: async () => {},
    });
    const state = fileCommands(files.GITHUB_STATE);
    let postOut = '';
    const postEnv = { ...j.runner.env, STATE_post: state.post ?? '' };
    await runPost({
      runtime: createRuntime(postEnv, (text) => void (postOut += text)),
      env: postEnv,
      exec: j.exec.exec,
    });
    const read = (f: string) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    };
    return {
      code,
      stdout,
      postOut,
      outputs: fileCommands(files.GITHUB_OUTPUT),
      state,
      files: Object.values(files).map(read),
    };
  }

  test('happy path, fallback always: only masks carry secrets, and they come first', async () => {
    const j = await setup();
    const run = await realRun(
      {
        'role-to-assume': ROLE,
        'fallback-username': ORG,
        'fallback-token': j.token,
        'fallback-mode': 'always',
      },
      j,
    );
    expect(run.code).toBe(0);
    expect(run.outputs.registries).toBe('public.ecr.aws,docker.io');
    expect(run.state.post).toBeDefined();

    const lines = run.stdout.split('\n');
    const masks = lines.filter((l) => l.startsWith('::add-mask::'));
    const rest = lines.filter((l) => !l.startsWith('::add-mask::'));
    const received = [...j.runner.oidc.issued, ...stsSecrets(j), ...ecrSecrets(j), j.token];
    for (const secret of received) {
      expect(masks).toContain(`::add-mask::${secret}`);
    }
    for (const secret of allSecrets(j)) {
      for (const line of [...rest, ...run.postOut.split('\n')]) expect(line).not.toContain(secret);
      for (const file of run.files) expect(file).not.toContain(secret);
    }
    expect(masks).not.toContain('::add-mask::AWS');
    expect(run.postOut).not.toContain('::add-mask::');
  });

  test('a multi-line fallback token is masked line by line, and never shown', async () => {
    const first = `dckr_oat_${randomBytes(12).toString('hex')}`;
    const second = `second-line-${randomBytes(12).toString('hex')}`;
    const j = await setup({ token: `${first}\n${second}` });
    const run = await realRun(
      { 'role-to-assume': ROLE, 'fallback-username': ORG, 'fallback-token': j.token },
      j,
    );
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const firstMask = lines.findIndex((l) => l.startsWith('::add-mask::'));
    expect(lines.slice(firstMask, firstMask + 2)).toEqual([
      `::add-mask::${first}`,
      `::add-mask::${second}`,
    ]);
    const rest = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(rest).toContain("'fallback-token' contains a newline");
    expect(rest).not.toContain(first);
    expect(rest).not.toContain(second);
  });
});
