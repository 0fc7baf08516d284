// Our own rules for workflows, on top of GitHub's schema: what a credential-handling action's
// own CI must not do. Each finding is 'file:line: what is wrong (what to do)'.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

const FULL_SHA = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v?\d+(\.\d+)*\b/;

/** Findings for one workflow file's text (empty when it follows every rule). */
export function checkWorkflow(file, text) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const findings = [];
  const at = (node) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const report = (node, message) => findings.push(`${file}:${at(node)}: ${message}`);
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message}`);
  }
  checkTriggers(doc, report);
  checkTopPermissions(doc, report);
  const jobs = doc.get('jobs', true);
  const ctx = { report, lineText: (node) => text.split('\n')[at(node) - 1] ?? '' };
  for (const pair of isMap(jobs) ? jobs.items : []) {
    checkJob(ctx, pair, doc.has('permissions'));
  }
  return findings;
}

function checkTriggers(doc, report) {
  const on = doc.get('on', true);
  const names = isMap(on) ? on.items.map((p) => p.key) : isSeq(on) ? on.items : [on];
  for (const name of names) {
    if (isScalar(name) && name.value === 'pull_request_target') {
      report(
        name,
        'pull_request_target runs with write access on code from forks (use pull_request)',
      );
    }
  }
}

function checkTopPermissions(doc, report) {
  const permissions = doc.get('permissions', true);
  for (const [scope, level] of grants(permissions)) {
    if (level === 'write') {
      report(
        permissions,
        `workflow-level '${scope}: write' reaches every job (grant it in the job that needs it)`,
      );
    }
  }
}

/** [scope, level] pairs of a permissions value; write-all counts as write on everything. */
function grants(permissions) {
  if (isScalar(permissions)) return permissions.value === 'write-all' ? [['all', 'write']] : [];
  if (!isMap(permissions)) return [];
  return permissions.items.map((p) => [String(p.key), String(p.value?.value ?? p.value)]);
}

function checkJob(ctx, { key, value: job }, hasTopPermissions) {
  if (!isMap(job)) return;
  const permissions = job.get('permissions', true);
  if (!permissions && !hasTopPermissions) {
    ctx.report(key, `job '${key}' has no permissions: (set them in the job, or for the workflow)`);
  }
  if (grants(permissions).some(([scope]) => scope === 'all')) {
    ctx.report(permissions, `job '${key}' asks for write-all (name only the scopes it needs)`);
  }
  if (job.has('uses')) checkUses(ctx, job.get('uses', true));
  const steps = job.get('steps', true);
  for (const step of isSeq(steps) ? steps.items : []) {
    if (!isMap(step)) continue;
    if (step.has('uses')) checkUses(ctx, step.get('uses', true));
    const run = step.get('run', true);
    if (isScalar(run) && String(run.value).includes('${{')) {
      ctx.report(
        run,
        'expression inside run: is pasted into the script before it runs (pass it through env:)',
      );
    }
  }
}

function checkUses(ctx, node) {
  const ref = String(node.value);
  if (ref.startsWith('./')) return;
  if (ref.startsWith('docker://')) {
    if (!ref.includes('@sha256:'))
      ctx.report(node, `${ref} is not pinned by digest (use @sha256:...)`);
    return;
  }
  if (!FULL_SHA.test(ref)) {
    ctx.report(
      node,
      `${ref} is not pinned by a full commit SHA (use owner/repo@<40 hex> # vX.Y.Z)`,
    );
  } else if (!VERSION_COMMENT.test(ctx.lineText(node).split(ref)[1] ?? '')) {
    ctx.report(
      node,
      `${ref} has no version comment (add '# vX.Y.Z' so updates and reviews can read it)`,
    );
  }
}

const ECOSYSTEMS = new Set(['npm', 'github-actions', 'docker', 'gomod', 'pip', 'cargo', 'bundler']);
const INTERVALS = new Set([
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'semiannually',
  'yearly',
  'cron',
]);

/** Findings for .github/dependabot.yml: the shape GitHub needs (version 2, an ecosystem and schedule per update). */
export function checkDependabot(file, text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return doc.errors.map((e) => `${file}: ${e.message}`);
  const config = doc.toJS() ?? {};
  const findings = [];
  if (config.version !== 2) findings.push(`${file}: version must be 2`);
  const updates = Array.isArray(config.updates) ? config.updates : [];
  if (updates.length === 0) findings.push(`${file}: no updates: entries`);
  for (const [i, u] of updates.entries()) {
    const where = `${file}: updates[${i}]`;
    if (!ECOSYSTEMS.has(u?.['package-ecosystem']))
      findings.push(`${where}: unknown package-ecosystem`);
    if (!u?.directory && !u?.directories) findings.push(`${where}: no directory`);
    if (!INTERVALS.has(u?.schedule?.interval))
      findings.push(`${where}: schedule.interval missing or unknown`);
  }
  return findings;
}
