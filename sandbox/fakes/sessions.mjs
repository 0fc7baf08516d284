// @ts-check
// The temporary credentials STS issued, which ECR Public later authenticates requests against.
import { secretAccessKey, sessionAccessKeyId, sessionToken } from './random.mjs';

/**
 * @typedef {object} Session
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} sessionToken
 * @property {number} expiresAtMs
 * @property {string} roleArn
 * @property {string} assumedRoleArn arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
 * @property {import('./policy.mjs').PolicyDocument[]} policies the role's permission policies
 */

export class SessionStore {
  /** @type {Map<string, Session>} */
  #byKey = new Map();

  /**
   * @param {Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>} grant
   * @returns {Session}
   */
  issue(grant) {
    const session = {
      ...grant,
      accessKeyId: sessionAccessKeyId(),
      secretAccessKey: secretAccessKey(),
      sessionToken: sessionToken(),
    };
    this.#byKey.set(session.accessKeyId, session);
    return session;
  }

  /** @param {string} accessKeyId */
  get(accessKeyId) {
    return this.#byKey.get(accessKeyId);
  }

  /**
   * Makes every issued session expired as of `nowMs`, to test ExpiredTokenException handling.
   * @param {number} nowMs
   */
  expireAll(nowMs) {
    for (const session of this.#byKey.values()) session.expiresAtMs = nowMs - 1000;
  }
}
