// The release notes of one version: its section of CHANGELOG.md (Keep a Changelog format).
const RELEASE_TAG = /^v(\d+\.\d+\.\d+)$/;

/** The body under '## [x.y.z]' for tag 'vx.y.z'; throws a message saying what to fix. */
export function changelogSection(text, tag) {
  const version = RELEASE_TAG.exec(tag)?.[1];
  if (!version) throw new Error(`${tag} is not a release tag (vMAJOR.MINOR.PATCH)`);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0)
    throw new Error(`CHANGELOG.md has no '## [${version}]' section: add it before tagging ${tag}`);
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim();
  if (!body)
    throw new Error(`CHANGELOG.md's '## [${version}]' section is empty: say what ${tag} changes`);
  return `${body}\n`;
}
