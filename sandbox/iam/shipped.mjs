// @ts-check
// The trust and permission policies the project ships (iam/cloudformation.yaml and
// iam/terraform/), rendered for one set of settings, as the fakes enforce them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTemplate, renderTemplate } from './cloudformation.mjs';
import { parseModule, planModule } from './terraform.mjs';

/**
 * @typedef {import('../fakes/policy.mjs').PolicyDocument} PolicyDocument
 * @typedef {'cloudformation' | 'terraform'} IamSource
 * @typedef {object} IamSettings the template's parameters / the module's variables, in one shape
 * @property {string} repository `owner/name`
 * @property {string} [ownerId] for the immutable subject form (default `*`)
 * @property {string} [repositoryId]
 * @property {string} [branch]
 * @property {string} [environment]
 * @property {string[]} [extraSubjects]
 * @property {string} [oidcProviderArn] empty: the stack creates the provider
 * @property {string} [roleName]
 * @property {'none' | 'ecr-public' | 'docker-hub'} [cacheUpstream]
 * @property {string} [cacheNamespace]
 * @property {string} [cacheCredentialArn]
 * @typedef {object} ShippedRole
 * @property {string} roleArn
 * @property {PolicyDocument} trustPolicy
 * @property {PolicyDocument[]} permissionPolicies
 * @property {number} maxSessionDuration
 * @property {Record<string, unknown>} outputs
 */

export const IAM_DIR = fileURLToPath(new URL('../../iam/', import.meta.url));
export const SANDBOX_ACCOUNT = '123456789012';
export const SANDBOX_REGION = 'us-east-1';
const PROVIDER_ARN = `arn:aws:iam::${SANDBOX_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

/** @type {{ template?: Promise<any>, module?: Promise<any> }} */
const loaded = {};

/**
 * Reads and parses the shipped forms once per process; only the ones asked for, as the
 * Terraform parser (wasm) takes a while to start.
 * @param {IamSource[]} [sources]
 */
export async function loadShippedIam(sources = ['cloudformation', 'terraform']) {
  if (sources.includes('cloudformation')) {
    loaded.template ??= readTemplate(path.join(IAM_DIR, 'cloudformation.yaml'));
  }
  if (sources.includes('terraform')) loaded.module ??= parseModule(path.join(IAM_DIR, 'terraform'));
  return { template: await loaded.template, module: await loaded.module };
}

/**
 * @param {IamSource} source
 * @param {Awaited<ReturnType<typeof loadShippedIam>>} shipped
 * @param {IamSettings} settings
 * @returns {ShippedRole}
 */
export function renderShippedRole(source, shipped, settings) {
  const roleName = settings.roleName ?? 'ecr-public-pull';
  const roleArn = `arn:aws:iam::${SANDBOX_ACCOUNT}:role/${roleName}`;
  return source === 'cloudformation'
    ? fromTemplate(shipped.template, settings, roleArn)
    : fromModule(shipped.module, settings, roleArn);
}

/**
 * @param {any} template
 * @param {IamSettings} s
 * @param {string} roleArn
 * @returns {ShippedRole}
 */
function fromTemplate(template, s, roleArn) {
  const [org, repo] = s.repository.split('/');
  /** @type {Record<string, string | undefined>} */
  const given = {
    GitHubOrg: org,
    Repository: repo,
    GitHubOrgId: s.ownerId,
    RepositoryId: s.repositoryId,
    Branch: s.branch,
    Environment: s.environment,
    ExtraSubjectPatterns: s.extraSubjects?.join(','),
    OidcProviderArn: s.oidcProviderArn,
    RoleName: s.roleName,
    CacheUpstream: s.cacheUpstream,
    CacheNamespace: s.cacheNamespace,
    CacheCredentialArn: s.cacheCredentialArn,
  };
  const { resources, outputs } = renderTemplate(template, {
    parameters: /** @type {Record<string, string>} */ (definedOnly(given)),
    pseudo: pseudoParameters(),
    known: { GitHubOidcProvider: PROVIDER_ARN, 'Role.Arn': roleArn },
  });
  const role = resources.Role.Properties;
  return {
    roleArn,
    trustPolicy: role.AssumeRolePolicyDocument,
    permissionPolicies: role.Policies.map((/** @type {any} */ p) => p.PolicyDocument),
    maxSessionDuration: role.MaxSessionDuration,
    outputs,
  };
}

/**
 * @param {any} module
 * @param {IamSettings} s
 * @param {string} roleArn
 * @returns {ShippedRole}
 */
function fromModule(module, s, roleArn) {
  const [org, repo] = s.repository.split('/');
  const given = {
    github_org: org,
    repository: repo,
    github_org_id: s.ownerId,
    repository_id: s.repositoryId,
    branch: s.branch,
    environment: s.environment,
    extra_subject_patterns: s.extraSubjects,
    oidc_provider_arn: s.oidcProviderArn,
    role_name: s.roleName,
    cache_upstream: s.cacheUpstream,
    cache_namespace: s.cacheNamespace,
    cache_credential_arn: s.cacheCredentialArn,
  };
  const { resources, outputs } = planModule(module, {
    variables: definedOnly(given),
    known: {
      'data.aws_caller_identity.current': { account_id: SANDBOX_ACCOUNT },
      'data.aws_partition.current': { partition: 'aws', dns_suffix: 'amazonaws.com' },
      'data.aws_region.current': { region: SANDBOX_REGION },
      'aws_iam_openid_connect_provider.github': [{ arn: PROVIDER_ARN }],
      'aws_iam_role.this': { arn: roleArn, id: roleArn.split('/').pop() },
    },
  });
  const [role] = resources.aws_iam_role.this;
  return {
    roleArn,
    trustPolicy: JSON.parse(String(role.assume_role_policy)),
    permissionPolicies: resources.aws_iam_role_policy.this.map((p) => JSON.parse(String(p.policy))),
    maxSessionDuration: Number(role.max_session_duration),
    outputs,
  };
}

function pseudoParameters() {
  return {
    'AWS::AccountId': SANDBOX_ACCOUNT,
    'AWS::Region': SANDBOX_REGION,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
}

/**
 * @param {Record<string, unknown>} values
 * @returns {Record<string, unknown>}
 */
function definedOnly(values) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The role the sandbox's jobs assume (DEFAULT_ROLE_ARN of the fakes). */
export const SANDBOX_ROLE_NAME = 'ecr-public-pull';

/**
 * Roles for the fakes, keyed by ARN: the shipped policies for these settings.
 * @param {Partial<IamSettings> & { repository: string }} settings
 * @param {IamSource} [source]
 * @returns {Promise<Record<string, import('../fakes/trust.mjs').RoleConfig>>}
 */
export async function shippedRoles(settings, source = 'cloudformation') {
  const role = renderShippedRole(source, await loadShippedIam([source]), {
    roleName: SANDBOX_ROLE_NAME,
    ...settings,
  });
  return { [role.roleArn]: role };
}
