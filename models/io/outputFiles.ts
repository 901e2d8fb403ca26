// Files made from a scan (exported maps, viewer snapshots): their name from the scan's, and how they are
// written, to a temporary name and renamed, so that a reader never sees half a file.
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

export const NIFTI_SUFFIX = /\.nii(\.gz)?$/i;

/** The file name without its scan extension: `brain.nii.gz` → `brain`, `tile.png` → `tile`. */
export function scanStem(file: string): string {
  return basename(file)
    .replace(NIFTI_SUFFIX, '')
    .replace(/\.(png|jpe?g)$/i, '');
}

/** Writes `<target>.tmp-<pid>` and renames it onto `target` (an atomic replace on one file system). */
export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${target}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
