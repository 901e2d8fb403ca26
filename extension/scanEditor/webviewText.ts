// What the scan viewer's page may be told: file names and workspace-relative paths, never absolute
// paths (USER_GUIDE.md, remote development). Error messages from the worker name the file by its path;
// this rewrites them before they are posted. Plain Node, unit-tested.

import { sep } from 'node:path';

/**
 * `message` with the scan's path `file` replaced by `name` (its file name) and every other path under
 * one of the workspace `folders` made relative to it (e.g. a model folder named in a scoring error).
 */
export function withoutAbsolutePaths(message: string, file: string, name: string, folders: readonly string[]): string {
  const withName = message.replaceAll(file, name);
  return folders.reduce((text, folder) => text.replaceAll(folder.endsWith(sep) ? folder : folder + sep, ''), withName);
}
