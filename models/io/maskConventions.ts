// Which files are masks (ground truth), not scans, by the naming conventions of methods.md §9:
// `<name>_mask.png`, anything with "mask" in a NIfTI name, `*_seg.nii(.gz)`, files inside a
// `masks/` or `ground_truth/` folder, and a PNG beside a JPEG of the same name (magnetic-tile style).
// Masks are never trained on or scored as scans. Further mask patterns can be given to a folder scan
// (dataset.ts, `maskPatterns`). The other way round, findMask finds a scan's mask for evaluation.

import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const MASK_FOLDERS = new Set(['masks', 'ground_truth']);

/** `siblingNames` are the file names in the same folder, to recognise `x.png` beside `x.jpg`. */
export function isMaskFile(path: string, siblingNames: ReadonlySet<string>): boolean {
  const name = basename(path).toLowerCase();
  if (MASK_FOLDERS.has(basename(dirname(path)).toLowerCase())) return true;
  if (/mask/.test(name) || /_seg\.nii(\.gz)?$/.test(name)) return true;
  const png = /^(.*)\.png$/.exec(name);
  return png !== null && (siblingNames.has(`${png[1]}.jpg`) || siblingNames.has(`${png[1]}.jpeg`));
}

/** The scan's name without its extension (.nii.gz counts as one extension). */
function stemOf(file: string): string {
  return basename(file)
    .replace(/\.nii\.gz$/i, '')
    .replace(/\.[^.]+$/, '');
}

/**
 * The ground-truth mask of a scan by convention, if any: `<name>_mask.png` beside it, `masks/<name>.png`
 * or `ground_truth/<name>.png` below its folder, MVTec AD's `../../ground_truth/<defect>/<name>_mask.png`,
 * `<name>.png` beside a JPEG (magnetic tile), and for NIfTI a `*mask*` or `*_seg` NIfTI in the same
 * folder (the one sharing the longest name prefix with the scan when there are several).
 */
export function findMask(scan: string): string | undefined {
  const [folder, stem] = [dirname(scan), stemOf(scan)];
  const candidates = [
    join(folder, `${stem}_mask.png`),
    join(folder, 'masks', `${stem}.png`),
    join(folder, 'ground_truth', `${stem}.png`),
    join(folder, '..', '..', 'ground_truth', basename(folder), `${stem}_mask.png`),
  ];
  if (/\.jpe?g$/i.test(scan)) candidates.push(join(folder, `${stem}.png`));
  const found = candidates.find((file) => existsSync(file));
  if (found || !/\.nii(\.gz)?$/i.test(scan)) return found;
  return closestNiftiMask(folder, basename(scan));
}

function closestNiftiMask(folder: string, scanName: string): string | undefined {
  const masks = readdirSync(folder).filter((name) => /\.nii(\.gz)?$/i.test(name) && /mask|_seg\.nii/i.test(name));
  const sharedPrefix = (name: string) => {
    let n = 0;
    while (n < name.length && name[n] === scanName[n]) n++;
    return n;
  };
  masks.sort((a, b) => sharedPrefix(b) - sharedPrefix(a) || a.localeCompare(b));
  return masks.length > 0 ? join(folder, masks[0]) : undefined;
}

/** The mask conventions of findMask, for messages. */
export const MASK_CONVENTIONS =
  '<name>_mask.png beside the scan, masks/<name>.png or ground_truth/<name>.png below its folder, ' +
  '../../ground_truth/<defect>/<name>_mask.png (MVTec AD), <name>.png beside <name>.jpg, a *mask* or *_seg NIfTI beside a NIfTI scan';
