// One job's steps run one phase at a time in a job folder of their own (RUNNER_TEMP and the
// workspace persist between steps, as on a runner), so later workflow steps can run in between.
import { runStep, type StepResult } from '../../sandbox/runner.mjs';
import type { startSandbox } from '../../sandbox/sandbox.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface PhaseOptions {
  workDir: string;
  env: Record<string, string>;
  with?: Record<string, string>;
  state?: Record<string, string>;
  priorEnv?: Record<string, string>;
}

/** `sandbox()` is read at each call: suites start their sandbox in beforeAll. */
export function jobPhases(sandbox: () => Sandbox) {
  /** The env a job step gets in the sandbox (sandbox.mjs's, minus the id-token variables). */
  const jobEnv = (extra: Record<string, string> = {}): Record<string, string> => {
    const sb = sandbox();
    const fakes = Object.entries(sb.fakes.env()).filter(
      ([k]) => !k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'),
    );
    return { ...Object.fromEntries(fakes), ...sb.infra.env(), AWS_REGION: 'us-east-1', ...extra };
  };

  const phase = (which: 'main' | 'post', o: PhaseOptions): Promise<StepResult> => {
    const sb = sandbox();
    return runStep({
      actionDir: sb.actionDir,
      phase: which,
      with: o.with ?? {},
      env: o.env,
      idToken: { requestUrl: sb.fakes.urls.oidcRequestUrl, requestToken: sb.fakes.requestToken },
      debug: true,
      nodePath: sb.node,
      secrets: [sb.hubToken],
      workDir: o.workDir,
      keepWorkDir: true,
      state: o.state,
      priorEnv: o.priorEnv,
    });
  };
  return { jobEnv, phase };
}
