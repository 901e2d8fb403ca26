// Glob patterns for the include/exclude and mask options of a folder scan, matched against a file's
// path relative to the scanned folder, with '/' separators:
//   `*` any characters within one path segment, `?` one such character, `**/` any number of folders
//   (none included), a trailing `**` everything below. A pattern without '/' matches the file name at
//   any depth (`*.png` is `**/*.png`). Matching ignores case, as file systems on Windows and macOS do.

/** The RegExp a glob pattern stands for (anchored at both ends). */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
  let source = '';
  for (let i = 0; i < anchored.length; i++) {
    const c = anchored[i];
    if (anchored.startsWith('**/', i)) {
      source += '(?:[^/]*/)*';
      i += 2;
    } else if (anchored.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
}

/** True when the relative path matches at least one of the patterns. */
export function matchesAny(relativePath: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(relativePath));
}
