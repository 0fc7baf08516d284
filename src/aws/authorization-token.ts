// A registry password from ECR or ECR Public GetAuthorizationToken, decoded and checked.
import { ActionError } from '../common/errors.js';

export const ECR_PUBLIC_REGION = 'us-east-1';

export interface RegistryLogin {
  username: string;
  password: string;
  expiresAt?: Date;
}

export interface AuthorizationData {
  authorizationToken?: string;
  expiresAt?: Date;
}

const RETRY_FIX = 'This is unexpected from AWS; retry the job, and report it if it persists.';

/** base64("AWS:<password>") → login; the password may itself contain colons. */
export function decodeAuthorizationToken(
  data: AuthorizationData,
  now = new Date(),
  service = 'ECR Public',
): RegistryLogin {
  const BAD_TOKEN = `${service} returned an authorization token that is not usable`;
  const token = data.authorizationToken ?? '';
  if (!token || !/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) {
    throw new ActionError(`${BAD_TOKEN}: it is not base64.`, RETRY_FIX);
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = colon > 0 ? decoded.slice(0, colon) : '';
  const password = colon > 0 ? decoded.slice(colon + 1) : '';
  if (username !== 'AWS') {
    throw new ActionError(`${BAD_TOKEN}: it does not hold an "AWS:<password>" pair.`, RETRY_FIX);
  }
  if (!password) throw new ActionError(`${BAD_TOKEN}: its password is empty.`, RETRY_FIX);
  const expiresAt = data.expiresAt;
  if (expiresAt && !(expiresAt.getTime() > now.getTime())) {
    throw new ActionError(
      `${BAD_TOKEN}: it expired at ${expiresAt.toISOString()}.`,
      "Check the runner's clock; it must be within minutes of real time.",
    );
  }
  return { username, password, expiresAt };
}
