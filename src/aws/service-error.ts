// An AWS service's error answer shaped as the SDK shapes it, so that explain-error (retries, the
// messages users see) and the logs' retry lines treat our own requests and the SDK's alike:
// `name` the SDK's exception name, `Code` the code on the wire, the service's message, and the
// HTTP status in `$metadata`. An answer that is no AWS error at all (a proxy's page, a cut body)
// is an HttpError with its status, never quoting the body (it could hold what was sent).
import { HttpError } from '../net/get-json.js';
import type { Answer } from '../net/request.js';

export class AwsServiceError extends Error {
  /** The code on the wire, where the SDK keeps it (awsQuery errors). */
  readonly Code?: string;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string };

  constructor(o: { name: string; Code?: string; message: string; answer: Answer }) {
    super(o.message);
    this.name = o.name;
    if (o.Code !== undefined) this.Code = o.Code;
    this.$fault = o.answer.status < 500 ? 'client' : 'server';
    const id = o.answer.headers['x-amzn-requestid'];
    this.$metadata = {
      httpStatusCode: o.answer.status,
      ...(typeof id === 'string' ? { requestId: id } : {}),
    };
  }
}

/** An answer that is neither what was asked nor an AWS error: its status and form only. */
export function unreadableAnswer(service: string, what: string, answer: Answer): HttpError {
  const type = String(answer.headers['content-type'] ?? 'no content type');
  const size = Buffer.byteLength(answer.body);
  return new HttpError(
    answer.status,
    `${service} answered HTTP ${answer.status} with ${what} (${type}, ${size} bytes)`,
  );
}
