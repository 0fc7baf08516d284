// The fakes' IAM policy evaluator: each rule it claims to follow, and what it refuses to judge.
import { evaluate, wildcard, type PolicyDocument } from '../../sandbox/fakes/policy.mjs';

const allow = (statement: Record<string, unknown>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', ...statement }],
});
const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = 'token.actions.githubusercontent.com:aud';
const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

describe('actions and resources', () => {
  it('allows a listed action, case-insensitively, and nothing else (implicit deny)', () => {
    const doc = allow({ Action: ['ecr-public:GetAuthorizationToken'], Resource: '*' });
    expect(evaluate([doc], { action: 'ecr-public:getauthorizationtoken' })).toBe('Allow');
    expect(evaluate([doc], { action: 'sts:GetServiceBearerToken' })).toBe('ImplicitDeny');
    expect(evaluate([], { action: 'sts:GetServiceBearerToken' })).toBe('ImplicitDeny');
  });

  it('matches action wildcards * and ?, and NotAction as everything but', () => {
    expect(
      evaluate([allow({ Action: 'ecr:Batch*', Resource: '*' })], { action: 'ecr:BatchGetImage' }),
    ).toBe('Allow');
    expect(
      evaluate([allow({ Action: 'ecr:Get?uthorizationToken', Resource: '*' })], {
        action: 'ecr:GetAuthorizationToken',
      }),
    ).toBe('Allow');
    const notEcr = allow({ NotAction: 'ecr:*', Resource: '*' });
    expect(evaluate([notEcr], { action: 'ecr:CreateRepository' })).toBe('ImplicitDeny');
    expect(evaluate([notEcr], { action: 'sts:GetServiceBearerToken' })).toBe('Allow');
  });

  it('matches resources case-sensitively, * spanning / and :', () => {
    const doc = allow({
      Action: 'ecr:BatchGetImage',
      Resource: 'arn:aws:ecr:us-east-1:123456789012:repository/ecr-public/*',
    });
    const repo = (name: string) => ({
      action: 'ecr:BatchGetImage',
      resource: `arn:aws:ecr:us-east-1:123456789012:repository/${name}`,
    });
    expect(evaluate([doc], repo('ecr-public/docker/library/nginx'))).toBe('Allow');
    expect(evaluate([doc], repo('ECR-PUBLIC/docker/library/nginx'))).toBe('ImplicitDeny');
    expect(evaluate([doc], repo('ecr-public'))).toBe('ImplicitDeny');
    expect(evaluate([allow({ Action: '*', NotResource: '*' })], repo('x'))).toBe('ImplicitDeny');
  });

  it('lets an explicit Deny win over any Allow, in any policy, in any order', () => {
    const deny: PolicyDocument = { Statement: { Effect: 'Deny', Action: 'sts:*', Resource: '*' } };
    const all = allow({ Action: '*', Resource: '*' });
    expect(evaluate([all, deny], { action: 'sts:GetServiceBearerToken' })).toBe('ExplicitDeny');
    expect(evaluate([deny, all], { action: 'sts:GetServiceBearerToken' })).toBe('ExplicitDeny');
    expect(evaluate([all, deny], { action: 'ecr-public:GetAuthorizationToken' })).toBe('Allow');
  });

  it('wildcard() escapes regex characters', () => {
    expect(wildcard('repo:o/r.x', 'repo:o/rax')).toBe(false);
    expect(wildcard('a+(b)', 'a+(b)')).toBe(true);
    expect(wildcard('repo:o/r:*', 'repo:o/r:ref:refs/heads/x\ny')).toBe(true);
  });
});

describe('trust policies: principal and conditions', () => {
  const trust = allow({
    Principal: { Federated: PROVIDER },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { [AUD]: 'sts.amazonaws.com' },
      StringLike: { [SUB]: ['repo:octo-org/app:*', 'repo:octo-org@*/app@*:*'] },
    },
  });
  const ask = (context: Record<string, string | string[]>, principal = PROVIDER) =>
    evaluate([trust], {
      action: 'sts:AssumeRoleWithWebIdentity',
      principal: { Federated: principal },
      context,
    });

  it('needs the provider, the audience and one of the sub patterns (keys ANDed, values ORed)', () => {
    const aud = 'sts.amazonaws.com';
    expect(ask({ [SUB]: 'repo:octo-org/app:ref:refs/heads/main', [AUD]: aud })).toBe('Allow');
    expect(ask({ [SUB]: 'repo:octo-org@1/app@2:environment:prod', [AUD]: aud })).toBe('Allow');
    expect(ask({ [SUB]: 'repo:octo-org/app2:ref:refs/heads/main', [AUD]: aud })).toBe(
      'ImplicitDeny',
    );
    expect(
      ask({ [SUB]: 'repo:octo-org/app:ref:refs/heads/main', [AUD]: 'https://github.com/octo-org' }),
    ).toBe('ImplicitDeny');
    expect(
      ask(
        { [SUB]: 'repo:octo-org/app:ref:refs/heads/main', [AUD]: aud },
        'arn:aws:iam::1:oidc-provider/x',
      ),
    ).toBe('ImplicitDeny');
  });

  it('treats condition key names case-insensitively and a missing key as no match', () => {
    expect(ask({ [SUB.toUpperCase()]: 'repo:octo-org/app:x', [AUD]: 'sts.amazonaws.com' })).toBe(
      'Allow',
    );
    expect(ask({ [AUD]: 'sts.amazonaws.com' })).toBe('ImplicitDeny');
  });

  it('negated operators hold on a missing key; set operators follow IAM for multivalued keys', () => {
    const cond = (Condition: Record<string, unknown>) =>
      allow({ Action: 's:A', Resource: '*', Condition });
    const run = (doc: PolicyDocument, context: Record<string, string | string[]>) =>
      evaluate([doc], { action: 's:A', context });
    expect(run(cond({ StringNotEquals: { k: 'x' } }), {})).toBe('Allow');
    expect(run(cond({ StringNotLike: { k: 'x*' } }), { k: 'xy' })).toBe('ImplicitDeny');
    expect(run(cond({ 'ForAnyValue:StringLike': { k: ['b*'] } }), { k: ['a', 'bc'] })).toBe(
      'Allow',
    );
    expect(run(cond({ 'ForAnyValue:StringLike': { k: ['b*'] } }), {})).toBe('ImplicitDeny');
    expect(run(cond({ 'ForAllValues:StringEquals': { k: ['a', 'b'] } }), { k: ['a', 'c'] })).toBe(
      'ImplicitDeny',
    );
    expect(run(cond({ 'ForAllValues:StringEquals': { k: ['a', 'b'] } }), {})).toBe('Allow');
  });
});

describe('what it refuses to judge', () => {
  it.each([
    [
      'an unknown operator',
      allow({
        Action: 'a:b',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '1.2.3.4/32' } },
      }),
    ],
    [
      'an IfExists operator',
      allow({ Action: 'a:b', Resource: '*', Condition: { StringEqualsIfExists: { k: 'v' } } }),
    ],
    ['a policy variable', allow({ Action: 'a:b', Resource: 'arn:aws:s3:::b/${aws:username}/*' })],
    ['NotPrincipal', allow({ Action: 'a:b', Resource: '*', NotPrincipal: { AWS: '*' } })],
    ['a statement without Action', allow({ Resource: '*' })],
  ])('throws on %s', (_, doc) => {
    expect(() => evaluate([doc], { action: 'a:b', resource: 'arn:aws:s3:::b/x/y' })).toThrow();
  });

  it('throws on a multivalued key under a single-valued operator', () => {
    const doc = allow({ Action: 'a:b', Resource: '*', Condition: { StringEquals: { k: 'v' } } });
    expect(() => evaluate([doc], { action: 'a:b', context: { k: ['v', 'w'] } })).toThrow(
      /ForAnyValue/,
    );
  });
});
