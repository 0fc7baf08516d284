// @ts-check
// Server-side AWS Signature Version 4 checking (header form, AWS4-HMAC-SHA256), written from the spec:
// rebuild the canonical request from what arrived on the wire and compare signatures.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The parts of a request SigV4 covers, exactly as received.
 * @typedef {object} SignedRequest
 * @property {string} method
 * @property {string} rawPath path and query string as sent, still percent-encoded
 * @property {string[]} rawHeaders Node's [name, value, name, value, ...] list
 * @property {Buffer} body
 */

/**
 * @typedef {object} Authorization
 * @property {string} accessKeyId
 * @property {string} date     yyyymmdd of the credential scope
 * @property {string} region
 * @property {string} service
 * @property {string[]} signedHeaders lower-case, as listed
 * @property {string} signature hex
 */

/** @typedef {{ ok: true, auth: Authorization, amzDate: string } | { ok: false, code: string, message: string }} Verdict */

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`.
 * @param {string | undefined} header
 * @returns {Authorization | string} the parsed header, or why it is incomplete
 */
export function parseAuthorization(header) {
  if (!header) return 'Missing Authentication Token';
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) return `Unsupported AWS 'algorithm': '${algorithm}'`;
  /** @type {Record<string, string>} */
  const fields = {};
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields[name]) return `Authorization header requires '${name}' parameter.`;
  }
  const scope = fields.Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return `Credential should be scoped to a valid region, service and 'aws4_request'.`;
  }
  const [accessKeyId, date, region, service] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
  };
}

/**
 * RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay as they are.
 * @param {string} value
 */
export function uriEncode(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Non-S3 services normalize the path and encode each (already encoded) segment once more.
 * @param {string} rawPath path without the query string
 */
export function canonicalUri(rawPath) {
  /** @type {string[]} */
  const segments = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return '/' + segments.map(uriEncode).join('/') + trailing;
}

/**
 * Query parameters decoded, re-encoded the SigV4 way and sorted by key, then value.
 * @param {string} rawQuery without the leading `?`
 */
export function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [uriEncode(decodeURIComponent(key)), uriEncode(decodeURIComponent(value))];
    })
    .sort(([ak, av], [bk, bv]) => (ak === bk ? compare(av, bv) : compare(ak, bk)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * `name:value\n` for each signed header; repeated headers are joined with commas, values trimmed and
 * inner whitespace runs collapsed. Null when a signed header was not sent.
 * @param {string[]} rawHeaders
 * @param {string[]} signedHeaders
 */
export function canonicalHeaders(rawHeaders, signedHeaders) {
  /** @type {Map<string, string[]>} */
  const byName = new Map();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1].trim().replace(/\s+/g, ' ');
    byName.set(name, [...(byName.get(name) ?? []), value]);
  }
  let out = '';
  for (const name of signedHeaders) {
    const values = byName.get(name);
    if (!values) return null;
    out += `${name}:${values.join(',')}\n`;
  }
  return out;
}

/**
 * @param {SignedRequest} req
 * @param {string[]} signedHeaders
 * @returns {string | null}
 */
export function canonicalRequest(req, signedHeaders) {
  const q = req.rawPath.indexOf('?');
  const path = q < 0 ? req.rawPath : req.rawPath.slice(0, q);
  const query = q < 0 ? '' : req.rawPath.slice(q + 1);
  const headers = canonicalHeaders(req.rawHeaders, signedHeaders);
  if (headers === null) return null;
  return [
    req.method,
    canonicalUri(path),
    canonicalQuery(query),
    headers,
    signedHeaders.join(';'),
    sha256Hex(req.body),
  ].join('\n');
}

/**
 * The signature the holder of `secret` would have computed for this request and scope.
 * @param {string} canonical
 * @param {string} amzDate
 * @param {Pick<Authorization, 'date' | 'region' | 'service'>} scope
 * @param {string} secret
 */
export function computeSignature(canonical, amzDate, scope, secret) {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

/**
 * Everything an AWS front end checks about a header-signed request before the operation runs.
 * @param {SignedRequest & { headers: import('node:http').IncomingHttpHeaders }} req
 * @param {object} expect
 * @param {string} expect.service the signing name, e.g. `ecr-public`
 * @param {(accessKeyId: string) => string | undefined} expect.secretFor
 * @param {number} expect.nowMs
 * @returns {Verdict}
 */
export function verifySigV4(req, { service, secretFor, nowMs }) {
  const auth = parseAuthorization(one(req.headers.authorization));
  if (typeof auth === 'string') {
    const code = req.headers.authorization
      ? 'IncompleteSignatureException'
      : 'MissingAuthenticationTokenException';
    return { ok: false, code, message: auth };
  }
  const secret = secretFor(auth.accessKeyId);
  if (secret === undefined) {
    return {
      ok: false,
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  const bad = (/** @type {string} */ message) => ({
    ok: /** @type {const} */ (false),
    code: 'InvalidSignatureException',
    message,
  });
  if (auth.service !== service) {
    return bad(`Credential should be scoped to correct service: '${service}'. `);
  }
  if (!auth.signedHeaders.includes('host')) {
    return bad(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  const amzDate = one(req.headers['x-amz-date']);
  if (!amzDate || !auth.signedHeaders.includes('x-amz-date')) {
    return bad(
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`,
    );
  }
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) return bad(`Invalid X-Amz-Date: '${amzDate}'.`);
  if (amzDate.slice(0, 8) !== auth.date) {
    return bad(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    const limit = signedAt < nowMs ? nowMs - MAX_SKEW_MS : nowMs + MAX_SKEW_MS;
    return bad(
      `Signature expired: ${amzDate} is now ${signedAt < nowMs ? 'earlier' : 'later'} than ${formatAmzDate(limit)} (${formatAmzDate(nowMs)} ${signedAt < nowMs ? '-' : '+'} 15 min.)`,
    );
  }
  const canonical = canonicalRequest(req, auth.signedHeaders);
  if (canonical === null) return bad('A header listed in SignedHeaders was not sent.');
  const expected = computeSignature(canonical, amzDate, auth, secret);
  if (!sameHex(expected, auth.signature)) {
    return bad(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, auth, amzDate };
}

/**
 * `20240131T235959Z` → epoch milliseconds (NaN when malformed).
 * @param {string} value
 */
export function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** @param {number} ms */
export function formatAmzDate(ms) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** @param {string | Buffer} data */
export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * @param {string | Buffer} key
 * @param {string} data
 */
function hmac(key, data) {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * @param {string} a
 * @param {string} b
 */
function sameHex(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * @param {string} a
 * @param {string} b
 */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** @param {string | string[] | undefined} value */
function one(value) {
  return Array.isArray(value) ? value[0] : value;
}
