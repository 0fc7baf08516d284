// The policies iam/cloudformation.yaml and iam/terraform/ create, rendered for a set of
// parameters and judged by the fakes' evaluator: who may assume the role, and what it may do.
// The pull-time permissions are proven here, on the documents, because AWS checks them only
// when a pull misses the cache, which the sandbox registry cannot play honestly.
import { evaluate } from '../../sandbox/fakes/policy.mjs';
import {
  loadShippedIam,
  renderShippedRole,
  type IamSettings,
  type IamSource,
} from '../../sandbox/iam/shipped.mjs';

type Shipped = Awaited<ReturnType<typeof loadShippedIam>>;
let shipped: Shipped;
beforeAll(async () => {
  shipped = await loadShippedIam();
});

const SOURCES: IamSource[] = ['cloudformation', 'terraform'];
const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const REPO_ARN = 'arn:aws:ecr:us-east-1:123456789012:repository';
const PULL_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchImportUpstreamImage',
  'ecr:CreateRepository',
];
const HUB_SECRET =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf';

const render = (source: IamSource, settings: Partial<IamSettings> = {}) =>
  renderShippedRole(source, shipped, { repository: 'octo-org/app', ...settings });

/** Whether a job whose token has this sub (and audience) may assume the rendered role. */
function mayAssume(
  source: IamSource,
  settings: Partial<IamSettings>,
  sub: string,
  aud = 'sts.amazonaws.com',
) {
  const { trustPolicy } = render(source, settings);
  return evaluate([trustPolicy], {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: { Federated: PROVIDER },
    context: {
      'token.actions.githubusercontent.com:sub': sub,
      'token.actions.githubusercontent.com:aud': aud,
    },
  });
}

function may(source: IamSource, settings: Partial<IamSettings>, action: string, resource = '*') {
  return evaluate(render(source, settings).permissionPolicies, { action, resource });
}

describe.each(SOURCES)('%s: trust policy', (source) => {
  it('by default trusts every ref of the repository, in both subject forms, and nobody else', () => {
    for (const sub of [
      'repo:octo-org/app:ref:refs/heads/main',
      'repo:octo-org/app:ref:refs/tags/v1',
      'repo:octo-org/app:pull_request',
      'repo:octo-org/app:environment:prod',
      'repo:octo-org@5551212/app@867530:ref:refs/heads/main',
    ]) {
      expect([sub, mayAssume(source, {}, sub)]).toEqual([sub, 'Allow']);
    }
    for (const sub of [
      'repo:octo-org/other:ref:refs/heads/main',
      'repo:octo-org/app-fork:ref:refs/heads/main',
      'repo:evil/app:ref:refs/heads/main',
      'repo:octo-org@1/other@2:ref:refs/heads/main',
    ]) {
      expect([sub, mayAssume(source, {}, sub)]).toEqual([sub, 'ImplicitDeny']);
    }
  });

  it('needs aud = sts.amazonaws.com and the account GitHub provider', () => {
    const sub = 'repo:octo-org/app:ref:refs/heads/main';
    expect(mayAssume(source, {}, sub, 'https://github.com/octo-org')).toBe('ImplicitDeny');
    const { trustPolicy } = render(source, {});
    const otherProvider = evaluate([trustPolicy], {
      action: 'sts:AssumeRoleWithWebIdentity',
      principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/example.com' },
      context: {
        'token.actions.githubusercontent.com:sub': sub,
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      },
    });
    expect(otherProvider).toBe('ImplicitDeny');
  });

  it('with a branch, trusts that branch only; with an environment, that environment', () => {
    const branch = { branch: 'main' };
    expect(mayAssume(source, branch, 'repo:octo-org/app:ref:refs/heads/main')).toBe('Allow');
    expect(mayAssume(source, branch, 'repo:octo-org@1/app@2:ref:refs/heads/main')).toBe('Allow');
    expect(mayAssume(source, branch, 'repo:octo-org/app:ref:refs/heads/feature')).toBe(
      'ImplicitDeny',
    );
    expect(mayAssume(source, branch, 'repo:octo-org/app:pull_request')).toBe('ImplicitDeny');
    const env = { environment: 'prod' };
    expect(mayAssume(source, env, 'repo:octo-org/app:environment:prod')).toBe('Allow');
    expect(mayAssume(source, env, 'repo:octo-org/app:ref:refs/heads/main')).toBe('ImplicitDeny');
    const both = { branch: 'release/*', environment: 'prod' };
    expect(mayAssume(source, both, 'repo:octo-org/app:ref:refs/heads/release/1.2')).toBe('Allow');
    expect(mayAssume(source, both, 'repo:octo-org/app:environment:prod')).toBe('Allow');
    expect(mayAssume(source, both, 'repo:octo-org/app:ref:refs/heads/main')).toBe('ImplicitDeny');
  });

  it('with the numeric IDs, pins the immutable form to them', () => {
    const ids = { ownerId: '5551212', repositoryId: '867530' };
    expect(mayAssume(source, ids, 'repo:octo-org@5551212/app@867530:ref:refs/heads/main')).toBe(
      'Allow',
    );
    expect(mayAssume(source, ids, 'repo:octo-org@5551212/app@999:ref:refs/heads/main')).toBe(
      'ImplicitDeny',
    );
    expect(mayAssume(source, ids, 'repo:octo-org/app:ref:refs/heads/main')).toBe('Allow');
  });

  it('adds extra subject patterns as given', () => {
    const extra = { branch: 'main', extraSubjects: ['repo:octo-org/tools:ref:refs/tags/*'] };
    expect(mayAssume(source, extra, 'repo:octo-org/tools:ref:refs/tags/v2')).toBe('Allow');
    expect(mayAssume(source, extra, 'repo:octo-org/tools:ref:refs/heads/main')).toBe(
      'ImplicitDeny',
    );
  });
});

describe.each(SOURCES)('%s: permission policy', (source) => {
  it('allows the two calls ECR Public login needs, and no ECR private call without a cache', () => {
    expect(may(source, {}, 'ecr-public:GetAuthorizationToken')).toBe('Allow');
    expect(may(source, {}, 'sts:GetServiceBearerToken')).toBe('Allow');
    expect(may(source, {}, 'ecr:GetAuthorizationToken')).toBe('ImplicitDeny');
    expect(
      may(source, {}, 'ecr:BatchGetImage', `${REPO_ARN}/ecr-public/docker/library/nginx`),
    ).toBe('ImplicitDeny');
  });

  it.each([
    [{ cacheUpstream: 'ecr-public' as const }, 'ecr-public/docker/library/nginx'],
    [
      { cacheUpstream: 'docker-hub' as const, cacheCredentialArn: HUB_SECRET },
      'docker-hub/library/nginx',
    ],
    [
      { cacheUpstream: 'ecr-public' as const, cacheNamespace: 'mirror/public' },
      'mirror/public/docker/library/nginx',
    ],
  ])('with cache %j: pulls through the cache namespace only', (settings, inside) => {
    expect(may(source, settings, 'ecr:GetAuthorizationToken')).toBe('Allow');
    for (const action of PULL_ACTIONS) {
      expect([action, may(source, settings, action, `${REPO_ARN}/${inside}`)]).toEqual([
        action,
        'Allow',
      ]);
      for (const outside of ['app/nginx', inside.split('/')[0], `x${inside}`]) {
        expect([action, outside, may(source, settings, action, `${REPO_ARN}/${outside}`)]).toEqual([
          action,
          outside,
          'ImplicitDeny',
        ]);
      }
      const otherRegion = `arn:aws:ecr:eu-west-1:123456789012:repository/${inside}`;
      expect(may(source, settings, action, otherRegion)).toBe('ImplicitDeny');
    }
    // Least privilege: nothing that writes images or deletes.
    for (const action of [
      'ecr:PutImage',
      'ecr:DeleteRepository',
      'ecr:InitiateLayerUpload',
      'ecr:SetRepositoryPolicy',
    ]) {
      expect(may(source, settings, action, `${REPO_ARN}/${inside}`)).toBe('ImplicitDeny');
    }
  });
});

describe('CloudFormation and Terraform agree', () => {
  it.each<Partial<IamSettings>>([
    {},
    { branch: 'main' },
    { environment: 'prod', ownerId: '1', repositoryId: '2' },
    { branch: 'main', environment: 'prod', extraSubjects: ['repo:o/r:*', 'repo:o/s:*'] },
    { oidcProviderArn: PROVIDER, roleName: 'ci-pull' },
    { cacheUpstream: 'ecr-public' },
    { cacheUpstream: 'docker-hub', cacheCredentialArn: HUB_SECRET, cacheNamespace: 'hub' },
  ])('on the policies and the role for %j', (settings) => {
    const cfn = render('cloudformation', settings);
    const tf = render('terraform', settings);
    expect(tf.trustPolicy).toEqual(cfn.trustPolicy);
    expect(tf.permissionPolicies).toEqual(cfn.permissionPolicies);
    expect(tf.maxSessionDuration).toBe(cfn.maxSessionDuration);
    expect(tf.outputs.role_arn).toBe(cfn.outputs.RoleArn);
    expect(tf.outputs.library_prefix ?? undefined).toBe(cfn.outputs.LibraryPrefix);
  });

  it('both refuse a docker-hub cache without the Secrets Manager credential', () => {
    for (const source of SOURCES) {
      expect(() => render(source, { cacheUpstream: 'docker-hub' })).toThrow(/credential/i);
    }
  });

  it('both refuse a repository name with a space and an ID that is not a number', () => {
    for (const source of SOURCES) {
      expect(() => render(source, { repository: 'octo-org/my app' })).toThrow();
      expect(() => render(source, { ownerId: '12a' })).toThrow();
    }
  });
});
