// A fresh, writable copy of the sample workspace for one run, so trained models and settings never
// leak between runs or into the repository.
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Makes a temporary folder for one run (the caller removes it). */
export function makeRunFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** Copies `source` to `<runFolder>/<its name>` and returns the copy's path. */
export function copyWorkspace(source: string, runFolder: string): string {
  if (!existsSync(source)) throw new Error(`Workspace folder ${source} does not exist`);
  const copy = join(runFolder, basename(source));
  cpSync(source, copy, { recursive: true });
  return copy;
}
