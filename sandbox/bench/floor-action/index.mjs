// @ts-check
// The bench's floor: the least any step that logs in the way main does must do, written as
// plainly as it can be: node, https, the OIDC token, STS AssumeRoleWithWebIdentity, ECR Public
// GetAuthorizationToken (SigV4), the registry's token and GET /v2/ with it over TLS (the
// in-process check), one config.json write. No input checks, no masking, no state, no
// preconnects, no error handling: what main costs above this is what its safety and reporting
// cost. Run by the bench like main (sandbox/bench/phases.mjs floor); never shipped.
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

const env = process.env;
const region = env.AWS_REGION ?? 'us-east-1';

/** @param {URL} url @param {{ method?: string, headers?: Record<string, string>, body?: string }} o */
function call(url, o = {}) {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(text))));
    });
    req.once('error', reject).end(o.body);
  });
}

const sha256 = (/** @type {string} */ s) => createHash('sha256').update(s).digest('hex');
const hmac = (/** @type {string | Buffer} */ k, /** @type {string} */ s) =>
  createHmac('sha256', k).update(s).digest();

/**
 * SigV4 for a POST / with a JSON body.
 * @param {URL} url @param {string} target @param {string} body @param {Record<string, string>} keys
 */
function signed(url, target, body, keys) {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': date,
    'x-amz-security-token': keys.SessionToken,
    'x-amz-target': target,
  };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${headers[n]}`), '']
    .concat(names.join(';'), sha256(body))
    .join('\n');
  const scope = `${date.slice(0, 8)}/${region}/ecr-public/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${keys.SecretAccessKey}`, date.slice(0, 8));
  for (const part of [region, 'ecr-public', 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, toSign).toString('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${keys.AccessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { ...headers, authorization };
}

const oidcUrl = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '');
oidcUrl.searchParams.set('audience', 'sts.amazonaws.com');
const oidc = JSON.parse(
  await call(oidcUrl, {
    headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  }),
);
const form = new URLSearchParams({
  Action: 'AssumeRoleWithWebIdentity',
  Version: '2011-06-15',
  RoleArn: env['INPUT_ROLE-TO-ASSUME'] ?? '',
  RoleSessionName: 'floor',
  WebIdentityToken: oidc.value,
}).toString();
const sts = await call(new URL(env.AWS_ENDPOINT_URL_STS ?? ''), {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: form,
});
/** @type {Record<string, string>} */
const keys = {};
for (const k of ['AccessKeyId', 'SecretAccessKey', 'SessionToken'])
  keys[k] = (new RegExp(`<${k}>([^<]*)</${k}>`).exec(sts) ?? [])[1] ?? '';
const ecrUrl = new URL(env.AWS_ENDPOINT_URL_ECR_PUBLIC ?? '');
const target = 'SpencerFrontendService.GetAuthorizationToken';
const ecr = JSON.parse(
  await call(ecrUrl, { method: 'POST', headers: signed(ecrUrl, target, '{}', keys), body: '{}' }),
);
const auth = ecr.authorizationData.authorizationToken;
const realm = 'https://public.ecr.aws/token/?service=public.ecr.aws&scope=aws';
const token = JSON.parse(
  await call(new URL(realm), { headers: { authorization: `Basic ${auth}` } }),
);
await call(new URL('https://public.ecr.aws/v2/'), {
  headers: { authorization: `Bearer ${token.token}` },
});
const dir = env.DOCKER_CONFIG ?? path.join(env.HOME ?? '', '.docker');
mkdirSync(dir, { recursive: true });
const config = { auths: { 'public.ecr.aws': { auth } } };
writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, '\t'), { mode: 0o600 });
process.exit(0);
