// Where a Compose file names images: `services.<name>.image`, found with the yaml package's
// Document API. The file is then edited by splicing those scalars' source ranges, not by
// re-serialising the document, so comments, anchors, quoting and layout stay byte for byte.
// Beside `build:`, `image:` names the image the build produces (its tag and push target), not
// one to pull: it is listed with that reason and never rewritten.
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { referenceProblem } from './reference.js';
import { siteAt, type Site } from './sites.js';

/** Every `services.*.image` that is a plain reference; throws when the YAML cannot be parsed. */
export function composeSites(text: string): Site[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  const services = doc.get('services');
  if (!isMap(services)) return [];
  const sites: Site[] = [];
  for (const { value: service } of services.items) {
    const image = isMap(service) ? service.get('image', true) : undefined;
    const site = isScalar(image) ? scalarSite(text, image) : undefined;
    if (!site || referenceProblem(site.text) !== undefined) continue;
    sites.push(isMap(service) && service.has('build') ? { ...site, keep: BUILT } : site);
  }
  return sites;
}

export const BUILT = 'built here: beside build:, image: names what the build produces';

/** A plain or quoted scalar's text; block scalars and escapes are left alone. */
function scalarSite(text: string, node: Scalar): Site | undefined {
  if (!node.range || typeof node.value !== 'string') return undefined;
  if (node.type !== 'PLAIN' && node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') {
    return undefined;
  }
  const site = siteAt(text, node.range[0], node.range[1]);
  return site?.text === node.value ? site : undefined;
}
