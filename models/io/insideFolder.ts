// Whether a path lies inside a folder: the check the extension makes before writing anywhere, and the
// worker before turning a sub-folder into a glob pattern. Plain Node, unit-tested.

import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `candidate` is `folder` itself or lies below it (after resolving `.` and `..`; symbolic links are not followed). */
export function isInsideFolder(folder: string, candidate: string): boolean {
  const rel = relative(resolve(folder), resolve(candidate));
  const escapes = rel === '..' || rel.startsWith(`..${sep}`);
  return !escapes && !isAbsolute(rel);
}
