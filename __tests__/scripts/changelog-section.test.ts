import { changelogSection } from '../../scripts/changelog/section.mjs';

const changelog = `# Changelog

## [Unreleased]

- next

## [1.1.0] - 2026-12-20

### Fixed

- a fix

## [1.0.0] - 2026-12-01

- first

[1.0.0]: https://example.test/releases/tag/v1.0.0
`;

describe('release notes from CHANGELOG.md', () => {
  it("are the tag's section, without the headings around it or link references", () => {
    expect(changelogSection(changelog, 'v1.1.0')).toBe('### Fixed\n\n- a fix\n');
    expect(changelogSection(changelog, 'v1.0.0')).toBe('- first\n');
  });

  it('refuse a tag that is not vMAJOR.MINOR.PATCH, a missing section and an empty one', () => {
    expect(() => changelogSection(changelog, 'v1.1')).toThrow(
      'v1.1 is not a release tag (vMAJOR.MINOR.PATCH)',
    );
    expect(() => changelogSection(changelog, 'v1.2.0')).toThrow(
      "CHANGELOG.md has no '## [1.2.0]' section: add it before tagging v1.2.0",
    );
    expect(() => changelogSection('## [2.0.0]\n\n## [1.0.0]\n- x\n', 'v2.0.0')).toThrow(
      'section is empty',
    );
  });
});
