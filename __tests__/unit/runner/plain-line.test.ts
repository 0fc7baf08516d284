// A log line (info) must never become a workflow command, judged by the runner's own parsing
// rules (sandbox/runner.mjs follows actions/runner: leading whitespace trimmed, then `::`).
import { parseWorkflowCommand, REGISTERED_COMMANDS } from '../../../sandbox/runner.mjs';
import { createRuntime } from '../../../src/runner/runtime.js';

const registered = new Set(REGISTERED_COMMANDS);

function printed(message: string): string[] {
  let out = '';
  createRuntime({}, (text) => (out += text)).info(message);
  return out.split(/\r?\n/).filter(Boolean);
}

test.each([
  '::error::forged',
  ' ::error::forged',
  '\t::warning title=x::forged',
  '\u00a0::add-mask::hidden',
  '::set-output name=registry::evil',
  'fine\n::error::on a second line',
  'fine\r::error::after a carriage return',
  '  \r\n  ::error::after CRLF and spaces',
  'text ##[error]legacy form',
  '##[add-mask]legacy first',
])('%j is printed as text, never parsed as a command', (message) => {
  const lines = printed(message);
  expect(lines).toHaveLength(1);
  expect(parseWorkflowCommand(lines[0], registered)).toBeNull();
});

test('ordinary text is printed unchanged', () => {
  expect(printed('Logged in to public.ecr.aws: 2 registries, 100% done')).toEqual([
    'Logged in to public.ecr.aws: 2 registries, 100% done',
  ]);
});

test('the parser used above does see the forged command when it is printed raw', () => {
  // Guards the test itself: these inputs are commands to the runner.
  expect(parseWorkflowCommand(' ::error::forged', registered)).not.toBeNull();
  expect(parseWorkflowCommand('\t::warning title=x::forged', registered)).not.toBeNull();
});
