// A library prefix names where Docker official images live on a registry: `host[:port]/path`
// (`public.ecr.aws/docker/library`). A module of its own so the CLI does not load input parsing.

const PREFIX =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;

/** Why a library prefix is not one; undefined when it is. A trailing `/` is the caller's to drop. */
export function libraryPrefixProblem(prefix: string): string | undefined {
  if (PREFIX.test(prefix)) return undefined;
  const shown = JSON.stringify(prefix.length > 80 ? `${prefix.slice(0, 80)}…` : prefix);
  return `must be a registry host and path such as harbor.example.com/dockerhub/library: got ${shown}`;
}
