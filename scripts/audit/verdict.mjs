// Reads `npm audit --json` output: high or critical findings fail; a report that never came
// (the registry's audit endpoint unreachable or refusing) is said plainly and does not fail.
const BLOCKING = ['high', 'critical'];

/** { ok, lines } for the text `npm audit --omit=dev --json` printed. */
export function auditVerdict(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return {
      ok: false,
      lines: ['npm audit printed no JSON report; run `npm audit --omit=dev` to see why.'],
    };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts) return noReport(report);
  const blocking = Object.values(report.vulnerabilities ?? {}).filter((v) =>
    BLOCKING.includes(v.severity),
  );
  const summary = Object.entries(counts)
    .filter(([severity]) => severity !== 'total')
    .map(([severity, n]) => `${severity} ${n}`)
    .join(', ');
  if (blocking.length === 0)
    return { ok: true, lines: [`npm audit --omit=dev: ${summary}: nothing high or critical.`] };
  return {
    ok: false,
    lines: [
      ...blocking.map((v) => `${v.severity}: ${v.name} ${v.range ?? ''} (${advisories(v)})`),
      `npm audit --omit=dev: ${summary}: update or replace the packages above (npm audit fix --omit=dev).`,
    ],
  };
}

const UNREACHABLE = /advisories|audit endpoint|ECONN|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/i;

function noReport(report) {
  const reason = report?.message ?? report?.error?.summary ?? 'no report';
  if (typeof report?.statusCode === 'number' || UNREACHABLE.test(reason)) {
    return {
      ok: true,
      lines: [
        `npm audit: the registry's audit endpoint could not be used (${reason}); no result, continuing.`,
      ],
    };
  }
  return {
    ok: false,
    lines: [`npm audit failed: ${reason} (run \`npm audit --omit=dev\` to see why).`],
  };
}

function advisories(vulnerability) {
  const titles = (vulnerability.via ?? []).map((via) =>
    typeof via === 'string' ? `via ${via}` : via.title,
  );
  return titles.join('; ') || 'no advisory title';
}
