// The training set of a folder (methods.md §9): every 2D image, and every axial slice with foreground
// of every volume, found anywhere under the folder (include/exclude glob patterns, glob.ts), normalized
// to [0, 1] (normalize.ts) and fitted to the model's square input the way the model says (padded to a
// square, or stretched; modelGrid.ts), as scoring does.
// Files are split into training and validation sets by file, never by slice (slices of one volume are
// alike, so splitting them would leak), with a seeded shuffle. Prepared slices are cached (sliceCache.ts).
// A file that cannot be read is skipped with its reason; only a folder with nothing usable is an error.

import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SeededRandom } from '../vqvae/seededRandom';
import { BadInputError } from './errors';
import { globToRegExp, matchesAny } from './glob';
import { isMaskFile } from './maskConventions';
import { type Normalization, normalizeVolume } from './normalize';
import { type AspectPolicy, toModelInput } from './modelGrid';
import { SliceCache } from './sliceCache';
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

/** Which files of a folder are scans. */
export interface ScanSelection {
  /** Glob patterns (glob.ts) of the files to use, relative to the folder; default: every scan file. */
  include?: string[];
  /** Glob patterns of files to leave out, even when included. */
  exclude?: string[];
  /** Glob patterns of further mask files (ground truth, never scans), besides the naming conventions. */
  maskPatterns?: string[];
}

export interface DatasetOptions extends ScanSelection {
  /** Intensity normalization (normalize.ts); default 'percentile'. */
  normalization?: Normalization;
  /** How slices meet the square input (the model's config.aspect); default 'stretch'. */
  aspect?: AspectPolicy;
  /** Fraction of the files (0 to < 1) set aside for validation; default 0. */
  validationFraction?: number;
  /** Seed of the file shuffle of the split; default 0. */
  seed?: number;
  /** Which volume of 4D NIfTI files; default 0. */
  volumeIndex?: number;
  /** Where prepared slices are kept between calls; default: one cache shared by the whole process. */
  cache?: SliceCache;
}

/** Slices and the files they came from. */
export interface SliceSet {
  /** inputSize x inputSize images, row-major, values in [0, 1]; shared with the cache: read only. */
  slices: Float32Array[];
  /** Per slice: its relative position z / (depth - 1) in [0, 1] in its volume; undefined for a 2D image (or a one-slice volume). */
  positions: (number | undefined)[];
  /** The files that gave at least one slice. */
  files: string[];
}

export interface TrainingSlices extends SliceSet {
  /** The files (and their slices) set aside by `validationFraction`; empty by default. */
  validation: SliceSet;
  skipped: SkippedFile[];
}

const SHARED_CACHE = new SliceCache();

/** The slice positions of each slice list trainingSlicesOf made, by that list: a cache hit hands back the same list. */
const POSITIONS = new WeakMap<Float32Array[], (number | undefined)[]>();

/** Scan files under the folder (recursive, sorted); masks, excluded and other files are listed in `skipped` with the reason. */
export function listScanFiles(folder: string, selection: ScanSelection = {}): { files: string[]; skipped: SkippedFile[] } {
  if (!isFolder(folder)) throw new BadInputError(`${folder}: not a folder`);
  const include = (selection.include ?? []).map(globToRegExp);
  const exclude = (selection.exclude ?? []).map(globToRegExp);
  const masks = (selection.maskPatterns ?? []).map(globToRegExp);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const siblingNames = new Set(entries.map((e) => e.name.toLowerCase()));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relativePath = relative(folder, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name !== MODELS_FOLDER_NAME) visit(path);
      } else if (isMaskFile(path, siblingNames) || matchesAny(relativePath, masks)) {
        skipped.push({ file: path, reason: 'a mask (ground truth), not a scan' });
      } else if (!isScanFile(entry.name)) {
        skipped.push({ file: path, reason: `not a scan file (supported: ${SCAN_EXTENSIONS.join(', ')})` });
      } else if (include.length > 0 && !matchesAny(relativePath, include)) {
        skipped.push({ file: path, reason: `not matched by the include patterns (${selection.include!.join(', ')})` });
      } else if (matchesAny(relativePath, exclude)) {
        skipped.push({ file: path, reason: `matched by an exclude pattern (${selection.exclude!.join(', ')})` });
      } else {
        files.push(path);
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

export async function loadTrainingSlices(folder: string, inputSize: number, log?: ScanLog, options: DatasetOptions = {}): Promise<TrainingSlices> {
  const listing = listScanFiles(folder, options);
  const prepared: { file: string; slices: Float32Array[]; positions: (number | undefined)[] }[] = [];
  const failed: SkippedFile[] = [];
  for (const file of listing.files) {
    try {
      const slices = await cachedSlicesOf(file, inputSize, log, options);
      if (slices.length === 0) throw new BadInputError(`${file}: no axial slice with foreground`);
      prepared.push({ file, slices, positions: POSITIONS.get(slices)! });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      failed.push({ file, reason });
      log?.(`skipped ${reason}`);
    }
  }
  if (prepared.length === 0) {
    throw new BadInputError(
      listing.files.length === 0
        ? `${folder}: no scan files found (supported: ${SCAN_EXTENSIONS.join(', ')})`
        : `${folder}: none of the ${listing.files.length} scan files could be used (first problem: ${failed[0].reason})`,
    );
  }
  const validationFiles = new Set(
    validationSplit(
      prepared.map((p) => p.file),
      options.validationFraction ?? 0,
      options.seed ?? 0,
    ),
  );
  const setOf = (inValidation: boolean): SliceSet => {
    const chosen = prepared.filter((p) => validationFiles.has(p.file) === inValidation);
    return { slices: chosen.flatMap((p) => p.slices), positions: chosen.flatMap((p) => p.positions), files: chosen.map((p) => p.file) };
  };
  const [training, validation] = [setOf(false), setOf(true)];
  const skipped = [...listing.skipped, ...failed];
  const validationNote = validation.files.length > 0 ? ` and ${validation.slices.length} validation slices from ${validation.files.length} files` : '';
  log?.(`${training.slices.length} training slices from ${training.files.length} files${validationNote} (${skipped.length} skipped)`);
  return { ...training, validation, skipped };
}

/**
 * The files set aside for validation: round(fraction * n) of them, at least 1 when the fraction is
 * above 0, always leaving one for training; which ones is a shuffle seeded by `seed`.
 */
export function validationSplit(files: string[], fraction: number, seed: number): string[] {
  if (!(fraction >= 0 && fraction < 1)) throw new BadInputError(`validation fraction ${fraction} is not in [0, 1)`);
  if (fraction === 0) return [];
  const count = Math.min(files.length - 1, Math.max(1, Math.round(fraction * files.length)));
  return new SeededRandom(seed, 'validation split').shuffled(files).slice(0, count);
}

function cachedSlicesOf(file: string, inputSize: number, log: ScanLog | undefined, options: DatasetOptions): Promise<Float32Array[]> {
  const normalization = options.normalization ?? 'percentile';
  const volumeIndex = options.volumeIndex ?? 0;
  const aspect = options.aspect ?? 'stretch';
  const key = SliceCache.keyOf(file, { inputSize, normalization, volumeIndex, aspect });
  return (options.cache ?? SHARED_CACHE).getOrMake(key, () => trainingSlicesOf(file, { inputSize, aspect }, log, normalization, volumeIndex));
}

/** A 2D image gives one slice; a volume gives its axial slices with foreground, their positions recorded in POSITIONS. */
async function trainingSlicesOf(
  file: string,
  { inputSize, aspect }: { inputSize: number; aspect: AspectPolicy },
  log: ScanLog | undefined,
  normalization: Normalization,
  volumeIndex: number,
): Promise<Float32Array[]> {
  const scan = await readScan(file, log, { volumeIndex });
  const normalized = { ...scan, data: normalizeVolume(scan, normalization) };
  const [nx, ny, nz] = scan.dims;
  const slices: Float32Array[] = [];
  const positions: (number | undefined)[] = [];
  for (let z = 0; z < nz; z++) {
    const image = axialSlice(normalized, z);
    if (nz === 1 || hasForeground(image)) {
      slices.push(toModelInput(image, nx, ny, inputSize, aspect));
      positions.push(nz > 1 ? z / (nz - 1) : undefined);
    }
  }
  POSITIONS.set(slices, positions);
  return slices;
}

/** The number of pixels of a normalized image above FOREGROUND_THRESHOLD. */
export function foregroundCount(image: Float32Array): number {
  let foreground = 0;
  for (let i = 0; i < image.length; i++) if (image[i] > FOREGROUND_THRESHOLD) foreground++;
  return foreground;
}

/** True when more than MIN_FOREGROUND_FRACTION of a normalized image is above FOREGROUND_THRESHOLD. */
export function hasForeground(image: Float32Array): boolean {
  return foregroundCount(image) > MIN_FOREGROUND_FRACTION * image.length;
}
