// Static checks of iam/terraform/: every file parses with @cdktf/hcl2json (HashiCorp's HCL
// parser compiled to wasm), the module offers the template's parameters, resources and outputs,
// and every expression is within what sandbox/iam/hcl-expression.mjs evaluates (the fakes enforce
// what it renders). `terraform validate` needs the AWS provider downloaded, so it is not run here;
// where a terraform binary is on PATH, it evaluates the module's locals and must agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHcl, parseModule, planModule } from '../../sandbox/iam/terraform.mjs';
import { readTemplate } from '../../sandbox/iam/cloudformation.mjs';

const DIR = path.resolve('iam/terraform');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.tf'));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
let module: Json;
let template: Json;
beforeAll(async () => {
  module = await parseModule(DIR);
  template = await readTemplate(path.resolve('iam/cloudformation.yaml'));
});

const KNOWN = {
  'data.aws_caller_identity.current': { account_id: '123456789012' },
  'data.aws_partition.current': { partition: 'aws', dns_suffix: 'amazonaws.com' },
  'data.aws_region.current': { region: 'eu-west-1' },
  'aws_iam_openid_connect_provider.github': [{ arn: 'arn:provider' }],
  'aws_iam_role.this': { arn: 'arn:role', id: 'ecr-public-login' },
};
const plan = (variables: Json) =>
  planModule(module, {
    variables: { github_org: 'octo-org', repository: 'app', ...variables },
    known: KNOWN,
  });

test.each(FILES)('%s parses with hcl2json', async (file) => {
  const parsed = await parseHcl(file, readFileSync(path.join(DIR, file), 'utf8'));
  expect(Object.keys(parsed).length).toBeGreaterThan(0);
});

test('hcl2json rejects a syntax error, so the check above can fail', async () => {
  const main = readFileSync(path.join(DIR, 'main.tf'), 'utf8');
  await expect(parseHcl('main.tf', main.replace('locals {', 'locals {{'))).rejects.toThrow();
});

test('offers one variable per template parameter, and the same outputs', () => {
  const snake = (name: string) =>
    ({
      GitHubOrg: 'github_org',
      GitHubOrgId: 'github_org_id',
      OidcProviderArn: 'oidc_provider_arn',
      ExtraSubjectPatterns: 'extra_subject_patterns',
    })[name] ?? name.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());
  expect(Object.keys(module.variable).sort()).toEqual(
    Object.keys(template.Parameters).map(snake).sort(),
  );
  expect(Object.keys(module.output).sort()).toEqual(
    Object.keys(template.Outputs).map(snake).sort(),
  );
});

test('creates the same resources as the template, under the same conditions', () => {
  const counts = (p: ReturnType<typeof plan>) =>
    Object.fromEntries(
      Object.entries(p.resources).map(([type, byName]) => [
        type,
        Object.values(byName).flat().length,
      ]),
    );
  expect(counts(plan({}))).toEqual({
    aws_iam_openid_connect_provider: 1,
    aws_iam_role: 1,
    aws_iam_role_policy: 1,
    aws_ecr_pull_through_cache_rule: 0,
  });
  const withCache = plan({
    oidc_provider_arn:
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    cache_upstream: 'docker-hub',
    cache_credential_arn:
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/hub',
  });
  expect(counts(withCache)).toMatchObject({
    aws_iam_openid_connect_provider: 0,
    aws_ecr_pull_through_cache_rule: 1,
  });
  expect(withCache.resources.aws_ecr_pull_through_cache_rule.this[0]).toEqual({
    ecr_repository_prefix: 'docker-hub',
    upstream_registry_url: 'registry-1.docker.io',
    credential_arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/hub',
  });
  expect(withCache.outputs.library_prefix).toBe(
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library',
  );
  expect(plan({}).resources.aws_iam_openid_connect_provider.github[0]).toEqual({
    url: 'https://token.actions.githubusercontent.com',
    client_id_list: ['sts.amazonaws.com'],
  });
});

test.each([
  [{ github_org: 'bad org' }, /github_org/],
  [{ cache_upstream: 'quay' }, /cache_upstream/],
  [{ cache_namespace: 'UPPER' }, /cache_namespace/],
  [{ oidc_provider_arn: 'arn:aws:iam::1:oidc-provider/x' }, /oidc_provider_arn/],
  [{ nope: 1 }, /no variable nope/],
])('variable validation refuses %j', (variables, message) => {
  expect(() => plan(variables)).toThrow(message);
});

/**
 * The module's variables and locals, with data sources and the provider's ARN as constants, so
 * `terraform console` evaluates them offline (no provider needed).
 */
function providerFreeCopy(variables: Json): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iam-tf-'));
  const main = readFileSync(path.join(DIR, 'main.tf'), 'utf8');
  const locals = main
    .slice(main.indexOf('locals {'), main.indexOf('resource "'))
    .replace('data.aws_caller_identity.current.account_id', '"123456789012"')
    .replace('data.aws_partition.current.partition', '"aws"')
    .replace('data.aws_region.current.region', '"eu-west-1"')
    .replace('aws_iam_openid_connect_provider.github[0].arn', '"arn:provider"');
  writeFileSync(path.join(dir, 'main.tf'), locals);
  writeFileSync(path.join(dir, 'variables.tf'), readFileSync(path.join(DIR, 'variables.tf')));
  writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(variables));
  return dir;
}

const terraformOnPath = spawnSync('sh', ['-c', 'command -v terraform']).status === 0;
(terraformOnPath ? test : test.skip).each<Json>([
  {
    branch: 'main',
    environment: 'prod',
    extra_subject_patterns: ['repo:o/r:*'],
    cache_upstream: 'ecr-public',
  },
  {
    github_org_id: '77',
    repository_id: '88',
    cache_upstream: 'docker-hub',
    cache_credential_arn: 'arn:x',
  },
])(
  'real Terraform (where installed) evaluates the same policies for %j',
  (extra) => {
    const variables = { github_org: 'octo-org', repository: 'app', ...extra };
    const dir = providerFreeCopy(variables);
    try {
      const run = (args: string[], input = '') =>
        spawnSync('terraform', args, {
          cwd: dir,
          input,
          encoding: 'utf8',
          env: { ...process.env, TF_IN_AUTOMATION: '1' },
        });
      expect(run(['init', '-input=false', '-backend=false']).status).toBe(0);
      const out = run(
        ['console'],
        'jsonencode({ t = local.trust_statements, p = local.permission_statements })\n',
      );
      expect(out.status).toBe(0);
      const real = JSON.parse(JSON.parse(out.stdout.trim().split('\n').at(-1)!));
      const mine = plan(variables);
      const policy = (text: unknown) => JSON.parse(String(text)).Statement;
      expect(real.t).toEqual(policy(mine.resources.aws_iam_role.this[0].assume_role_policy));
      expect(real.p).toEqual(policy(mine.resources.aws_iam_role_policy.this[0].policy));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  120_000,
);
