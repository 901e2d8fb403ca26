// The training set of a folder (methods.md §9): every 2D image, and every axial slice with foreground
// of every volume, found anywhere under the folder, normalized to [0, 1] and resized to the model's
// square input. Aspect policy: images are stretched to the square, not padded (a later change may pad).
// A file that cannot be read is skipped with its reason; only a folder with nothing usable is an error.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from './errors';
import { isMaskFile } from './maskConventions';
import { normalizeVolume } from './normalize';
import { resizeBilinear } from './resize';
import { axialSlice } from './slice';
import { SCAN_EXTENSIONS, isScanFile, readScan, type ScanLog } from './volume';

/** The folder where models are saved inside a workspace; never searched for scans. */
export const MODELS_FOLDER_NAME = '.anomaly-models';

/** A normalized intensity above this counts as foreground. */
export const FOREGROUND_THRESHOLD = 0.05;

/** Volumes: an axial slice is kept when more than this fraction of its pixels is foreground. */
export const MIN_FOREGROUND_FRACTION = 0.01;

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface TrainingSlices {
  /** inputSize x inputSize images, row-major, values in [0, 1]. */
  slices: Float32Array[];
  /** The files that gave at least one slice. */
  files: string[];
  skipped: SkippedFile[];
}

/** Scan files under the folder (recursive, sorted); masks and other files are listed in `skipped` with the reason. */
export function listScanFiles(folder: string): { files: string[]; skipped: SkippedFile[] } {
  if (!isFolder(folder)) throw new BadInputError(`${folder}: not a folder`);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const siblingNames = new Set(entries.map((e) => e.name.toLowerCase()));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== MODELS_FOLDER_NAME) visit(path);
      } else if (isMaskFile(path, siblingNames)) {
        skipped.push({ file: path, reason: 'a mask (ground truth), not a scan' });
      } else if (isScanFile(entry.name)) {
        files.push(path);
      } else {
        skipped.push({ file: path, reason: `not a scan file (supported: ${SCAN_EXTENSIONS.join(', ')})` });
      }
    }
  };
  visit(folder);
  return { files: files.sort(), skipped };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function loadTrainingSlices(folder: string, inputSize: number, log?: ScanLog): Promise<TrainingSlices> {
  const listing = listScanFiles(folder);
  const slices: Float32Array[] = [];
  const used: string[] = [];
  const failed: SkippedFile[] = [];
  for (const file of listing.files) {
    try {
      const fileSlices = await trainingSlicesOf(file, inputSize, log);
      if (fileSlices.length === 0) throw new BadInputError(`${file}: no axial slice with foreground`);
      slices.push(...fileSlices);
      used.push(file);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      failed.push({ file, reason });
      log?.(`skipped ${reason}`);
    }
  }
  if (slices.length === 0) {
    throw new BadInputError(
      listing.files.length === 0
        ? `${folder}: no scan files found (supported: ${SCAN_EXTENSIONS.join(', ')})`
        : `${folder}: none of the ${listing.files.length} scan files could be used (first problem: ${failed[0].reason})`,
    );
  }
  const skipped = [...listing.skipped, ...failed];
  log?.(`${slices.length} training slices from ${used.length} files (${skipped.length} skipped)`);
  return { slices, files: used, skipped };
}

/** A 2D image gives one slice; a volume gives its axial slices with foreground. */
async function trainingSlicesOf(file: string, inputSize: number, log?: ScanLog): Promise<Float32Array[]> {
  const scan = await readScan(file, log);
  const normalized = { ...scan, data: normalizeVolume(scan) };
  const [nx, ny, nz] = scan.dims;
  const slices: Float32Array[] = [];
  for (let z = 0; z < nz; z++) {
    const image = axialSlice(normalized, z);
    if (nz === 1 || hasForeground(image)) slices.push(resizeBilinear(image, nx, ny, inputSize, inputSize));
  }
  return slices;
}

/** True when more than MIN_FOREGROUND_FRACTION of a normalized image is above FOREGROUND_THRESHOLD. */
export function hasForeground(image: Float32Array): boolean {
  let foreground = 0;
  for (let i = 0; i < image.length; i++) if (image[i] > FOREGROUND_THRESHOLD) foreground++;
  return foreground > MIN_FOREGROUND_FRACTION * image.length;
}
