// A scan as the models see it: a 3D grid of Float32 intensities, whatever the file format. NIfTI
// volumes (reoriented to canonical RAS) and 2D images (a volume of depth 1) are read by `readScan`,
// which picks the reader from the file's extension.

import { BadInputError } from './errors';
import { readImage2d } from './image2d';
import { readNifti } from './nifti';
import type { NiftiSpace } from './niftiSpace';
import type { AxisOrientation } from './orientation';

export interface Volume {
  /** Voxels along x, y, z; a 2D image is [width, height, 1]. */
  dims: [number, number, number];
  /** Voxel size along x, y, z (mm for NIfTI; [1, 1, 1] for 2D images). */
  spacing: [number, number, number];
  /** Intensities, x fastest, then y, then z. RGB images are converted to gray. */
  data: Float32Array;
  /**
   * How rows are stored. 'top-down' (2D images, and the default when absent): y = 0 is the top row as
   * displayed. 'bottom-up' (NIfTI, read in canonical RAS): y = 0 is posterior, so a displayed axial
   * slice shows the last row at the top (anterior up), as the webview does for every volume.
   * `axialSlice` in slice.ts applies this.
   */
  rowOrder?: 'top-down' | 'bottom-up';
  /** NIfTI only: the 4x4 voxel-to-world matrix of this (canonical) grid. */
  affine?: number[][];
  /** NIfTI only: the file's own grid, to write maps back in it (writeMapLikeInput). */
  source?: NiftiSource;
}

/** The grid of the NIfTI file a canonical Volume was read from. */
export interface NiftiSource {
  /** The file's dims (of one volume), voxel datatype and header transform, as stored. */
  dims: [number, number, number];
  datatype: string;
  space: NiftiSpace;
  /** How the canonical grid was taken from the file's grid. */
  orientation: AxisOrientation;
  /** Which volume of a 4D file this is, and how many the file holds (1 for 3D). */
  volumeIndex: number;
  volumeCount: number;
}

export interface ReadScanOptions {
  /** 4D NIfTI: the volume to read (default 0). */
  volumeIndex?: number;
}

/** Called with one line of information about a file (e.g. values that had to be repaired). */
export type ScanLog = (line: string) => void;

const READERS: { suffix: string; read: (file: string, log?: ScanLog, options?: ReadScanOptions) => Promise<Volume> }[] = [
  { suffix: '.nii', read: readNifti },
  { suffix: '.nii.gz', read: readNifti },
  { suffix: '.png', read: readImage2d },
  { suffix: '.jpg', read: readImage2d },
  { suffix: '.jpeg', read: readImage2d },
];

function readerFor(name: string) {
  const lower = name.toLowerCase();
  return READERS.find((r) => lower.endsWith(r.suffix));
}

/** True for the file names readScan can read: .nii, .nii.gz, .png, .jpg, .jpeg (any case). */
export function isScanFile(name: string): boolean {
  return readerFor(name) !== undefined;
}

export const SCAN_EXTENSIONS = READERS.map((r) => r.suffix);

/** Reads a NIfTI volume or a PNG/JPEG image; throws BadInputError (naming the file) on bad input. */
export async function readScan(file: string, log?: ScanLog, options: ReadScanOptions = {}): Promise<Volume> {
  const reader = readerFor(file);
  if (!reader) {
    throw new BadInputError(`${file}: not a supported scan file (supported: ${SCAN_EXTENSIONS.join(', ')})`);
  }
  try {
    return await reader.read(file, log, options);
  } catch (e) {
    // A missing or unreadable file (ENOENT, EACCES, EISDIR...) is the user's to fix, like a corrupt one.
    const systemError = (e as NodeJS.ErrnoException).syscall !== undefined;
    throw systemError ? new BadInputError(`${file}: cannot be read (${(e as Error).message})`) : e;
  }
}
