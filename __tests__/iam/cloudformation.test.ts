// Static checks of iam/cloudformation.yaml. The npm package `cfn-lint` (martysweet/cfn-lint 1.9.7)
// cannot do this: its 2019 resource specification has no AWS::IAM::OIDCProvider nor
// AWS::ECR::PullThroughCacheRule, and it rejects the !Condition tag and the Rules section. So the
// template is parsed with CloudFormation's tags (the `yaml` package) and checked against a small
// schema of the three resource types it uses, taken from the CloudFormation resource reference;
// every reference must resolve and every parameter set must render. Where AWS's own linter
// (the Python cfn-lint) is on PATH, it must pass too.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { CLOUDFORMATION_TAGS, renderTemplate } from '../../sandbox/iam/cloudformation.mjs';

const FILE = path.resolve('iam/cloudformation.yaml');
const SOURCE = readFileSync(FILE, 'utf8');

interface TypeSchema {
  properties: string[];
  required: string[];
  attributes: string[];
}
/** The properties and GetAtt attributes of the types used (CloudFormation template reference). */
const SCHEMA: Record<string, TypeSchema> = {
  'AWS::IAM::OIDCProvider': {
    properties: ['ClientIdList', 'Tags', 'ThumbprintList', 'Url'],
    required: ['Url'],
    attributes: ['Arn'],
  },
  'AWS::IAM::Role': {
    properties: [
      'AssumeRolePolicyDocument',
      'Description',
      'ManagedPolicyArns',
      'MaxSessionDuration',
      'Path',
      'PermissionsBoundary',
      'Policies',
      'RoleName',
      'Tags',
    ],
    required: ['AssumeRolePolicyDocument'],
    attributes: ['Arn', 'RoleId'],
  },
  'AWS::ECR::PullThroughCacheRule': {
    properties: [
      'CredentialArn',
      'CustomRoleArn',
      'EcrRepositoryPrefix',
      'UpstreamRegistry',
      'UpstreamRegistryUrl',
      'UpstreamRepositoryPrefix',
    ],
    required: [],
    attributes: ['RegistryId'],
  },
};
const SECTIONS = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
];
const PSEUDO = [
  'AWS::AccountId',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::URLSuffix',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::NotificationARNs',
];

const doc = parseDocument(SOURCE, { customTags: CLOUDFORMATION_TAGS, strict: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const template = doc.toJS() as Record<string, any>;

/** Every intrinsic in a subtree, as [name, argument]. */
function intrinsics(node: unknown, found: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) node.forEach((n) => intrinsics(n, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) found.push([key, value]);
      intrinsics(value, found);
    }
  }
  return found;
}

/** The names a reference can point at, from each kind of intrinsic. */
function referencedNames(): { refs: string[]; conditions: string[]; getAtts: string[][] } {
  const refs: string[] = [];
  const conditions: string[] = [];
  const getAtts: string[][] = [];
  const sections = [template.Rules, template.Conditions, template.Resources, template.Outputs];
  for (const [name, arg] of intrinsics(sections)) {
    if (name === 'Ref') refs.push(arg as string);
    if (name === 'Condition' && typeof arg === 'string') conditions.push(arg);
    if (name === 'Fn::If') conditions.push((arg as string[])[0]);
    if (name === 'Fn::GetAtt') getAtts.push(arg as string[]);
    if (name === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, object]);
      for (const [, v] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        if (v in vars) continue;
        if (v.includes('.')) getAtts.push(v.split('.'));
        else refs.push(v);
      }
    }
  }
  for (const r of Object.values(template.Resources) as { Condition?: string }[]) {
    if (r.Condition) conditions.push(r.Condition);
  }
  for (const o of Object.values(template.Outputs) as { Condition?: string }[]) {
    if (o.Condition) conditions.push(o.Condition);
  }
  return { refs, conditions, getAtts };
}

test('parses as YAML with CloudFormation tags only: no errors, no unknown tags', () => {
  expect(doc.errors.map(String)).toEqual([]);
  expect(doc.warnings.map(String)).toEqual([]);
  expect(Object.keys(template).filter((k) => !SECTIONS.includes(k))).toEqual([]);
  expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
});

test('an unknown tag or a broken indent is caught by the same parse', () => {
  const bad = parseDocument(SOURCE.replace('!GetAtt Role.Arn', '!GetAttr Role.Arn'), {
    customTags: CLOUDFORMATION_TAGS,
  });
  expect(bad.warnings.map(String).join()).toMatch(/Unresolved tag: !GetAttr/);
  const broken = parseDocument(SOURCE.replace('\n  Role:\n', '\n Role:\n'), {
    customTags: CLOUDFORMATION_TAGS,
  });
  expect(broken.errors.length).toBeGreaterThan(0);
});

test('resources use known types, known properties and every required one', () => {
  for (const [name, resource] of Object.entries(template.Resources) as [
    string,
    { Type: string; Properties: object },
  ][]) {
    const schema = SCHEMA[resource.Type];
    expect([name, schema ? 'known' : resource.Type]).toEqual([name, 'known']);
    const props = Object.keys(resource.Properties);
    expect([name, props.filter((p) => !schema.properties.includes(p))]).toEqual([name, []]);
    expect([name, schema.required.filter((p) => !props.includes(p))]).toEqual([name, []]);
  }
});

test('every Ref, Sub variable, GetAtt and condition resolves, and every parameter is used', () => {
  const { refs, conditions, getAtts } = referencedNames();
  const params = Object.keys(template.Parameters);
  const resources = Object.keys(template.Resources);
  expect(
    refs.filter((r) => !params.includes(r) && !PSEUDO.includes(r) && !resources.includes(r)),
  ).toEqual([]);
  expect(conditions.filter((c) => !(c in template.Conditions))).toEqual([]);
  for (const [resource, attribute] of getAtts) {
    expect(SCHEMA[template.Resources[resource]?.Type]?.attributes).toContain(attribute);
  }
  expect(params.filter((p) => !refs.includes(p))).toEqual([]);
  expect(
    Object.keys(template.Conditions).filter(
      (c) => !conditions.includes(c) && !SOURCE.includes(`!Condition ${c}`),
    ),
  ).toEqual([]);
});

test.each<Record<string, string>>([
  {},
  { Branch: 'main' },
  { Environment: 'prod', ExtraSubjectPatterns: 'repo:o/r:*' },
  {
    OidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  },
  { CacheUpstream: 'ecr-public', CacheNamespace: 'pub' },
  {
    CacheUpstream: 'docker-hub',
    CacheCredentialArn:
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/x',
  },
])('renders for %j with the resources its conditions ask for', (extra) => {
  const { resources } = renderTemplate(template, {
    parameters: { GitHubOrg: 'octo-org', Repository: 'app', ...extra },
    pseudo: {
      'AWS::AccountId': '123456789012',
      'AWS::Region': 'us-east-1',
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    },
    known: {
      GitHubOidcProvider:
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      'Role.Arn': 'arn:role',
    },
  });
  expect(Object.keys(resources).sort()).toEqual(
    [
      ...(extra.OidcProviderArn ? [] : ['GitHubOidcProvider']),
      ...(extra.CacheUpstream ? ['PullThroughCacheRule'] : []),
      'Role',
    ].sort(),
  );
  expect(resources.Role.Properties.AssumeRolePolicyDocument.Statement.length).toBeGreaterThan(0);
  if (extra.CacheUpstream === 'docker-hub') {
    expect(resources.PullThroughCacheRule.Properties).toEqual({
      EcrRepositoryPrefix: 'docker-hub',
      UpstreamRegistry: 'docker-hub',
      UpstreamRegistryUrl: 'registry-1.docker.io',
      CredentialArn: extra.CacheCredentialArn,
    });
  }
});

const pythonCfnLint = spawnSync('sh', ['-c', 'command -v cfn-lint']).status === 0;
(pythonCfnLint ? test : test.skip)(
  'passes AWS cfn-lint (the Python linter), where installed',
  () => {
    expect(() =>
      execFileSync('cfn-lint', [FILE], { encoding: 'utf8', stdio: 'pipe' }),
    ).not.toThrow();
  },
  60_000,
);
