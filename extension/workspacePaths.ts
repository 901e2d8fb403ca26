// The one check every path from a setting, a dialog or a command argument passes before the extension
// writes there: it must lie inside the workspace folder. Plain Node, unit-tested.

import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `candidate` is `folder` itself or lies below it (after resolving `.` and `..`; symbolic links are not followed). */
export function isInsideFolder(folder: string, candidate: string): boolean {
  const rel = relative(resolve(folder), resolve(candidate));
  const escapes = rel === '..' || rel.startsWith(`..${sep}`);
  return !escapes && !isAbsolute(rel);
}

/** Throws naming both paths when `candidate` is outside `workspaceRoot`; `what` says what the path is for. */
export function requireInsideWorkspace(workspaceRoot: string, candidate: string, what: string): string {
  if (!isInsideFolder(workspaceRoot, candidate)) {
    throw new OutsideWorkspaceError(`${what} must be inside the workspace folder ${workspaceRoot}, not ${resolve(candidate)}.`);
  }
  return resolve(candidate);
}

export class OutsideWorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutsideWorkspaceError';
  }
}
