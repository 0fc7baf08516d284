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

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string): string => (text ? `\`${cell(text)}\`` : '–');

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
