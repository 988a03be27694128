/** The server's rule for tags: 1 to 40 characters, no whitespace, commas or slashes (stored lower case). */
export function tagProblem(tag: string): string | undefined {
  const trimmed = tag.trim();
  if (trimmed === '') return 'Enter a tag';
  if (trimmed.length > 40) return 'At most 40 characters';
  if (/[\s,/]/.test(trimmed)) return 'No spaces, commas or slashes';
  return undefined;
}
