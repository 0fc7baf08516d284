#!/usr/bin/env node
// @ts-check
// `npm run demo`: the README's first command. It brings up the local sandbox (fakes of GitHub OIDC,
// STS and ECR Public, a real registry and a real dockerd, in private namespaces), runs the built
// action's main and post steps as a GitHub runner would, pulls an image through the login, prints
// what happened step by step, and tears everything down (also on failure or Ctrl-C).
//
//   npm run demo [-- --fallback] [-- --debug]
//
// Outside the namespace (a fresh machine, as root, after `npm ci`) it first installs the Debian
// packages the sandbox needs (sandbox/ensure-packages.sh), then re-runs itself under
// sandbox/in-namespace.sh. Exit code 0 only when the pull after the login worked.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const ACTION_DIR = path.resolve(process.env.SANDBOX_ACTION_DIR || ROOT);
const USAGE = `usage: npm run demo [-- --fallback] [-- --debug]
  --fallback  the job has no id-token permission (like a fork's pull request),
              so the action falls back to the Docker Hub login it was given
  --debug     RUNNER_DEBUG=1 for the action (its ##[debug] lines), and the sandbox's own log
environment:
  SANDBOX_ACTION_DIR  run another checkout of the action (default: this one)
  SANDBOX_NODE        the node that runs the action (default: Node 24 from node_modules)`;
const WIDTH = 100;

/** @typedef {{ fallback: boolean, debug: boolean }} Options */

/**
 * @param {string[]} argv
 * @returns {Options | string} the options, or why the arguments are wrong
 */
function parseArgs(argv) {
  const options = { fallback: false, debug: false };
  for (const arg of argv) {
    if (arg === '--fallback') options.fallback = true;
    else if (arg === '--debug') options.debug = true;
    else return arg === '--help' || arg === '-h' ? '' : `unknown argument '${arg}'`;
  }
  return options;
}

/** Set by Ctrl-C (or SIGTERM): from then on only the tear-down speaks. */
let interruptedBy = /** @type {NodeJS.Signals | null} */ (null);
/** @param {string} line */
const say = (line = '') => {
  if (!interruptedBy) process.stdout.write(`${line}\n`);
};
/** @param {string} line */
const sayAnyway = (line = '') => void process.stdout.write(`${line}\n`);
/** @param {string} line */
const complain = (line) => void process.stderr.write(`demo: ${line}\n`);

/** Why the demo cannot run from this checkout, if it cannot (checked inside and outside). */
function preflight() {
  if (!existsSync(path.join(ROOT, 'node_modules', 'yaml', 'package.json'))) {
    return `${path.join(ROOT, 'node_modules')} is missing or incomplete: run \`npm ci\` first.`;
  }
  if (!existsSync(path.join(ACTION_DIR, 'action.yml'))) {
    return `no action.yml in ${ACTION_DIR} (SANDBOX_ACTION_DIR must be a checkout of the action).`;
  }
  for (const bundle of ['dist/index.js', 'dist/post/index.js']) {
    if (!existsSync(path.join(ACTION_DIR, bundle))) {
      return `${path.join(ACTION_DIR, bundle)} is missing: run \`npm run build\` first (in ${ACTION_DIR}).`;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Outside the namespace: packages, then re-run under in-namespace.sh.

/** @param {string[]} argv */
async function outside(argv) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    complain('run it as root (e.g. `sudo npm run demo`): it creates private mount and network');
    complain('namespaces (unshare) and runs its own dockerd; nothing on the machine is changed.');
    return 1;
  }
  say('Checking the Debian packages the sandbox needs (sandbox/ensure-packages.sh)...');
  const packages = spawnSync('bash', [path.join(ROOT, 'sandbox', 'ensure-packages.sh')], {
    stdio: 'inherit',
  });
  if (packages.status !== 0) {
    complain('the sandbox cannot start without those packages (see the message above).');
    return packages.status ?? 1;
  }
  const child = spawn(
    path.join(ROOT, 'sandbox', 'in-namespace.sh'),
    [process.execPath, SELF, ...argv],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the child through the terminal: let it tear down, then pass its code on.
  process.on('SIGINT', () => {});
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((resolve) => {
    child.once('error', (error) => {
      complain(`could not start sandbox/in-namespace.sh: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
}

/** @param {NodeJS.Signals | null} signal */
function signalNumber(signal) {
  return signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : signal === 'SIGHUP' ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------
// Printing

/**
 * Word-wraps text to WIDTH columns, every line indented; blank lines and existing breaks stay.
 * @param {string} text
 * @param {string} indent
 */
function wrap(text, indent = '   ') {
  const out = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && indent.length + line.length + 1 + word.length > WIDTH) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line ? indent + line : '');
  }
  return out.join('\n');
}

let stepNumber = 0;
/** @param {string} title */
const heading = (title) => {
  say();
  say(`${++stepNumber}. ${title}`);
};

/**
 * A step's log as the runner shows it, without group end markers and without the raw workflow
 * commands the runner echoes in debug mode (their effect is shown right after them).
 * @param {string[]} lines
 */
function printLog(lines) {
  const echoed = lines.filter((l) => l.startsWith('::')).length;
  const shown = lines.filter((l) => l !== '##[endgroup]' && !l.startsWith('::'));
  if (shown.length === 0) return say('   log: (nothing)');
  say(echoed ? `   log (${echoed} echoed workflow commands left out):` : '   log:');
  for (const line of shown) say(wrap(line, '     | '));
}

/** @param {import('./runner.mjs').Annotations} annotations */
function printAnnotations(annotations) {
  const all = /** @type {const} */ (['error', 'warning', 'notice']).flatMap((level) =>
    annotations[level].map((a) => ({ level, ...a })),
  );
  if (all.length === 0) return say('   annotations: none');
  say('   annotations (also in the log above):');
  for (const a of all) {
    const title = a.properties.title ? ` "${a.properties.title}"` : '';
    say(`     ${a.level}${title}: ${a.message.split('\n')[0].slice(0, 60)}...`);
  }
}

/** @param {Record<string, string>} outputs */
function printOutputs(outputs) {
  const names = Object.keys(outputs);
  if (names.length === 0) return say('   outputs: none');
  const width = Math.max(...names.map((n) => n.length));
  say('   outputs:');
  for (const name of names) say(`     ${name.padEnd(width)} = ${outputs[name] || '(empty)'}`);
}

/**
 * One docker config auths entry, with the secret described instead of shown.
 * @param {{ auth?: string } | undefined} entry
 */
function describeAuth(entry) {
  if (!entry) return '(no entry)';
  if (!entry.auth) return JSON.stringify(entry);
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return `{ "auth": base64("${user}:<${decoded.length - colon - 1}-character secret, not shown>") }`;
}

// ------------------------------------------------------------------------------------------------
// Inside the namespace: the demo itself.

/**
 * @typedef {Awaited<ReturnType<typeof import('./sandbox.mjs').startSandbox>>} Sandbox
 * @typedef {import('./sandbox.mjs').StepResult & { dockerConfig: string }} Step
 * @typedef {{ with: Record<string, string>, idToken: boolean, debug: boolean, dockerConfig: string }} Job
 */

/** @param {Options} options */
async function inside(options) {
  const started = Date.now();
  const { startSandbox, ECR_IMAGE, HUB_IMAGE } = await import('./sandbox.mjs');
  /** @type {Sandbox | undefined} */
  let sb;
  const { teardown, interrupted } = tearDownOnSignals(() => sb);
  const variant = options.fallback
    ? { expect: 'docker.io', image: HUB_IMAGE }
    : { expect: 'public.ecr.aws', image: ECR_IMAGE };
  let pulled = false;
  let leaks = 0;
  let crashed = false;
  try {
    sb = await startAndDescribe(options, startSandbox, interrupted, started);
    const dockerConfig = sb.newDockerConfig();
    await anonymousPull(sb, variant.image, dockerConfig);
    const job = showWorkflowStep(sb, options, dockerConfig);
    const main = await mainStep(sb, job);
    pulled = await pullThroughLogin(sb, main, dockerConfig);
    const post = await postStep(sb, job, main);
    leaks = reportRun(sb, options, main, post);
    if (main.outputs.registry !== variant.expect) {
      say(`   note: registry is '${main.outputs.registry}', expected '${variant.expect}'`);
    }
  } catch (error) {
    crashed = true;
    say();
    say(wrap(`The demo failed: ${/** @type {Error} */ (error).message}`, ''));
  } finally {
    await teardown().catch((e) => complain(`tear-down failed: ${e.message}`));
  }
  return result({ pulled, leaks, crashed, started });
}

/**
 * Tear-down, once, whether the demo ends or is interrupted (SIGINT/SIGTERM).
 * @param {() => Sandbox | undefined} current
 */
function tearDownOnSignals(current) {
  /** @type {Promise<void> | undefined} */
  let stopping;
  const teardown = () => {
    stopping ??= (async () => {
      if (interruptedBy) sayAnyway('Tear down');
      else heading('Tear down');
      const sb = current();
      if (!sb) return sayAnyway('   nothing left running (the sandbox had not started).');
      const t = Date.now();
      await sb.stop();
      sayAnyway(
        '   stopped dockerd and the registry, closed the fakes, removed the temporary files',
      );
      sayAnyway(
        `   (${((Date.now() - t) / 1000).toFixed(1)} s). Nothing outside the sandbox was changed.`,
      );
    })();
    return stopping;
  };
  /** @param {NodeJS.Signals} signal */
  const interrupted = async (signal) => {
    if (interruptedBy || stopping) return;
    interruptedBy = signal;
    sayAnyway();
    sayAnyway(`Interrupted (${signal}).`);
    const code = signal === 'SIGINT' ? 130 : 143;
    if (!current() && process.listeners(signal).length > 1) {
      // Still starting: infra.mjs's own handler stops what it started, then exits.
      sayAnyway('Tear down: stopping what had started.');
      return;
    }
    await teardown().catch((e) => complain(`tear-down failed: ${e.message}`));
    process.exit(code);
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  return { teardown, interrupted };
}

/**
 * @param {Options} options
 * @param {typeof import('./sandbox.mjs').startSandbox} startSandbox
 * @param {(signal: NodeJS.Signals) => Promise<void>} interrupted the demo's own signal handler
 * @param {number} started
 */
async function startAndDescribe(options, startSandbox, interrupted, started) {
  say('ecr-public-login demo: the action run as a GitHub runner runs it, against local fakes,');
  say(
    'a real registry and a real dockerd in private namespaces (nothing on this machine changes).',
  );
  if (options.fallback) say('Variant: no id-token permission, with the Docker Hub fallback.');

  heading('Start the sandbox');
  const sb = await startSandbox({
    log: options.debug ? (line) => say(`   [sandbox] ${line}`) : undefined,
    // The real registries serve anonymous pulls; refusing them shows what the login adds.
    anonymousPulls: false,
  });
  // infra.mjs exits the process on a signal as soon as dockerd is down; from here on the demo
  // tears everything down itself (and says so), so only its own handlers stay.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    for (const listener of process.listeners(signal)) {
      if (listener !== interrupted) process.off(signal, listener);
    }
  }
  const { fakes, infra } = sb;
  const nodeVersion = spawnSync(sb.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  say(`   fake GitHub OIDC:     ${fakes.urls.oidc}`);
  say(`   fake AWS STS:         ${fakes.urls.sts}`);
  say(`   fake ECR Public:      ${fakes.urls.ecrPublic}`);
  say(`   registry:             https://public.ecr.aws and Docker Hub (registry-1.docker.io,`);
  say(`                         index.docker.io) on [::1]:443, TLS from a throwaway CA`);
  say(`   dockerd:              ${infra.dockerHost}`);
  say(`   action:               ${sb.actionDir} (node ${nodeVersion})`);
  say(`   ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return sb;
}

/** @param {Sandbox} sb @param {string} image @param {string} dockerConfig */
async function anonymousPull(sb, image, dockerConfig) {
  heading('Pull without logging in (refused)');
  say(`   $ docker pull ${image}`);
  await sb.forget(image);
  const anonymous = await sb.docker(['pull', image], { dockerConfig });
  say(
    anonymous.ok
      ? '   unexpectedly worked: the registry should refuse anonymous pulls'
      : wrap(`refused: ${anonymous.stderr.trim().split('\n').at(-1)}`),
  );
}

/**
 * Prints the workflow step as a user would write it; returns the job that runs it.
 * @param {Sandbox} sb @param {Options} options @param {string} dockerConfig
 * @returns {Job}
 */
function showWorkflowStep(sb, options, dockerConfig) {
  heading('The workflow step being run');
  const withInputs = {
    'role-to-assume': sb.roleArn,
    ...(options.fallback ? sb.fallbackInputs() : {}),
  };
  say('   permissions:');
  say(
    options.fallback
      ? '     contents: read       # no id-token: write, as in a pull request from a fork'
      : '     id-token: write',
  );
  say('   steps:');
  say(`     - uses: ./           # ${sb.actionDir}`);
  say('       id: login');
  say('       with:');
  for (const [name, value] of Object.entries(withInputs)) {
    const shown = value === sb.hubToken ? '${{ secrets.DOCKERHUB_OAT }}' : value;
    say(`         ${name}: ${shown}`);
  }
  say(`   env: DOCKER_CONFIG=${dockerConfig}${options.debug ? ', RUNNER_DEBUG=1' : ''}`);
  return { with: withInputs, idToken: !options.fallback, debug: options.debug, dockerConfig };
}

/** @param {Sandbox} sb @param {Job} job */
async function mainStep(sb, job) {
  const main = await sb.step('main', job);
  heading(
    `Main step (dist/index.js): exit code ${main.exitCode}, ${Math.round(main.durationMs)} ms`,
  );
  printLog(main.lines);
  printAnnotations(main.annotations);
  printOutputs(main.outputs);
  say('   step summary:');
  say(main.summary.trim() ? wrap(main.summary.trim(), '     | ') : '     (empty)');
  say(`   docker processes the step ran:`);
  for (const call of main.dockerCalls) {
    const stdin = call.stdinBytes === null ? '' : `, ${call.stdinBytes} bytes on stdin`;
    say(`     docker ${call.argv.join(' ')}   (exit ${call.exitCode}${stdin})`);
  }
  if (main.dockerCalls.length === 0) say('     none');
  return main;
}

/** @param {Sandbox} sb @param {Step} main @param {string} dockerConfig */
async function pullThroughLogin(sb, main, dockerConfig) {
  const prefix = main.outputs['library-prefix'];
  const image = `${prefix}/busybox:latest`;
  heading('Pull through the login, as a later step would');
  if (!prefix) {
    say('   no library-prefix output: nothing to pull (the step did not log in).');
    return false;
  }
  say('   # run: docker pull ${{ steps.login.outputs.library-prefix }}/busybox:latest');
  say(`   $ docker pull ${image}`);
  await sb.forget(image);
  const pull = await sb.docker(['pull', image], { dockerConfig });
  const lines = (pull.ok ? pull.stdout : pull.stderr).trim().split('\n');
  if (!pull.ok) say(wrap(`FAILED: ${lines.at(-1)}`));
  for (const line of pull.ok ? lines.filter((l) => /^(Digest|Status):/.test(l)) : []) {
    say(`   ${line}`);
  }
  return pull.ok;
}

/** @param {Sandbox} sb @param {Job} job @param {Step} main */
async function postStep(sb, job, main) {
  const before = sb.readDockerConfig(job.dockerConfig);
  const post = await sb.step('post', { ...job, state: main.state });
  const after = sb.readDockerConfig(job.dockerConfig);
  heading(
    `Post step (dist/post/index.js): exit code ${post.exitCode}, ${Math.round(post.durationMs)} ms`,
  );
  printLog(post.lines);
  printAnnotations(post.annotations);
  say(`   ${path.join(job.dockerConfig, 'config.json')}, auths:`);
  const keys = [
    ...new Set([...Object.keys(before.auths ?? {}), ...Object.keys(after.auths ?? {})]),
  ];
  if (keys.length === 0) say('     (no logins before or after)');
  for (const key of keys) {
    say(`     "${key}"`);
    say(`       before post: ${describeAuth(before.auths?.[key])}`);
    say(`       after post:  ${describeAuth(after.auths?.[key])}`);
  }
  return post;
}

/**
 * What the fakes answered and the leak scan; returns the number of leaks.
 * @param {Sandbox} sb @param {Options} options @param {Step} main @param {Step} post
 */
function reportRun(sb, options, main, post) {
  heading('What the fakes answered');
  const c = sb.fakes.counters();
  const faulted = (/** @type {'oidc' | 'sts' | 'ecr'} */ n) =>
    c.faulted[n] ? ` (${c.faulted[n]} failed on purpose)` : '';
  say(`   GitHub OIDC token requests:         ${c.oidc}${faulted('oidc')}`);
  say(`   STS AssumeRoleWithWebIdentity:      ${c.sts}${faulted('sts')}`);
  say(`   ECR Public GetAuthorizationToken:   ${c.ecr}${faulted('ecr')}`);
  if (options.fallback)
    say('   (none: without id-token permission the job has no OIDC token to exchange)');
  const found = [...main.leaks, ...post.leaks];
  say(
    found.length === 0
      ? '   leak scan: no secret in the logs, docker argv, outputs, state, env or summary'
      : `   leak scan: ${found.length} LEAK(S): ${found.map((l) => `${l.where} ${l.detail} (${l.kind})`).join(', ')}`,
  );
  return found.length;
}

/** @param {{ pulled: boolean, leaks: number, crashed: boolean, started: number }} r */
function result({ pulled, leaks, crashed, started }) {
  const ok = pulled && leaks === 0;
  const why = crashed
    ? 'the demo stopped on the error above'
    : pulled
      ? 'a secret leaked (see the leak scan)'
      : 'the pull after the login did not work';
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say();
  say(
    ok
      ? `Result: OK, the pull through the login worked (${seconds} s in all).`
      : `Result: FAILED, ${why}.`,
  );
  return ok ? 0 : 1;
}

// ------------------------------------------------------------------------------------------------

const parsed = parseArgs(process.argv.slice(2));
if (typeof parsed === 'string') {
  if (parsed) complain(parsed);
  process.stderr.write(`${USAGE}\n`);
  process.exit(parsed ? 2 : 0);
}
const problem = preflight();
if (problem) {
  complain(problem);
  process.exit(1);
}
process.exitCode =
  process.env.SANDBOX_NS === '1' ? await inside(parsed) : await outside(process.argv.slice(2));
