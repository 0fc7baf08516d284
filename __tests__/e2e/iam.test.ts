// The shipped IAM (iam/cloudformation.yaml, iam/terraform/) against the built action: the
// fakes' STS and ECR Public enforce the rendered policies with sandbox/fakes/policy.mjs.
// (The role of another repository is in login.test.ts, next to the other trust failures.)
// Run: npm run test:e2e -- __tests__/e2e/iam.test.ts
import { shippedRoles } from '../../sandbox/iam/shipped.mjs';
import type { StepResult as Step } from '../../sandbox/runner.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import type { PolicyDocument } from '../../sandbox/fakes/policy.mjs';
import type { RoleConfig } from '../../sandbox/fakes/trust.mjs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const ECR = 'public.ecr.aws';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ fakes: { repository: 'octo-org/app', ref: 'refs/heads/main' } });
}, 60_000);
afterAll(async () => {
  await sb?.stop();
});
beforeEach(() => {
  sb.fakes.setClaims({});
  sb.fakes.resetRoles();
});

const role = () => ({ 'role-to-assume': sb.roleArn });
const errors = (step: Step) => step.annotations.error.map((a) => a.message);

/** The shipped role for octo-org/app with one action taken out of its permission policy. */
async function shippedWithout(action: string): Promise<Record<string, RoleConfig>> {
  const roles = await shippedRoles({ repository: 'octo-org/app' });
  const [arn, shipped] = Object.entries(roles)[0];
  const strip = (doc: PolicyDocument): PolicyDocument => ({
    ...doc,
    Statement: [doc.Statement].flat().map((s) => ({
      ...s,
      Action: [s.Action as string | string[]].flat().filter((a) => a !== action),
    })),
  });
  return { [arn]: { ...shipped, permissionPolicies: shipped.permissionPolicies!.map(strip) } };
}

// The CloudFormation role is the fakes' default, so every login.test.ts scenario runs with it.
test('the role iam/terraform creates for branch main lets the job in and log in', async () => {
  sb.fakes.setRoles(
    await shippedRoles({ repository: 'octo-org/app', branch: 'main' }, 'terraform'),
  );
  const job = await sb.job({ with: role() });
  expect(errors(job.main)).toEqual([]);
  expect(job.main.exitCode).toBe(0);
  expect(job.main.outputs).toMatchObject({ registry: ECR, 'fallback-used': 'false' });
  expect(job.leaks).toEqual([]);
});

test('a role for another branch refuses a job on main with AccessDenied', async () => {
  sb.fakes.setRoles(await shippedRoles({ repository: 'octo-org/app', branch: 'release/*' }));
  const before = sb.fakes.counters();
  const job = await sb.job({ with: role() });
  expect(job.main.exitCode).toBe(1);
  const [error, ...more] = errors(job.main);
  expect(more).toEqual([]);
  expect(error).toContain(
    `STS AssumeRoleWithWebIdentity failed for ${sb.roleArn} (AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity).`,
  );
  expect(error).toContain(`The token's sub claim is "repo:octo-org/app:ref:refs/heads/main".`);
  expect(sb.fakes.counters().ecr - before.ecr).toBe(0);
  expect(job.leaks).toEqual([]);
});

test.each(['sts:GetServiceBearerToken', 'ecr-public:GetAuthorizationToken'])(
  'a permission policy without %s: the token call is refused and the error names it',
  async (missing) => {
    sb.fakes.setRoles(await shippedWithout(missing));
    const job = await sb.job({ with: role() });
    expect(job.main.exitCode).toBe(1);
    const [error, ...more] = errors(job.main);
    expect(more).toEqual([]);
    const assumed = 'arn:aws:sts::123456789012:assumed-role/ecr-public-pull/';
    expect(error).toContain('ECR Public GetAuthorizationToken failed');
    expect(error).toMatch(
      new RegExp(
        `\\(AccessDeniedException: User: ${assumed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+ is not authorized to perform: ${missing} on resource: \\* because no identity-based policy allows the ${missing} action\\)`,
      ),
    );
    expect(error).toContain('"sts:GetServiceBearerToken"');
    expect(job.main.dockerCalls).toEqual([]);
    expect(job.leaks).toEqual([]);
  },
);
