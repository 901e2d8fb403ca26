// A scan as the models see it: a 3D grid of Float32 intensities, whatever the file format. NIfTI
// volumes and 2D images (a volume of depth 1) are read by `readScan`, which picks the reader from the
// file's extension.

import { BadInputError } from './errors';
import { readImage2d } from './image2d';
import { readNifti } from './nifti';

export interface Volume {
  /** Voxels along x, y, z; a 2D image is [width, height, 1]. */
  dims: [number, number, number];
  /** Voxel size along x, y, z (mm for NIfTI; [1, 1, 1] for 2D images). */
  spacing: [number, number, number];
  /** Intensities, x fastest, then y, then z. RGB images are converted to gray. */
  data: Float32Array;
  /**
   * How rows are stored. 'top-down' (2D images, and the default when absent): y = 0 is the top row as
   * displayed. 'bottom-up' (NIfTI): y = 0 is the first voxel row of the file, which in RAS-like
   * volumes is posterior, so a displayed axial slice shows the last row at the top (anterior up).
   * `axialSlice` in slice.ts applies this.
   */
  rowOrder?: 'top-down' | 'bottom-up';
  /** NIfTI only: the 4x4 voxel-to-world matrix (from the sform or qform, as the header says). */
  affine?: number[][];
}

/** Called with one line of information about a file (e.g. values that had to be repaired). */
export type ScanLog = (line: string) => void;

const READERS: { suffix: string; read: (file: string, log?: ScanLog) => Promise<Volume> }[] = [
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
export async function readScan(file: string, log?: ScanLog): Promise<Volume> {
  const reader = readerFor(file);
  if (!reader) {
    throw new BadInputError(`${file}: not a supported scan file (supported: ${SCAN_EXTENSIONS.join(', ')})`);
  }
  try {
    return await reader.read(file, log);
  } catch (e) {
    // A missing or unreadable file (ENOENT, EACCES, EISDIR...) is the user's to fix, like a corrupt one.
    const systemError = (e as NodeJS.ErrnoException).syscall !== undefined;
    throw systemError ? new BadInputError(`${file}: cannot be read (${(e as Error).message})`) : e;
  }
}
