// How input values and URLs may be quoted in messages: short, and never with credentials.

export const show = (value: string): string =>
  JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);

/** A URL with any user:password part replaced (a password may itself contain '@'). */
export const hideUrlCredentials = (value: string): string =>
  value.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^]*@/i, (_, scheme = '') => `${scheme}***@`);

/** The user-info part of a URL-like value (up to its last '@'), however malformed the rest. */
export const urlUserInfo = (value: string): string | undefined =>
  /^[a-z][a-z0-9+.-]*:\/*([^]*)@/i.exec(value)?.[1];
