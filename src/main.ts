// The main step: inputs → ECR Public login (OIDC → STS → token → docker login) → fallback → outputs.
import { getEcrPublicLogin } from './aws/registry-password.js';
import { ActionError, describeError } from './errors.js';
import type { Exec } from './runner/exec.js';
import { outcome, shouldUseFallback } from './outcome.js';
import { parseInputs, urlUserInfo, type Settings } from './runner/inputs.js';
import { ECR_PUBLIC_REGISTRY } from './docker/registries.js';
import { fetchIdToken } from './aws/oidc-token.js';
import { computeOutputs, type Outputs } from './runner/outputs.js';
import { proxyAgents, proxyConfigured, proxyEnvProblem } from './net/proxy.js';
import { withDeadline } from './net/retry.js';
import type { Runtime } from './runner/runtime.js';
import { openSession, type LoginSession } from './docker/step-logins.js';

type Env = Record<string, string | undefined>;
type AwsSdk = typeof import('./aws/sdk.js');

export interface MainDeps {
  runtime: Runtime;
  env: Env;
  exec: Exec;
  loadSdk: () => Promise<AwsSdk>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Upper bound for one HTTP request; the phase deadline (`timeout-seconds`) bounds them all. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The least time a docker login gets, however little of the deadline is left. */
const MIN_DOCKER_LOGIN_MS = 5_000;

/** Masks what is secret in the inputs before anything else can print it. */
function maskSecretInputs(runtime: Runtime): void {
  runtime.setSecret(runtime.getInput('fallback-token'));
  const userInfo = urlUserInfo(runtime.getInput('http-proxy'));
  const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : undefined;
  if (password) {
    runtime.setSecret(password);
    try {
      runtime.setSecret(decodeURIComponent(password));
    } catch {
      // a malformed escape: the input check reports it; the raw form is masked
    }
  }
}

export async function runMain(deps: MainDeps): Promise<number> {
  const { runtime } = deps;
  maskSecretInputs(runtime);
  let settings: Settings;
  try {
    settings = parseInputs(runtime.getInput);
  } catch (error) {
    runtime.error(describeError(error), 'Invalid input');
    return 1;
  }
  // Load the SDK one turn of the event loop from now, after the OIDC request has been sent:
  // its ~40 ms of compiling then overlaps the round trip instead of delaying it.
  const sdk = new Promise((resolve) => setImmediate(resolve)).then(deps.loadSdk);
  sdk.catch(() => undefined);
  for (const note of settings.notes) runtime.warning(note);
  let session: LoginSession;
  try {
    session = openSession(settings, deps);
  } catch (error) {
    runtime.error(describeError(error), 'Registry login failed');
    return 1;
  }

  const ecr = await attempt(() => loginToEcrPublic(settings, session, sdk, deps));
  const fallbackError = await loginToFallback(settings, session, ecr.error, runtime);

  const result = outcome({ fallback: settings.fallback, ecrError: ecr.error, fallbackError });
  const outputs = computeOutputs({
    loggedIn: session.loggedIn(),
    ecrExpiresAt: ecr.value,
    fallbackUsed: result.ok && result.fallbackUsed,
  });
  for (const [name, value] of Object.entries(outputs)) runtime.setOutput(name, value);
  report(runtime, outputs);
  if (!result.ok) {
    runtime.error(result.reasons.join('\n\n'), 'Registry login failed');
    return 1;
  }
  return 0;
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** The whole ECR Public path within the `timeout-seconds` deadline; returns the token's expiry. */
function loginToEcrPublic(
  settings: Settings,
  session: LoginSession,
  sdk: Promise<AwsSdk>,
  deps: MainDeps,
): Promise<Date | undefined> {
  const { runtime, env } = deps;
  const now = deps.now ?? Date.now;
  const proxyProblem = proxyEnvProblem(env, settings.httpProxy);
  if (proxyProblem) {
    return Promise.reject(
      new ActionError(
        proxyProblem,
        'Fix the proxy variable in the job or runner environment, or set the `http-proxy` input.',
      ),
    );
  }
  const agents = proxyConfigured(env, settings.httpProxy)
    ? proxyAgents(env, settings.httpProxy, REQUEST_TIMEOUT_MS)
    : undefined;
  const deadline = now() + settings.timeoutSeconds * 1000;
  return runtime.group(`Log in to ${ECR_PUBLIC_REGISTRY}`, async () => {
    const login = await withDeadline(
      'Logging in to ECR Public',
      deadline,
      settings.timeoutSeconds,
      (signal, failed) =>
        getEcrPublicLogin(settings, {
          sdk,
          env,
          signal,
          agents,
          deadline,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
          setSecret: runtime.setSecret,
          info: runtime.info,
          debug: runtime.debug,
          onRetry: runtime.info,
          onFailure: failed,
          sleep: deps.sleep,
          fetchIdToken: () =>
            fetchIdToken(env, {
              audience: settings.audience,
              timeoutMs: REQUEST_TIMEOUT_MS,
              signal,
              agents,
            }),
        }),
    );
    // Not raced against the deadline: a docker login that has started is waited for (or killed
    // at its own time-out), so no login can land after the step has moved on.
    await session.login(
      ECR_PUBLIC_REGISTRY,
      login.username,
      login.password,
      Math.max(MIN_DOCKER_LOGIN_MS, deadline - now()),
    );
    runtime.info(
      `Logged in to ${ECR_PUBLIC_REGISTRY} with ${login.via}; the token expires at ${login.expiresAt?.toISOString() ?? 'an unknown time'}.`,
    );
    return login.expiresAt;
  });
}

/** Logs in to the fallback registry when the mode asks for it; returns why it failed, if it did. */
async function loginToFallback(
  settings: Settings,
  session: LoginSession,
  ecrError: string | undefined,
  runtime: Runtime,
): Promise<string | undefined> {
  const fallback = settings.fallback;
  if (!fallback || !shouldUseFallback(fallback, Boolean(ecrError))) return undefined;
  if (ecrError) {
    runtime.warning(
      `ECR Public login failed, so this step logs in to ${fallback.registry} instead. ${ecrError}`,
      'ECR Public login failed',
    );
  }
  const { error } = await attempt(() =>
    runtime.group(`Log in to ${fallback.registry} (fallback)`, async () => {
      await session.login(
        fallback.registry,
        fallback.username,
        fallback.token,
        settings.timeoutSeconds * 1000,
      );
      runtime.info(`Logged in to ${fallback.registry} as ${fallback.username}.`);
    }),
  );
  return error;
}

function report(runtime: Runtime, o: Outputs): void {
  if (!o.registries) return;
  const pulls = o['library-prefix']
    ? `; pull official images as ${o['library-prefix']}/<image>`
    : '';
  runtime.info(`Logged in to ${o.registries.split(',').join(' and ')}${pulls}.`);
  runtime.appendSummary(
    [
      '### Registry login',
      '| registry | library prefix | fallback used | token expires |',
      '|---|---|---|---|',
      `| ${o.registries} | ${o['library-prefix'] || '–'} | ${o['fallback-used']} | ${o['expires-at'] || '–'} |`,
    ].join('\n'),
  );
}
