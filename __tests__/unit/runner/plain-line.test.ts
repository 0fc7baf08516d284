// A log line (info) must never become a workflow command, judged by the runner's own parsing
// rules (sandbox/runner.mjs follows actions/runner: .NET's TrimStart, then `::` compared with ICU).
import { parseWorkflowCommand, REGISTERED_COMMANDS } from '../../../sandbox/runner.mjs';
import { DOTNET_WHITESPACE } from '../../../sandbox/runner/dotnet-text.mjs';
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
  // .NET's whitespace, which JavaScript's \s does not have
  '\u0085::add-mask::hidden',
  ' \u0085 ::save-state name=post::{"logins":[{"configDir":"/etc"}]}',
  '\u0085\u00a0\u2028::stop-commands::pwned',
  // characters ICU ignores when it compares
  '\u200b::error::zero width',
  '\u0001\u0085::error::control',
])('%j is printed as text, never parsed as a command', (message) => {
  const lines = printed(message);
  expect(lines).toHaveLength(1);
  expect(parseWorkflowCommand(lines[0], registered)).toBeNull();
});

test.each([...DOTNET_WHITESPACE].filter((c) => c !== '\r' && c !== '\n'))(
  'a line led by .NET whitespace %j is no command',
  (c) => {
    for (const message of [`${c}::add-mask::x`, ` ${c}${c}::warning title=t::x`]) {
      expect(parseWorkflowCommand(message, registered)).not.toBeNull(); // raw, it is one
      const lines = printed(message);
      expect(lines).toHaveLength(1);
      expect(parseWorkflowCommand(lines[0], registered)).toBeNull();
    }
  },
);

test('whatever leads a line, it is printed as text (every prefix of up to 3 skipped characters)', () => {
  const pool = [...DOTNET_WHITESPACE, '\u200b', '\ufeff', '\u0001', '\u001f', '\u00ad', ':', '#'];
  let prefixes = [''];
  const commands: string[] = [];
  for (let length = 1; length <= 3; length++) {
    prefixes = prefixes.flatMap((p) => pool.map((c) => p + c));
    for (const prefix of prefixes) {
      for (const line of printed(`${prefix}::add-mask::x##[error]y`)) {
        if (parseWorkflowCommand(line, registered)) commands.push(JSON.stringify(line));
      }
    }
  }
  expect(prefixes).toHaveLength(pool.length ** 3);
  expect(commands).toEqual([]);
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
  expect(parseWorkflowCommand('\u0085::add-mask::hidden', registered)).not.toBeNull();
  expect(parseWorkflowCommand('\u3000::save-state name=a::b', registered)).not.toBeNull();
});
