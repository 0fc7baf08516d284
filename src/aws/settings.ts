// The AWS inputs: which role to assume with the job's OIDC token (or none: the environment's
// credentials), and how hard to try. Every ECR login target uses them.
import { show } from '../common/text.js';
import type { InputReader } from '../runner/input-reader.js';

export interface AwsSettings {
  /** Empty: use the AWS credentials already in the environment. */
  roleToAssume: string;
  roleSessionName: string;
  roleDurationSeconds: number;
  audience: string;
}

/** Why a role ARN is wrong, in words a user can act on; undefined when it is valid. */
export function roleArnProblem(arn: string): string | undefined {
  const role = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
  const m = role.exec(arn);
  if (m) {
    const name = m[3].split('/').pop() ?? '';
    return name.length >= 1 && name.length <= 64 && !m[3].startsWith('/')
      ? undefined
      : `'role-to-assume' has an invalid role name (1-64 characters of [A-Za-z0-9+=,.@_-]): ${show(arn)}`;
  }
  const expected =
    'expected an IAM role ARN such as arn:aws:iam::123456789012:role/ecr-public-pull';
  if (!arn.startsWith('arn:')) {
    return `'role-to-assume' must be the role's full ARN, not a name: got ${show(arn)}; ${expected}`;
  }
  if (/:assumed-role\//.test(arn)) {
    return `'role-to-assume' is an assumed-role session ARN (${show(arn)}); give the role's own ARN: ${expected}`;
  }
  if (/^arn:[^:]+:iam::[^:]*:(user|group|policy)\//.test(arn)) {
    return `'role-to-assume' names an IAM ${arn.split(':')[5].split('/')[0]}, not a role: ${show(arn)}; ${expected}`;
  }
  if (/^arn:[^:]+:iam::[^:]*:role\//.test(arn) && !/^arn:[^:]+:iam::\d{12}:/.test(arn)) {
    return `'role-to-assume' must contain a 12-digit account ID: got ${show(arn)}`;
  }
  return `'role-to-assume' is not an IAM role ARN: got ${show(arn)}; ${expected}`;
}

export function parseAwsSettings(inputs: InputReader): AwsSettings {
  const roleToAssume = inputs.read('role-to-assume');
  const roleProblem = roleToAssume ? roleArnProblem(roleToAssume) : undefined;
  if (roleProblem) inputs.problems.push(roleProblem);
  const roleSessionName = inputs.read('role-session-name');
  if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
    inputs.problems.push(
      `'role-session-name' must be 2-64 characters of [A-Za-z0-9+=,.@_-]: got ${show(roleSessionName)}`,
    );
  }
  return {
    roleToAssume,
    roleSessionName,
    roleDurationSeconds: inputs.integer('role-duration-seconds', 900, 43200),
    audience: inputs.read('audience'),
  };
}
