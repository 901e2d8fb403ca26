// Which files are masks (ground truth), not scans, by the naming conventions of methods.md §9:
// `<name>_mask.png`, anything with "mask" in a NIfTI name, `*_seg.nii(.gz)`, files inside a
// `masks/` or `ground_truth/` folder, and a PNG beside a JPEG of the same name (magnetic-tile style).
// Masks are never trained on or scored as scans. Further mask patterns can be given to a folder scan
// (dataset.ts, `maskPatterns`).

import { basename, dirname } from 'node:path';

const MASK_FOLDERS = new Set(['masks', 'ground_truth']);

/** `siblingNames` are the file names in the same folder, to recognise `x.png` beside `x.jpg`. */
export function isMaskFile(path: string, siblingNames: ReadonlySet<string>): boolean {
  const name = basename(path).toLowerCase();
  if (MASK_FOLDERS.has(basename(dirname(path)).toLowerCase())) return true;
  if (/mask/.test(name) || /_seg\.nii(\.gz)?$/.test(name)) return true;
  const png = /^(.*)\.png$/.exec(name);
  return png !== null && (siblingNames.has(`${png[1]}.jpg`) || siblingNames.has(`${png[1]}.jpeg`));
}
