// @ts-check
// Runner emulator: runs a JavaScript action's `main`/`post` the way the GitHub runner does
// (env, inputs, file commands, stdout/stderr workflow commands, masks, post-if), and records
// what a test needs to judge it: outputs, state, annotations, docker calls and secret leaks.
// Semantics follow actions/runner (ActionRunner, NodeScriptActionHandler, ActionCommand,
// ActionCommandManager, FileCommandManager); deliberate differences are listed on runStep.
// Cost: no process besides the action's node; each docker call goes through one dash script.
// The parts live in sandbox/runner/: action.mjs, workflow-commands.mjs, file-commands.mjs,
// docker-recorder.mjs, leaks.mjs, process.mjs, step.mjs and hooks.mjs (the job hooks).

/**
 * @typedef {import('./runner/types.mjs').IdToken} IdToken
 * @typedef {import('./runner/types.mjs').Inputs} Inputs
 * @typedef {import('./runner/types.mjs').StepOptions} StepOptions
 * @typedef {import('./runner/types.mjs').Annotation} Annotation
 * @typedef {import('./runner/types.mjs').Annotations} Annotations
 * @typedef {import('./runner/types.mjs').DockerCall} DockerCall
 * @typedef {import('./runner/types.mjs').Leak} Leak
 * @typedef {import('./runner/types.mjs').StepResult} StepResult
 * @typedef {import('./runner/types.mjs').ActionDef} ActionDef
 */

export { loadAction, resolveInputs } from './runner/action.mjs';
export { parseKeyValueFile, readKeyValueFile } from './runner/file-commands.mjs';
export { findLeaks, leakPlaces } from './runner/leaks.mjs';
export { evaluatePostIf, runJob, runStep } from './runner/step.mjs';
export { parseWorkflowCommand, REGISTERED_COMMANDS } from './runner/workflow-commands.mjs';
export { pullContainer, runHookedJob, runHookScript } from './runner/hooks.mjs';
