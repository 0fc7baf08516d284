// Prints the release notes for a tag (argument: v1.2.3) from CHANGELOG.md; exits 1 with the fix.
import { readFileSync } from 'node:fs';
import { changelogSection } from './changelog/section.mjs';

try {
  process.stdout.write(
    changelogSection(readFileSync('CHANGELOG.md', 'utf8'), process.argv[2] ?? ''),
  );
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
