// The step summary, the one place a user looks after a run: what was logged in and how, when the
// token expires, how long each phase took, and where each image will be pulled from.
import type { PullLimit, PullLimitReport } from '../hub/pull-limit.js';
import type { ImageRow } from '../images/rows.js';
import type { Outputs } from './outputs.js';

/** One registry the step logged in to, as its target tells it. */
export interface LoginLine {
  host: string;
  /** How the credential was had (`role arn:…`, `the fallback credentials`). */
  via: string;
  expiresAt?: Date;
  libraryPrefix: string;
}

export interface StepStory {
  outputs: Outputs;
  logins: LoginLine[];
  /** Why the first target failed, with its label, when the fallback took over. */
  targetFailure?: { label: string; error: string };
  timings: [string, number][];
  images?: ImageRow[];
  /** With `docker-hub-limit`: what Docker Hub said of the pull limit. */
  pullLimit?: PullLimitReport;
}

/** Control and line-separator characters, shown escaped: a raw \r or \n would end the table row. */
const visible = (text: string): string =>
  text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });

/** Text in a table cell: one line, no column break, no markdown or HTML of its own (file names). */
export const cell = (text: string): string =>
  visible(text).replace(/[\\`*_[\]<>|!#~&]/g, (c) => `\\${c}`);

/** A code span that holds any text: a fence longer than any backtick run inside. */
export function code(text: string): string {
  if (!text) return '–';
  const inner = visible(text).replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...(inner.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = /^`|`$/.test(inner) ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

export function stepSummary(s: StepStory): string {
  const o = s.outputs;
  const lines = [
    '### Registry login',
    '| registry | logged in with | library prefix | token expires |',
    '|---|---|---|---|',
    ...s.logins.map(
      (l) =>
        `| ${code(l.host)} | ${cell(l.via)} | ${code(l.libraryPrefix)} | ${l.expiresAt?.toISOString() ?? '–'} |`,
    ),
  ];
  const clients = JSON.parse(o.clients || '[]') as string[];
  if (clients.length)
    lines.push('', `Clients logged in: ${clients.map((c) => code(c)).join(', ')}`);
  if (o['fallback-used'] === 'true' && s.targetFailure) {
    const { label, error } = s.targetFailure;
    lines.push('', `The fallback was used because the ${label} login failed: ${cell(error)}`);
  }
  if (s.timings.length > 0) {
    lines.push('', `| ${s.timings.map(([phase]) => phase).join(' | ')} |`);
    lines.push(`|${s.timings.map(() => '---:|').join('')}`);
    lines.push(`| ${s.timings.map(([, ms]) => `${Math.round(ms)} ms`).join(' | ')} |`);
  }
  if (s.pullLimit) lines.push('', ...pullLimitTable(s.pullLimit));
  if (o.mirrors && o.mirrors !== '{}') lines.push('', ...mirrorTable(o.mirrors));
  if (s.images) lines.push('', ...imageTable(s.images));
  return lines.join('\n');
}

/** What the `mirror` input configured, engine by engine (the `mirrors` output). */
function mirrorTable(json: string): string[] {
  const rows = Object.entries(JSON.parse(json) as Record<string, string>);
  return [
    '### Mirrors: Docker official images through the logged-in registry',
    '| engine | configured (undone by the post step) |',
    '|---|---|',
    ...rows.map(([engine, what]) => `| ${cell(engine)} | ${code(what)} |`),
  ];
}

function imageTable(rows: ImageRow[]): string[] {
  const mirrored = rows.filter((r) => r.mirrored).length;
  return [
    `### Images: ${mirrored} of ${rows.length} from the mirror`,
    '| reference | pulled as | why not the mirror | named in |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${code(r.reference)} | ${code(r.pull)} | ${r.mirrored ? '' : cell(r.reason ?? 'already on the mirror')} | ${cell(r.sources.join(', '))} |`,
    ),
  ];
}

function pullLimitTable(p: PullLimitReport): string[] {
  const row = (who: string, found: PullLimit | undefined) => {
    if (!found) return `| ${who} | unknown (the check failed; see the debug log) | – |`;
    if (found.limit === undefined) return `| ${who} | not limited | – |`;
    const window = found.windowSeconds ? ` per ${windowText(found.windowSeconds)}` : '';
    return `| ${who} | ${found.limit}${window} | ${found.remaining ?? '–'} |`;
  };
  const lines = [
    '### Docker Hub pull limit',
    '| pulls as | limit | remaining |',
    '|---|---|---|',
    row("anonymous (this runner's address)", p.anonymous),
  ];
  if (p.account) {
    lines.push(row(code(p.account.name), p.account.limit));
    lines.push(
      '',
      `The fallback logged in to Docker Hub as ${code(p.account.name)}: docker's pulls from Docker Hub in this job now count against that organization, not this runner's address.`,
    );
  }
  return lines;
}

const windowText = (seconds: number): string =>
  seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
