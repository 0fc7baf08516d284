import { readFileSync } from 'node:fs';
import { checkDependabot, checkWorkflow } from '../../scripts/workflow-lint/rules.mjs';
import {
  parseActionProblems,
  parseWorkflowProblems,
} from '../../scripts/workflow-lint/github-parser.mjs';

const fixture = (name: string) => readFileSync(`__tests__/fixtures/workflows/${name}`, 'utf8');
const check = (name: string) => checkWorkflow(name, fixture(name));

describe('our workflow rules', () => {
  it('find nothing in a workflow that pins, scopes and passes expressions through env', () => {
    expect(check('good.yml')).toEqual([]);
  });

  it('flag tags, short SHAs, missing version comments, undigested images and reusable workflows by branch', () => {
    expect(check('unpinned.yml')).toEqual([
      expect.stringMatching(
        /^unpinned\.yml:9: actions\/checkout@v7 is not pinned by a full commit SHA/,
      ),
      expect.stringMatching(
        /^unpinned\.yml:10: actions\/setup-node@8207627 is not pinned by a full commit SHA/,
      ),
      expect.stringMatching(
        /^unpinned\.yml:11: actions\/checkout@3d3c42e\w+ has no version comment/,
      ),
      expect.stringMatching(/^unpinned\.yml:12: docker:\/\/alpine:3 is not pinned by digest/),
      expect.stringMatching(
        /^unpinned\.yml:14: octo\/workflows\/\S+@main is not pinned by a full commit SHA/,
      ),
    ]);
  });

  it('flag expressions inside run: scripts, one-line and multi-line', () => {
    expect(check('run-expression.yml')).toEqual([
      'run-expression.yml:9: expression inside run: is pasted into the script before it runs (pass it through env:)',
      'run-expression.yml:11: expression inside run: is pasted into the script before it runs (pass it through env:)',
    ]);
  });

  it('flag a job with no permissions anywhere and a job asking for write-all', () => {
    expect(check('permissions.yml')).toEqual([
      expect.stringMatching(/^permissions\.yml:4: job 'none' has no permissions:/),
      expect.stringMatching(/^permissions\.yml:10: job 'everything' asks for write-all/),
    ]);
  });

  it('flag write scopes granted to every job at workflow level', () => {
    expect(check('write-for-all.yml')).toEqual([
      expect.stringMatching(
        /^write-for-all\.yml:4: workflow-level 'contents: write' reaches every job/,
      ),
      expect.stringMatching(
        /^write-for-all\.yml:4: workflow-level 'id-token: write' reaches every job/,
      ),
    ]);
  });

  it('flag pull_request_target', () => {
    expect(check('pull-request-target.yml')).toEqual([
      expect.stringMatching(
        /^pull-request-target\.yml:3: pull_request_target runs with write access/,
      ),
    ]);
  });

  it('flag a dependabot.yml without version 2, ecosystem or schedule', () => {
    const text = 'version: 1\nupdates:\n  - package-ecosystem: npn\n    directory: /\n';
    expect(checkDependabot('dependabot.yml', text)).toEqual([
      'dependabot.yml: version must be 2',
      'dependabot.yml: updates[0]: unknown package-ecosystem',
      'dependabot.yml: updates[0]: schedule.interval missing or unknown',
    ]);
  });
});

describe("GitHub's workflow parser", () => {
  it('accepts the fixtures our rules judge', async () => {
    for (const name of ['good.yml', 'unpinned.yml', 'run-expression.yml', 'permissions.yml']) {
      expect(await parseWorkflowProblems(name, fixture(name))).toEqual([]);
    }
  });

  it('reports schema errors our rules cannot see', async () => {
    expect(check('schema-error.yml')).toEqual([]);
    expect(await parseWorkflowProblems('schema-error.yml', fixture('schema-error.yml'))).toEqual([
      "schema-error.yml (Line: 9, Col: 5): Unexpected value 'timeout'",
      "schema-error.yml (Line: 12, Col: 9): Unexpected value 'uses'",
    ]);
  });

  it('reports an action.yml with an unknown runtime', () => {
    const problems = parseActionProblems(
      'action.yml',
      'name: x\ndescription: y\nruns:\n  using: node99\n  main: index.js\n',
    );
    expect(problems).toEqual(["action.yml (Line: 4, Col: 10): Unexpected value 'node99'"]);
  });
});
