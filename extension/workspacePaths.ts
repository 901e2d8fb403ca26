// The one check every path from a setting, a dialog or a command argument passes before the extension
// writes there: it must lie inside the workspace folder. Plain Node, unit-tested.

import { resolve } from 'node:path';
import { isInsideFolder } from '../models/io/insideFolder';

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
