// A small JSON GET with a timeout, an abort signal and the proxy-aware agents.
import type http from 'node:http';
import type https from 'node:https';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
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

export async function getJson(url: URL, o: GetOptions): Promise<unknown> {
  const secure = url.protocol === 'https:';
  // Only the stack the URL needs: tls is the largest part of node's networking to load.
  const { get } = secure ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = get(url, {
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
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) {
          reject(new HttpError(status, `HTTP ${status} from ${url.host}: ${text.slice(0, 200)}`));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new HttpError(status, `${url.host} answered with something that is not JSON`));
        }
      });
    });
  });
}
