// The step's Runtime as a hook gets it: inputs from the environment, state in the hook's file,
// the log on stdout (the runner shows a hook's stdout in the job's log and reads its workflow
// commands). An error becomes a warning: a hook's failure would fail every job of the fleet.
import { createRuntime, type Runtime } from '../runner/runtime.js';
import type { GetInput } from '../runner/input-reader.js';
import { inEnvTerms } from './env-inputs.js';
import { readHookState, writeHookState } from './state-file.js';

type Env = Record<string, string | undefined>;

export interface HookRuntimeOptions {
  env: Env;
  getInput: GetInput;
  stateFile: string;
  write?: (text: string) => void;
}

export function hookRuntime(o: HookRuntimeOptions): Runtime & { failed: () => boolean } {
  // A copy: createRuntime's exportVariable writes into it, never into the hook's own env.
  const base = createRuntime({ ...o.env, GITHUB_OUTPUT: '', GITHUB_STATE: '' }, o.write);
  let failed = false;
  const state = () => readHookState(o.stateFile) ?? {};
  return {
    ...base,
    getInput: o.getInput,
    getState: (name) => state()[name] ?? '',
    saveState: (name, value) => writeHookState(o.stateFile, { ...state(), [name]: value }),
    // Outputs and the summary belong to steps; a hook has neither.
    setOutputs: () => undefined,
    appendSummary: () => undefined,
    // DOCKER_CONFIG for later steps: a hook only ever uses the runner's own config (shared).
    exportVariable: () => undefined,
    error: (message, title) => {
      failed = true;
      base.warning(inEnvTerms(message), title);
    },
    failed: () => failed,
  };
}
