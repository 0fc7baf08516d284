// The step summary, the one place a user looks after a run: what was logged in and how, when the
// token expires, how long each phase took, and where each image will be pulled from.
import type { ImageRow } from '../images/rows.js';
import type { Outputs } from '../runner/outputs.js';

export interface StepStory {
  outputs: Outputs;
  /** How ECR Public was logged in to (`role arn:…`, `the AWS credentials in the environment`). */
  ecrVia?: string;
  /** Why ECR Public failed, when the fallback took over. */
  ecrError?: string;
  timings: [string, number][];
  images?: ImageRow[];
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
    ...o.registries.split(',').map((registry) => {
      const ecr = registry === 'public.ecr.aws';
      const via = ecr ? (s.ecrVia ?? 'AWS') : 'the fallback credentials';
      const expires = ecr ? o['expires-at'] || 'unknown' : '–';
      return `| ${code(registry)} | ${cell(via)} | ${code(registry === o.registry ? o['library-prefix'] : '')} | ${expires} |`;
    }),
  ];
  if (o['fallback-used'] === 'true' && s.ecrError) {
    lines.push(
      '',
      `The fallback was used because the ECR Public login failed: ${cell(s.ecrError)}`,
    );
  }
  if (s.timings.length > 0) {
    lines.push('', `| ${s.timings.map(([phase]) => phase).join(' | ')} |`);
    lines.push(`|${s.timings.map(() => '---:|').join('')}`);
    lines.push(`| ${s.timings.map(([, ms]) => `${Math.round(ms)} ms`).join(' | ')} |`);
  }
  if (s.images) lines.push('', ...imageTable(s.images));
  return lines.join('\n');
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
