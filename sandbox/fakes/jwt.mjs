// @ts-check
// RS256 JSON Web Tokens: the signing side for the OIDC fake, the verifying side for the STS fake.
import { createHash, createPublicKey, generateKeyPair, sign, verify } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * @typedef {{ kty: 'RSA', n: string, e: string, kid: string, alg: 'RS256', use: 'sig' }} RsaJwk
 * @typedef {{ kid: string, privateKey: import('node:crypto').KeyObject, jwk: RsaJwk }} SigningKey
 * @typedef {{ header: Record<string, unknown>, payload: Record<string, unknown>, signingInput: string, signature: Buffer }} DecodedJwt
 */

/**
 * A fresh RSA key whose kid is its RFC 7638 thumbprint, as many real issuers do.
 * @returns {Promise<SigningKey>}
 */
export async function createSigningKey() {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (!n || !e) throw new Error('RSA public key exported without n/e');
  // The thumbprint hashes the required members in lexicographic order with no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return { kid, privateKey, jwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * @param {Record<string, unknown>} payload
 * @param {SigningKey} key
 * @returns {string} the compact serialization header.payload.signature
 */
export function signJwt(payload, key) {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * Splits and parses a compact JWT without trusting it; null when it is not one.
 * @param {string} token
 * @returns {DecodedJwt | null}
 */
export function decodeJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return null;
    return {
      header,
      payload,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

/**
 * Checks the RS256 signature against the key the header's kid names.
 * @param {DecodedJwt} jwt
 * @param {RsaJwk[]} keys the issuer's JWKS
 * @returns {'ok' | 'unknown-kid' | 'bad-alg' | 'bad-signature'}
 */
export function verifyJwt(jwt, keys) {
  if (jwt.header.alg !== 'RS256') return 'bad-alg';
  const jwk = keys.find((k) => k.kid === jwt.header.kid);
  if (!jwk) return 'unknown-kid';
  const publicKey = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  const ok = verify('RSA-SHA256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
  return ok ? 'ok' : 'bad-signature';
}

/** @param {unknown} value */
function b64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
