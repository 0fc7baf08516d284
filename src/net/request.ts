// One HTTP request and its whole answer, for every small call the action makes (the OIDC token,
// STS, GetAuthorizationToken, Docker's token exchange): a per-request time-out, the phase's abort
// signal, and the agent that connects (proxy tunnel, early connection, or node's own).
import type http from 'node:http';
import type https from 'node:https';

export interface RequestOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Who connects, per scheme; node's global agents where absent. */
  agents?: { http?: http.Agent; https?: https.Agent };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request that got no answer in time: retryable, naming the host (the SDK's handler says the same). */
export const timeoutError = (host: string, ms: number, cause?: unknown): Error =>
  Object.assign(new Error(`no answer from ${host} within ${ms} ms`, { cause }), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

/** Sends one request; any status is an answer, only a failure to get one rejects. */
export async function send(
  url: URL,
  method: string,
  o: RequestOptions,
  body?: string,
): Promise<Answer> {
  const secure = url.protocol === 'https:';
  // Only the stack the URL needs: tls is the largest part of node's networking to load.
  const { request: open } = secure ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = open(url, {
      method,
      headers: o.headers,
      agent: secure ? o.agents?.https : o.agents?.http,
      timeout: o.timeoutMs,
      signal: o.signal,
    });
    request.once('timeout', () => request.destroy(timeoutError(url.host, o.timeoutMs)));
    request.once('error', reject);
    request.once('response', (response) => readAnswer(response).then(resolve, reject));
    request.end(body);
  });
}

function readAnswer(response: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('error', reject);
    response.once('end', () =>
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
}
