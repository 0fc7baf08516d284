import { auditVerdict } from '../../scripts/audit/verdict.mjs';

// Shapes as npm 10/11 print them with `npm audit --omit=dev --json`.
const report = (vulnerabilities: object, counts: object) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } });
const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 };

describe('npm audit verdict', () => {
  it('passes a clean report and says so', () => {
    expect(auditVerdict(report({}, counts))).toEqual({
      ok: true,
      lines: [
        'npm audit --omit=dev: info 0, low 0, moderate 0, high 0, critical 0: nothing high or critical.',
      ],
    });
  });

  it('passes moderate findings', () => {
    const vulns = {
      fxp: { name: 'fxp', severity: 'moderate', via: [{ title: 'ReDoS' }], range: '<4.1' },
    };
    expect(auditVerdict(report(vulns, { ...counts, moderate: 1, total: 1 })).ok).toBe(true);
  });

  it('fails on high and critical findings and names each package and advisory', () => {
    const vulns = {
      fxp: {
        name: 'fxp',
        severity: 'critical',
        via: [{ title: 'Prototype pollution' }],
        range: '<4.2',
      },
      sdk: { name: 'sdk', severity: 'high', via: ['fxp'], range: '3.1 - 3.5' },
    };
    const verdict = auditVerdict(report(vulns, { ...counts, high: 1, critical: 1, total: 2 }));
    expect(verdict.ok).toBe(false);
    expect(verdict.lines).toEqual([
      'critical: fxp <4.2 (Prototype pollution)',
      'high: sdk 3.1 - 3.5 (via fxp)',
      expect.stringContaining('high 1, critical 1: update or replace the packages above'),
    ]);
  });

  it('continues, saying so, when the audit endpoint refuses or cannot be reached', () => {
    const refused = {
      message:
        '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    };
    const down = {
      message:
        'request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9',
    };
    for (const output of [refused, down]) {
      const verdict = auditVerdict(
        JSON.stringify({ ...output, error: { summary: '', detail: '' } }),
      );
      expect(verdict.ok).toBe(true);
      expect(verdict.lines[0]).toMatch(
        /^npm audit: the registry's audit endpoint could not be used \(.+\); no result, continuing\.$/,
      );
    }
  });

  it('fails when npm audit itself fails for another reason, or prints no JSON', () => {
    const noLock = JSON.stringify({
      error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' },
    });
    expect(auditVerdict(noLock)).toEqual({
      ok: false,
      lines: [
        'npm audit failed: This command requires an existing lockfile. (run `npm audit --omit=dev` to see why).',
      ],
    });
    expect(auditVerdict('').ok).toBe(false);
  });
});
