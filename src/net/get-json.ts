// A small JSON GET (and form POST) over net/request: a status outside 2xx is an HttpError that
// keeps the server's words; the answer must be JSON.
import { send, type Answer, type RequestOptions } from './request.js';

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

export type GetOptions = RequestOptions;

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
  const headers = { accept: 'application/json', ...o.headers };
  return readJson(url, await send(url, method, { ...o, headers }, body));
}

function readJson(url: URL, answer: Answer): unknown {
  const { status, body: text } = answer;
  if (status < 200 || status > 299) {
    const after = Number(answer.headers['retry-after']);
    const seconds = Number.isFinite(after) && after >= 0 ? after : undefined;
    const message = `HTTP ${status} from ${url.host}: ${text.slice(0, 200)}`;
    throw new HttpError(status, message, text.slice(0, 2000), seconds);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(status, `${url.host} answered with something that is not JSON`);
  }
}
