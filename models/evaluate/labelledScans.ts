// The labelled test set of an evaluation: each scan with its ground-truth mask, from either
//  (a) a folder, where each scan's mask is found by the naming conventions of methods.md §9
//      (io/maskConventions.ts), or
//  (b) a CSV with the columns image, mask, label, defect_type (paths relative to the CSV), like
//      shared/data/magnetic-tile/test.csv.
// A scan without a mask is taken as normal: all its pixels are negatives (a folder needs at least one mask).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { listScanFiles } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { parseCsvRecords } from './csvTable';

export interface LabelledScan {
  scan: string;
  /** Ground-truth mask file; absent for a scan taken as normal. */
  mask?: string;
  /** Image-level label from a CSV (1 = defective), which overrides "the mask is not empty". */
  label?: 0 | 1;
  /** A group to report apart, e.g. the CSV's defect_type. */
  group?: string;
}

/** The scan's name without its extension (.nii.gz counts as one extension). */
function stemOf(file: string): string {
  return basename(file).replace(/\.nii\.gz$/i, '').replace(/\.[^.]+$/, '');
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

/** The test set of `target`: a CSV file (labelledScansFromCsv) or a folder (labelledScansFromFolder). */
export function labelledTestSet(target: string): LabelledScan[] {
  let isFile: boolean;
  try {
    isFile = statSync(target).isFile();
  } catch {
    throw new BadInputError(`${target}: no such file or folder`);
  }
  if (!isFile) return labelledScansFromFolder(target);
  if (!/\.csv$/i.test(target)) throw new BadInputError(`${target}: a test set is a folder or a CSV file (image,mask,label,defect_type)`);
  return labelledScansFromCsv(target);
}

/** Every scan under the folder (io/dataset listScanFiles) with its mask by convention; at least one must have a mask. */
export function labelledScansFromFolder(folder: string): LabelledScan[] {
  const { files } = listScanFiles(folder);
  if (files.length === 0) throw new BadInputError(`${folder}: no scans (PNG, JPEG or NIfTI) to evaluate`);
  const scans = files.map((scan) => ({ scan, mask: findMask(scan) }));
  if (scans.every((labelled) => labelled.mask === undefined)) {
    throw new BadInputError(`${folder}: none of its ${files.length} scans has a ground-truth mask. Looked for ${MASK_CONVENTIONS}.`);
  }
  return scans;
}

/** The rows of a CSV with columns image (required), mask, label (0/1) and defect_type (optional). */
export function labelledScansFromCsv(csvFile: string): LabelledScan[] {
  const records = parseCsvRecords(readFileSync(csvFile, 'utf8'));
  if (records.length === 0) throw new BadInputError(`${csvFile}: no rows`);
  if (!('image' in records[0])) throw new BadInputError(`${csvFile}: no "image" column in the header`);
  const root = dirname(resolve(csvFile));
  return records.map((record, row) => {
    const where = `${csvFile}, row ${row + 1}`;
    if (record.image === '') throw new BadInputError(`${where}: the image is empty`);
    const label = record.label?.trim();
    if (label !== undefined && label !== '' && label !== '0' && label !== '1') {
      throw new BadInputError(`${where}: label "${record.label}" is not 0 or 1`);
    }
    // Relative paths are relative to the CSV; absolute ones stay as they are.
    const labelled: LabelledScan = { scan: resolve(root, record.image) };
    if (record.mask) labelled.mask = resolve(root, record.mask);
    if (label) labelled.label = label === '1' ? 1 : 0;
    if (record.defect_type) labelled.group = record.defect_type;
    return labelled;
  });
}
