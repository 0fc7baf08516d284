// Validates .github/workflows/*, action.yml and .github/dependabot.yml; exits 1 on any finding.
// Runs bundled (see scripts/check-workflows.mjs), from the repository root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseActionProblems, parseWorkflowProblems } from './github-parser.mjs';
import { checkDependabot, checkWorkflow } from './rules.mjs';

const dir = '.github/workflows';
const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `${dir}/${f}`);
const findings = [];
for (const file of workflows) {
  const text = readFileSync(file, 'utf8');
  findings.push(...(await parseWorkflowProblems(file, text)), ...checkWorkflow(file, text));
}
findings.push(...parseActionProblems('action.yml', readFileSync('action.yml', 'utf8')));
const dependabot = '.github/dependabot.yml';
if (existsSync(dependabot))
  findings.push(...checkDependabot(dependabot, readFileSync(dependabot, 'utf8')));
for (const finding of findings) console.error(finding);
if (findings.length > 0) {
  console.error(`${findings.length} workflow finding(s).`);
  process.exit(1);
}
console.log(
  `${workflows.length} workflows, action.yml and dependabot.yml: valid, pinned, least privilege.`,
);
