// @ts-check
// Leak scan: every place a step could show a secret, searched for each secret in its raw,
// escaped and base64 forms.

/**
 * @typedef {import('./types.mjs').StepResult} StepResult
 * @typedef {import('./types.mjs').Leak} Leak
 */

/**
 * Forms of a secret worth searching for: the value itself, and (for values long enough not to
 * match by chance) its JSON/URI escapes and base64 at the three byte alignments, trimmed to the
 * characters that don't depend on neighbouring bytes — e.g. inside a docker `auth` field.
 * @param {string} secret
 * @returns {{ text: string, kind: string }[]}
 */
function secretForms(secret) {
  const forms = [{ text: secret, kind: 'raw' }];
  if (secret.length < 8) return forms;
  const json = JSON.stringify(secret).slice(1, -1);
  if (json !== secret) forms.push({ text: json, kind: 'json' });
  const uri = encodeURIComponent(secret);
  if (uri !== secret) forms.push({ text: uri, kind: 'uri' });
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const text = b64.slice(
      Math.ceil((8 * shift) / 6),
      Math.floor((8 * (shift + bytes.length)) / 6),
    );
    if (text.length < 8) continue;
    forms.push({ text, kind: 'base64' });
    const url = text.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== text) forms.push({ text: url, kind: 'base64url' });
  }
  return forms;
}

/** @param {string} secret */
const hint = (secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`;

/**
 * Everything to search for: each mask and test secret, plus each line of multi-line ones
 * (the runner masks lines separately; lines under 4 chars would match by chance).
 * @param {string[]} values
 */
function leakPatterns(values) {
  /** @type {Map<string, { text: string, kind: string, secret: string }>} */
  const patterns = new Map();
  /** @param {string} v @param {string} secret */
  const add = (v, secret) => {
    for (const form of secretForms(v)) patterns.set(form.text, { ...form, secret });
  };
  for (const value of values) {
    if (value.trim() === '') continue;
    add(value, value);
    for (const line of value.split(/\r?\n/)) {
      if (line !== value && line.trim().length >= 4) add(line, value);
    }
  }
  return [...patterns.values()];
}

/**
 * @param {{ where: string, detail: string, text: string }[]} places
 * @param {string[]} secrets
 * @returns {Leak[]}
 */
export function findLeaks(places, secrets) {
  const patterns = leakPatterns(secrets);
  /** @type {Map<string, Leak>} */
  const leaks = new Map();
  for (const place of places) {
    for (const p of patterns) {
      if (!place.text.includes(p.text)) continue;
      const leak = {
        where: place.where,
        secret: hint(p.secret),
        kind: p.kind,
        detail: place.detail,
      };
      leaks.set(`${leak.where}\0${leak.detail}\0${p.secret}\0${p.kind}`, leak);
    }
  }
  return [...leaks.values()];
}

/**
 * Where a secret must never appear in a step's result. add-mask lines are the registration
 * itself and the runner never prints them; any other line counts, before or after the mask
 * was registered.
 * @param {Pick<StepResult, 'printed' | 'dockerCalls' | 'outputs' | 'state' | 'exportedEnv' | 'path' | 'summary'>} step
 * @returns {{ where: string, detail: string, text: string }[]}
 */
export function leakPlaces(step) {
  const places = [];
  const lineNo = { stdout: 0, stderr: 0 };
  for (const r of step.printed) {
    lineNo[r.stream]++;
    if (!r.addMask)
      places.push({ where: r.stream, detail: `line ${lineNo[r.stream]}`, text: r.text });
  }
  step.dockerCalls.forEach((call, i) => {
    call.argv.forEach((arg, j) =>
      places.push({ where: 'argv', detail: `call ${i} arg ${j}`, text: arg }),
    );
  });
  /** @param {string} where @param {Record<string, string>} map */
  const addMap = (where, map) => {
    for (const [k, v] of Object.entries(map)) places.push({ where, detail: k, text: `${k}=${v}` });
  };
  addMap('outputs', step.outputs);
  addMap('state', step.state);
  addMap('env', step.exportedEnv);
  step.path.forEach((p, i) => places.push({ where: 'env', detail: `GITHUB_PATH ${i}`, text: p }));
  places.push({ where: 'summary', detail: 'summary', text: step.summary });
  return places;
}
