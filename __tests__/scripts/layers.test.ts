// The layer map is enforced: ESLint refuses an import the map forbids, and the tree has no
// import circle (madge, the tool CONTRIBUTING.md names for drawing the graph).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { ESLint } from 'eslint';
import madge from 'madge';
import { SRC_LAYERS } from '../../scripts/layers.mjs';

const eslint = new ESLint();
const lint = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: file }))[0].messages.filter(
    (m) => m.ruleId === 'no-restricted-imports',
  );

describe('the layer rule', () => {
  test.each<[string, string]>([
    ['src/runner/runtime.ts', "import { parseTarget } from '../targets/kinds.js';"],
    ['src/common/errors.ts', "import type { Runtime } from '../runner/runtime.js';"],
    ['src/aws/credentials.ts', "import type { Settings } from '../settings.js';"],
    ['src/report/outputs.ts', "export { runMain } from '../main.js';"],
  ])('refuses in %s: %s', async (file, code) => {
    const [message] = await lint(file, code);
    expect(message?.message).toMatch(/may not import/);
  });

  test.each<[string, string]>([
    [
      'src/targets/ecr-public.ts',
      "import { awsRegistryPassword } from '../aws/registry-password.js';",
    ],
    ['src/runner/runtime.ts', "import { show } from '../common/text.js';"],
    ['src/main.ts', "import { parseSettings } from './settings.js';"],
    ['src/report/summary.ts', "import type { Outputs } from './outputs.js';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('src/', () => {
  test('every folder is in the layer map', () => {
    const folders = readdirSync('src', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(SRC_LAYERS).sort());
  });

  test('has no import circle', async () => {
    const graph = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
    expect(graph.circular()).toEqual([]);
  });
});

describe('CONTRIBUTING.md', () => {
  const text = readFileSync('CONTRIBUTING.md', 'utf8');
  const listed = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${dir}/${entry.name}/`);

  test.each([...listed('src'), ...listed('sandbox')])('the folder map names %s', (folder) => {
    expect(text).toContain(`\`${folder}\``);
  });

  test.each(Object.entries(SRC_LAYERS))(
    'says what src/%s/ may import, as the map does',
    (folder, allowed) => {
      const entry = new RegExp(
        `^- \`src/${folder}/\`:[^]*?May import: ([^]*?)\\.\\n(?=- |\\n)`,
        'm',
      ).exec(text);
      const said = entry?.[1].replace(/\s+/g, ' ');
      const names =
        said === 'nothing of ours' ? [] : (said ?? '?').split(', ').map((n) => n.replace(/`/g, ''));
      expect(names).toEqual(allowed);
    },
  );
});
