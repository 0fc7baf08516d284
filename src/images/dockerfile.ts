// Where a Dockerfile names images, found with dockerfile-ast (the parser behind the Dockerfile
// language server): FROM, COPY --from (ONBUILD's too), RUN --mount=...,from=, and the default of an ARG declared
// before the first FROM when a FROM is exactly that variable. Stage names, scratch and other
// variables are not images.
import { DockerfileParser, type Dockerfile, type From, type Onbuild } from 'dockerfile-ast';
import { referenceProblem } from './reference.js';
import { siteAt, type Site } from './sites.js';

/** Every site in the Dockerfile's text that names an image by a plain reference. */
export function dockerfileSites(text: string): Site[] {
  const dockerfile = DockerfileParser.parse(text);
  const offset = lineOffsets(text);
  const at = (range: Range | null): Site | undefined =>
    range ? siteAt(text, offset(range.start), offset(range.end)) : undefined;
  const stages = new Set<string>();
  const sites: (Site | undefined)[] = [];
  // BuildKit takes FROM <name> for a stage only when an EARLIER stage has that name
  // (dockerfile2llb's addState); a name defined later is an image to pull.
  for (const from of dockerfile.getFROMs()) {
    const image = at(from.getImageRange());
    const site = image?.text.includes('$') ? argDefault(dockerfile, image.text, at) : image;
    if (site && !stages.has(site.text.toLowerCase())) sites.push(site);
    const stage = from.getBuildStage();
    if (stage) stages.add(stage.toLowerCase());
  }
  // --from looks at every stage of the file (one defined later is a build error, not an image).
  const flagSites = fromFlagSites(dockerfile.getInstructions(), at).filter(
    (site) => site && !stages.has(site.text.toLowerCase()) && !/^\d+$/.test(site.text),
  );
  const seen = new Set<number>();
  return [...sites, ...flagSites].filter((site): site is Site => {
    if (!site || seen.has(site.start)) return false;
    seen.add(site.start);
    return site.text !== 'scratch' && referenceProblem(site.text) === undefined;
  });
}

type Instruction = ReturnType<Dockerfile['getInstructions']>[number];

/** COPY --from and RUN --mount=…,from= sites, ONBUILD's trigger instruction included. */
function fromFlagSites(instructions: Instruction[], at: (r: Range | null) => Site | undefined) {
  const sites: (Site | undefined)[] = [];
  for (const outer of instructions) {
    const instruction =
      outer.getKeyword() === 'ONBUILD' ? (outer as Onbuild).getTriggerInstruction() : outer;
    const keyword = instruction?.getKeyword();
    if (!instruction || (keyword !== 'COPY' && keyword !== 'RUN')) continue;
    for (const flag of (instruction as unknown as { getFlags(): FlagLike[] }).getFlags()) {
      sites.push(fromSite(flag, keyword, at));
    }
  }
  return sites;
}

type Range = NonNullable<ReturnType<From['getImageRange']>>;

/** Position (line, character) to offset, with the parser's line breaks: \r\n, \r or \n. */
function lineOffsets(text: string) {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return (p: Range['start']) => (starts[p.line] ?? text.length) + p.character;
}

interface FlagLike {
  getName(): string;
  getValueRange(): Range | null;
  getOptions(): { getName(): string; getValueRange(): Range | null }[];
}

/** COPY --from=<image> and RUN --mount=...,from=<image>. */
function fromSite(flag: FlagLike, keyword: string, at: (r: Range | null) => Site | undefined) {
  if (keyword === 'COPY' && flag.getName() === 'from') return at(flag.getValueRange());
  if (keyword !== 'RUN' || flag.getName() !== 'mount') return undefined;
  const from = flag.getOptions().find((o) => o.getName() === 'from');
  return from ? at(from.getValueRange()) : undefined;
}

/** `FROM $NAME` / `FROM ${NAME}`: the default of the ARG NAME declared before the first FROM. */
function argDefault(
  dockerfile: Dockerfile,
  image: string,
  at: (r: Range | null) => Site | undefined,
): Site | undefined {
  const name = /^\$(?:\{(\w+)\}|(\w+))$/.exec(image);
  if (!name) return undefined;
  const arg = dockerfile
    .getInitialARGs()
    .map((a) => a.getProperty())
    .filter((p) => p?.getName() === (name[1] ?? name[2]))
    .pop();
  return arg ? at(arg.getValueRange()) : undefined;
}
