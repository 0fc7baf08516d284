// Errors a user can act on: what happened, then what to do about it.

export class ActionError extends Error {
  constructor(
    message: string,
    /** What the user should do; shown on its own line. */
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ActionError';
  }

  override toString(): string {
    return this.fix ? `${this.message}\n${this.fix}` : this.message;
  }
}

/** Invalid `with:` values. Collected so one run reports every problem at once. */
export class InputError extends ActionError {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n- ${problems.join('\n- ')}`,
      'Fix the `with:` values of this step; see the inputs table in the README.',
    );
    this.name = 'InputError';
  }
}

/** A message fit for a log line, whatever was thrown. Never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof ActionError) return error.toString();
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const name = error.name && error.name !== 'Error' ? error.name : undefined;
    const label = name ?? (typeof code === 'string' ? code : undefined);
    return label && !error.message.startsWith(label) ? `${label}: ${error.message}` : error.message;
  }
  return String(error);
}
