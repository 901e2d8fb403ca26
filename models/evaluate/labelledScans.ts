// The labelled test set of an evaluation: each scan with its ground-truth mask, from either
//  (a) a folder, where each scan's mask is found by the naming conventions of methods.md §9
//      (io/maskConventions.ts findMask), or
//  (b) a CSV with the columns image, mask, label, defect_type (paths relative to the CSV), like
//      shared/data/magnetic-tile/test.csv.
// A scan without a mask is taken as normal: all its pixels are negatives (a folder needs at least one mask).

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { listScanFiles } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { findMask, MASK_CONVENTIONS } from '../io/maskConventions';
import { parseCsvRecords } from './csvTable';

export interface LabelledScan {
  scan: string;
  /** Ground-truth mask file; absent for a scan taken as normal. */
  mask?: string;
  /** Image-level label from a CSV (1 = defective; sampleLabel), which overrides "the mask is not empty". */
  label?: 0 | 1;
  /** A group to report apart, e.g. the CSV's defect_type. */
  group?: string;
}

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

/** A label from at or above it is defective: 0/1, 0.0/1.0, or a probability. */
export const LABEL_THRESHOLD = 0.5;

/** A CSV cell's label: 1 (defective) for a number >= LABEL_THRESHOLD, 0 below it; undefined for an empty cell. */
export function sampleLabel(cell: string | undefined, where: string): 0 | 1 | undefined {
  const text = cell?.trim() ?? '';
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new BadInputError(`${where}: label "${cell}" is not a number (1 or 0, or a probability: defective from ${LABEL_THRESHOLD})`);
  return value >= LABEL_THRESHOLD ? 1 : 0;
}

/** The rows of a CSV with columns image (required), mask, label (a number, defective from LABEL_THRESHOLD) and defect_type (optional). */
export function labelledScansFromCsv(csvFile: string): LabelledScan[] {
  const records = parseCsvRecords(readFileSync(csvFile, 'utf8'));
  if (records.length === 0) throw new BadInputError(`${csvFile}: no rows`);
  if (!('image' in records[0])) {
    const semicolons = Object.keys(records[0]).some((column) => column.includes(';'));
    throw new BadInputError(`${csvFile}: no "image" column in the header${semicolons ? ' (its columns are separated by ";": separate them by commas)' : ''}`);
  }
  const root = dirname(resolve(csvFile));
  return records.map((record, row) => {
    const where = `${csvFile}, row ${row + 1}`;
    if (record.image === '') throw new BadInputError(`${where}: the image is empty`);
    const label = sampleLabel(record.label, where);
    // Relative paths are relative to the CSV; absolute ones stay as they are.
    const labelled: LabelledScan = { scan: resolve(root, record.image) };
    if (record.mask) labelled.mask = resolve(root, record.mask);
    if (label !== undefined) labelled.label = label;
    if (record.defect_type) labelled.group = record.defect_type;
    return labelled;
  });
}
