import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRewriteFiles } from '../../../src/images/files.js';

let workspace: string;
let outside: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'ws-'));
  outside = mkdtempSync(join(tmpdir(), 'outside-'));
  for (const file of [
    'Dockerfile',
    'app/Dockerfile',
    'app/compose.yaml',
    'vendor/x/Dockerfile',
    '.ci/Dockerfile',
  ]) {
    mkdirSync(join(workspace, file, '..'), { recursive: true });
    writeFileSync(join(workspace, file), 'FROM nginx\n');
  }
  writeFileSync(join(outside, 'Dockerfile'), 'FROM nginx\n');
  symlinkSync(join(outside, 'Dockerfile'), join(workspace, 'app/Dockerfile.evil'));
  symlinkSync(outside, join(workspace, 'linked-dir'));
  symlinkSync(join(workspace, 'Dockerfile'), join(workspace, 'app/Dockerfile.same'));
});
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const find = (globs: string[]) => {
  const warnings: string[] = [];
  const files = findRewriteFiles(globs, workspace, (m) => warnings.push(m)).map((f) => f.relative);
  return { files, warnings };
};

describe('rewrite globs', () => {
  it('match files in the workspace, hidden ones too, minus the ! exclusions', () => {
    expect(find(['**/Dockerfile', '!vendor/**']).files).toEqual([
      '.ci/Dockerfile',
      'Dockerfile',
      'app/Dockerfile',
    ]);
    expect(find(['app/*.yaml', 'Dockerfile']).files).toEqual(['Dockerfile', 'app/compose.yaml']);
  });

  it('a glob that matches nothing is a warning', () => {
    expect(find(['**/docker-compose.yml', 'Dockerfile'])).toEqual({
      files: ['Dockerfile'],
      warnings: [`'rewrite' glob "**/docker-compose.yml" matched no file.`],
    });
  });

  it('refuses a file or folder symlink that leaves the workspace', () => {
    const { files, warnings } = find(['app/Dockerfile*', 'linked-dir/*']);
    expect(files).toEqual(['app/Dockerfile', 'app/Dockerfile.same']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^'rewrite' matched app\/Dockerfile.evil, which leads outside the workspace/,
      ),
      expect.stringMatching(
        /^'rewrite' matched linked-dir\/Dockerfile, which leads outside the workspace/,
      ),
    ]);
  });
});
