import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { MODULE_PATH, renderActionInputs } from '../../../scripts/action-inputs.mjs';
import { INPUT_DEFAULTS, OUTPUT_NAMES } from '../../../src/runner/action-inputs.js';
import { parseSettings } from '../../../src/settings.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { computeOutputs } from '../../../src/report/outputs.js';

const actionYml = readFileSync('action.yml', 'utf8');
const action = parse(actionYml) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

describe('action.yml is the one source of input names and defaults', () => {
  test('the generated module is up to date (run `npm run build` after editing action.yml)', () => {
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(renderActionInputs(actionYml));
  });

  test('every input in action.yml is read by parseSettings, and no other', () => {
    const asked = new Set<string>();
    parseSettings((name) => (asked.add(name), ''));
    expect([...asked].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  test('the defaults are action.yml defaults', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect([name, INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]]).toEqual([
        name,
        String(spec.default ?? ''),
      ]);
    }
  });

  test('the step sets exactly the outputs action.yml declares', () => {
    const outputs = computeOutputs({
      target: ECR_PUBLIC_TARGET,
      loggedIn: [],
      fallbackUsed: false,
    });
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });
});
