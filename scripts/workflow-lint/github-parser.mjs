// GitHub's own parser (the one behind the Actions language server): schema errors for workflows
// and action.yml, as GitHub reports them. It imports JSON without import attributes, so plain
// Node cannot load it: run it bundled (scripts/check-workflows.mjs) or under jest.
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';

function errorsOf(result) {
  return result.context.errors.getErrors().map((e) => e.message);
}

/** Schema problems in one workflow file, as messages (empty when valid). */
export async function parseWorkflowProblems(name, content) {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (result.value) {
    // Conversion finds what the schema cannot: bad job references, needs cycles, matrix errors.
    await convertWorkflowTemplate(result.context, result.value);
  }
  return errorsOf(result);
}

/** Schema problems in an action.yml, as messages. */
export function parseActionProblems(name, content) {
  return errorsOf(parseAction({ name, content }, new NoOperationTraceWriter()));
}
