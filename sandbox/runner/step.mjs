// @ts-check
// One step and one job: fresh file-command files, the step's env, the process, then what
// the runner would record.
import { randomUUID } from 'node:crypto';
// Sync fs on purpose: a step touches ~15 tiny files, and sync calls cost a third of the
// promise API's thread-pool round trips (≈1 ms vs ≈3 ms per step, measured).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAction, resolveInputs } from './action.mjs';
import { readDockerCalls, recorderScript } from './docker-recorder.mjs';
import { FILE_COMMANDS, processFileCommands, readText } from './file-commands.mjs';
import { findLeaks, leakPlaces } from './leaks.mjs';
import { runProcess } from './process.mjs';
import { createCommandProcessor } from './workflow-commands.mjs';

/**
 * @typedef {import('./types.mjs').StepOptions} StepOptions
 * @typedef {import('./types.mjs').StepResult} StepResult
 */

const DEFAULT_TIMEOUT_MS = 60_000;
// Env the runner derives from the github/runner contexts; options.env may override these.
const CONTEXT_ENV = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'octo-org/app',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_RUN_ID: '1658821493',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'ci',
  GITHUB_JOB: 'build',
  GITHUB_ACTION: '__octo-org_ecr-public-login',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: 'GitHub Actions 1',
  RUNNER_ENVIRONMENT: 'github-hosted',
};

/**
 * Creates the job-wide folders once and this step's fresh file-command files and helpers.
 * @param {string} workDir
 * @param {{ recordDocker: boolean, measureRss: boolean }} opts
 */
export function prepareStep(workDir, opts) {
  const id = randomUUID();
  const commandsDir = join(workDir, '_runner_file_commands');
  const stepDir = join(workDir, '_steps', id);
  const dirs = {
    temp: join(workDir, '_temp'),
    tool: join(workDir, '_tool'),
    workspace: join(workDir, 'workspace'),
  };
  for (const dir of [...Object.values(dirs), commandsDir, stepDir]) {
    mkdirSync(dir, { recursive: true });
  }
  /** @type {Record<string, string>} */
  const files = {};
  for (const [name, prefix] of Object.entries(FILE_COMMANDS))
    files[name] = join(commandsDir, prefix + id);
  const dockerLog = join(stepDir, 'docker-calls');
  const rssFile = join(stepDir, 'peak-rss');
  const rssProbe = join(stepDir, 'rss-probe.cjs');
  for (const file of Object.values(files)) writeFileSync(file, '');
  if (opts.recordDocker) {
    writeFileSync(join(stepDir, 'docker'), recorderScript(stepDir, dockerLog), { mode: 0o755 });
  }
  if (opts.measureRss) {
    // Peak RSS of node itself (getrusage RUSAGE_SELF), written at exit; a wrapper like
    // /usr/bin/time would also count the docker children it reaps.
    const write = `require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS))`;
    writeFileSync(rssProbe, `process.on('exit', () => ${write});\n`);
  }
  return { workDir, dirs, files, stepDir, dockerLog, rssFile, rssProbe };
}

/**
 * The step's environment, built from scratch (nothing leaks in from the test process but
 * PATH and HOME). Precedence, lowest first: github/runner context defaults, GITHUB_ENV from
 * earlier steps, options.env, STATE_*, INPUT_*, then paths and tokens the runner owns.
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @param {ReturnType<typeof prepareStep>} step
 * @param {Record<string, string>} inputEnv
 */
export function buildEnv(options, step, inputEnv) {
  const given = options.env ?? {};
  if (Object.keys(given).some((k) => k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'))) {
    throw new Error('runner.mjs: pass idToken instead of ACTIONS_ID_TOKEN_REQUEST_* in env');
  }
  /** @type {Record<string, string | undefined>} */
  const env = { HOME: process.env.HOME, ...CONTEXT_ENV, ...options.priorEnv, ...given };
  for (const [k, v] of Object.entries(options.state ?? {})) env[`STATE_${k}`] = v;
  Object.assign(env, inputEnv);
  const basePath = 'PATH' in given ? given.PATH : process.env.PATH;
  const prepend = [...(options.priorPath ?? [])].reverse();
  if (options.recordDocker !== false) prepend.unshift(step.stepDir);
  env.PATH = [...prepend, basePath].filter((p) => p !== undefined).join(':');
  Object.assign(env, {
    RUNNER_TEMP: step.dirs.temp,
    RUNNER_TOOL_CACHE: options.toolCache ?? step.dirs.tool,
    GITHUB_WORKSPACE: step.dirs.workspace,
    GITHUB_OUTPUT: step.files.output,
    GITHUB_STATE: step.files.state,
    GITHUB_ENV: step.files.env,
    GITHUB_PATH: step.files.path,
    GITHUB_STEP_SUMMARY: step.files.step_summary,
  });
  if (options.debug) env.RUNNER_DEBUG = '1';
  if (options.idToken) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = options.idToken.requestUrl;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = options.idToken.requestToken;
  }
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = String(v);
  return clean;
}

/**
 * Runs one phase of a JavaScript action like the GitHub runner and reports what happened.
 *
 * As in the runner: every declared input is set, to '' when it has no default and isn't in
 * `with`; commands on stderr count too; GITHUB_* files are fresh per step; a malformed file
 * command or workflow command fails the step even with exit code 0.
 * `lines`/`stderrLines` are the step log as the runner writes it (commands consumed,
 * annotations as `##[error]…`, `##[debug]…` only with `debug`, runner warnings included).
 * `leaks` lists every place a masked value or `secrets` entry (raw, JSON/URI-escaped or
 * base64) appears: any output line but the add-mask line itself, docker argv, outputs, state,
 * GITHUB_ENV/GITHUB_PATH and the summary. `dockerCalls[].stdinBytes` is counted only for
 * `--password-stdin` calls (null otherwise). `peakRssKb` only with `measureRss`: a preloaded
 * exit hook reads node's own getrusage maxRSS.
 *
 * Deliberate differences: `${{ }}` defaults are passed through unevaluated; problem matchers
 * and opted-in set-env/add-path are not emulated; a timeout is an immediate SIGKILL of the
 * process group (the runner sends SIGINT, then SIGTERM); processes the action leaves in its
 * group are killed when the step ends rather than at job end; a secret printed before its
 * add-mask counts as a leak (the runner would show it in clear).
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @returns {Promise<StepResult>}
 */
export async function runStep(options) {
  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-'));
  try {
    return await runStepIn(workDir, options);
  } finally {
    if (ownWorkDir && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * @param {string} workDir
 * @param {StepOptions & { priorEnv?: Record<string, string>, priorPath?: string[] }} options
 * @returns {Promise<StepResult>}
 */
async function runStepIn(workDir, options) {
  const actionDir = resolve(options.actionDir);
  const action = loadAction(actionDir);
  const script = options.phase === 'post' ? action.post : action.main;
  if (!script) throw new Error(`action at ${actionDir} has no runs.${options.phase}`);
  const recordDocker = options.recordDocker !== false;
  const measureRss = options.measureRss === true;
  const step = prepareStep(workDir, { recordDocker, measureRss });
  const inputs = resolveInputs(action, options.with ?? {});
  const env = buildEnv(options, step, inputs.env);
  const processor = createCommandProcessor({
    debug: options.debug === true,
    allowUnsecure: env.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true',
  });
  // The runner validates inputs again for the post step, so post repeats these warnings.
  inputs.warnings.forEach((w) => processor.annotate('warning', w));

  const args = [...(measureRss ? ['--require', step.rssProbe] : []), join(actionDir, script)];
  const proc = await runProcess(
    {
      nodePath: options.nodePath ?? process.execPath,
      args,
      env,
      cwd: step.dirs.workspace,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
    processor.handle,
  );
  return stepResult(options, step, processor, proc, env);
}

/**
 * What the runner records once the process is gone: file commands, docker calls, leaks.
 * @param {StepOptions} options
 * @param {ReturnType<typeof prepareStep>} step
 * @param {ReturnType<typeof createCommandProcessor>} processor
 * @param {Awaited<ReturnType<typeof runProcess>>} proc
 * @param {Record<string, string>} env
 * @returns {StepResult}
 */
export function stepResult(options, step, processor, proc, env) {
  const files = processFileCommands(step.files, processor);
  const dockerCalls = options.recordDocker !== false ? readDockerCalls(step.dockerLog) : [];
  const { ctx } = processor;
  const peak = options.measureRss === true ? Number(readText(step.rssFile) || NaN) : NaN;
  /** @type {StepResult} */
  const result = {
    phase: options.phase,
    exitCode: proc.exitCode,
    signal: proc.signal,
    timedOut: proc.timedOut,
    durationMs: proc.durationMs,
    ...(Number.isFinite(peak) ? { peakRssKb: peak } : {}),
    stdout: proc.stdout,
    stderr: proc.stderr,
    lines: ctx.lines.stdout,
    stderrLines: ctx.lines.stderr,
    printed: ctx.raw,
    outputs: ctx.outputs,
    state: ctx.state,
    exportedEnv: files.exportedEnv,
    path: files.path,
    summary: files.summary,
    annotations: ctx.annotations,
    debugLines: ctx.debugLines,
    groups: ctx.groups,
    masks: ctx.masks,
    failed: proc.exitCode !== 0 || proc.timedOut || ctx.failed,
    dockerCalls,
    leaks: [],
    env,
    workDir: step.workDir,
  };
  result.leaks = findLeaks(leakPlaces(result), stepSecrets(options, ctx.masks));
  return result;
}

/**
 * The masks, the test's secrets (a function is asked after the step, for secrets issued
 * during it) and the id-token request token.
 * @param {StepOptions} options
 * @param {string[]} masks
 */
function stepSecrets(options, masks) {
  const given = typeof options.secrets === 'function' ? options.secrets() : options.secrets;
  const secrets = [...masks, ...(given ?? [])];
  if (options.idToken) secrets.push(options.idToken.requestToken);
  return secrets;
}

/**
 * Evaluates a post-if condition: always(), success(), failure(), cancelled(), !, &&, ||, ( ),
 * optionally wrapped in ${{ }}. success()/failure() read the job status after main.
 * @param {string} expression
 * @param {{ failed: boolean }} job
 */
export function evaluatePostIf(expression, job) {
  const source = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const tokens =
    source.match(/\s*(always\(\)|success\(\)|failure\(\)|cancelled\(\)|&&|\|\||!|\(|\)|\S+)/g) ??
    [];
  let pos = 0;
  const peek = () => tokens[pos]?.trim();
  const take = () => tokens[pos++]?.trim();
  /** @returns {boolean} */
  const or = () => {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = value || right;
    }
    return value;
  };
  /** @returns {boolean} */
  const and = () => {
    let value = unary();
    while (peek() === '&&') {
      take();
      const right = unary();
      value = value && right;
    }
    return value;
  };
  /** @returns {boolean} */
  const unary = () => {
    const token = take();
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      if (take() !== ')') throw new Error(`runner.mjs: unbalanced post-if '${expression}'`);
      return value;
    }
    if (token === 'always()') return true;
    if (token === 'success()') return !job.failed;
    if (token === 'failure()') return job.failed;
    if (token === 'cancelled()') return false;
    throw new Error(`runner.mjs: unsupported post-if '${expression}'`);
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`runner.mjs: unsupported post-if '${expression}'`);
  return value;
}

/**
 * Runs main, then post (when the action has one and post-if holds) with main's state, in one
 * job folder: RUNNER_TEMP and the workspace are shared, and main's GITHUB_ENV / GITHUB_PATH
 * apply to post like to any later step.
 * @param {Omit<StepOptions, 'phase' | 'state'>} options
 * @returns {Promise<{ main: StepResult, post: StepResult | null }>}
 */
export async function runJob(options) {
  const ownWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-job-'));
  try {
    const main = await runStepIn(workDir, { ...options, phase: 'main' });
    const action = loadAction(resolve(options.actionDir));
    if (!action.post || !evaluatePostIf(action.postIf, main)) return { main, post: null };
    const post = await runStepIn(workDir, {
      ...options,
      phase: 'post',
      state: main.state,
      priorEnv: main.exportedEnv,
      priorPath: main.path,
    });
    return { main, post };
  } finally {
    if (ownWorkDir && !options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}
