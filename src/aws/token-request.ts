// GetAuthorizationToken (ECR Public, or ECR for a pull-through cache) as our own request:
// awsJson1_1, SigV4-signed (sigv4.ts) as the SDK signs it, the answer read as the SDK reads it; an
// error answer comes out as the SDK's error would (service-error).
import { send, type Answer, type RequestOptions } from '../net/request.js';
import type { AuthorizationData } from './authorization-token.js';
import { AwsServiceError, unreadableAnswer } from './service-error.js';
import { sha256Hex, signRequest, type SigningKeys } from './sigv4.js';

/** Each token service's operation and signing name. */
const SERVICES = {
  'ecr-public': {
    target: 'SpencerFrontendService.GetAuthorizationToken',
    signingName: 'ecr-public',
  },
  ecr: { target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken', signingName: 'ecr' },
} as const;

export interface TokenCall {
  /** The endpoint: http(s)://host[:port]. */
  origin: string;
  kind: keyof typeof SERVICES;
  /** The region to sign for. */
  region: string;
  /** How messages name the service. */
  service: string;
  keys: SigningKeys;
}

/** The request as it goes on the wire: URL, signed headers and body. */
export function tokenRequest(call: TokenCall, now: Date) {
  const { target, signingName } = SERVICES[call.kind];
  const url = new URL(`${call.origin}/`);
  const body = '{}';
  const request = {
    method: 'POST',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-content-sha256': sha256Hex(body),
    },
    body,
  };
  const scope = { service: signingName, region: call.region };
  return { url, headers: signRequest(request, scope, call.keys, now), body };
}

/** One GetAuthorizationToken; the token is masked the moment it is read. */
export async function getAuthorizationToken(
  call: TokenCall,
  o: RequestOptions & { setSecret: (value: string) => void; now: () => Date },
): Promise<AuthorizationData | undefined> {
  const { url, headers, body } = tokenRequest(call, o.now());
  const answer = await send(url, 'POST', { ...o, headers: { ...o.headers, ...headers } }, body);
  const json = readJson(call.service, answer);
  if (answer.status < 200 || answer.status > 299) throw jsonError(call.service, answer, json);
  const found = (json as { authorizationData?: unknown }).authorizationData;
  const data = (Array.isArray(found) ? found[0] : found) as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') return undefined;
  const token = data.authorizationToken;
  if (typeof token === 'string' && token) o.setSecret(token);
  const seconds = data.expiresAt;
  return {
    authorizationToken: typeof token === 'string' ? token : undefined,
    // Epoch seconds, with a fraction: the SDK's Date, to the millisecond.
    expiresAt: typeof seconds === 'number' ? new Date(Math.round(seconds * 1000)) : undefined,
  };
}

/** The answer's JSON object; anything else is an unreadable answer. */
function readJson(service: string, answer: Answer): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(answer.body);
    if (json && typeof json === 'object' && !Array.isArray(json))
      return json as Record<string, unknown>;
  } catch {
    // below
  }
  throw unreadableAnswer(service, 'something that is not a JSON object', answer);
}

/**
 * The error code as the SDK finds it for awsJson1_1: `__type`, else `code`, else the
 * x-amzn-ErrorType header; `prefix#Name:suffix` and `Name,more` keep only `Name`.
 */
function jsonError(service: string, answer: Answer, json: Record<string, unknown>): Error {
  const codeKey = Object.keys(json).find((key) => key.toLowerCase() === 'code');
  const header = answer.headers['x-amzn-errortype'];
  const raw = [json.__type, codeKey ? json[codeKey] : undefined, header].find(
    (value) => value !== undefined,
  );
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return unreadableAnswer(service, 'no AWS error in it', answer);
  }
  const plain = String(raw).split(',')[0].split(':')[0];
  const code = plain.includes('#') ? plain.split('#')[1] : plain;
  const message = json.message ?? json.Message;
  return new AwsServiceError({
    name: code,
    message: typeof message === 'string' ? message : 'UnknownError',
    answer,
  });
}
