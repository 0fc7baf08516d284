// A small JSON GET (and form POST) with a timeout, an abort signal and the proxy-aware agents.
import type http from 'node:http';
import type https from 'node:https';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The answer's body (at most 2,000 characters), for callers that quote the server. */
    readonly body = '',
    /** `Retry-After` in seconds, when the server sent a number. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface GetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  agents?: { http: http.Agent; https: https.Agent };
}

export function getJson(url: URL, o: GetOptions): Promise<unknown> {
  return requestJson(url, 'GET', o);
}

/** POSTs an application/x-www-form-urlencoded body and reads a JSON answer. */
export function postForm(url: URL, form: URLSearchParams, o: GetOptions): Promise<unknown> {
  const body = form.toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...o.headers };
  return requestJson(url, 'POST', { ...o, headers }, body);
}

async function requestJson(
  url: URL,
  method: string,
  o: GetOptions,
  body?: string,
): Promise<unknown> {
  const secure = url.protocol === 'https:';
  // Only the stack the URL needs: tls is the largest part of node's networking to load.
  const { request: send } = secure ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method,
      headers: { accept: 'application/json', ...o.headers },
      agent: o.agents ? (secure ? o.agents.https : o.agents.http) : undefined,
      timeout: o.timeoutMs,
      signal: o.signal,
    });
    request.once('timeout', () =>
      request.destroy(
        Object.assign(new Error(`no answer from ${url.host} within ${o.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    request.once('error', reject);
    request.once('response', (response) => readJson(url, response).then(resolve, reject));
    request.end(body);
  });
}

function readJson(url: URL, response: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('error', reject);
    response.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        const after = Number(response.headers['retry-after']);
        const seconds = Number.isFinite(after) && after >= 0 ? after : undefined;
        const message = `HTTP ${status} from ${url.host}: ${text.slice(0, 200)}`;
        reject(new HttpError(status, message, text.slice(0, 2000), seconds));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(status, `${url.host} answered with something that is not JSON`));
      }
    });
  });
}
