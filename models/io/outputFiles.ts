// Files made from a scan (exported maps, viewer snapshots): their name from the scan's. They are written
// with io/atomicFolder.ts writeFileAtomically, so that a reader never sees half a file.
import { basename } from 'node:path';

export const NIFTI_SUFFIX = /\.nii(\.gz)?$/i;

/** The file name without its scan extension: `brain.nii.gz` → `brain`, `tile.png` → `tile`. */
export function scanStem(file: string): string {
  return basename(file)
    .replace(NIFTI_SUFFIX, '')
    .replace(/\.(png|jpe?g)$/i, '');
}
