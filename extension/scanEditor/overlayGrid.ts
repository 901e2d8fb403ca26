// Whether a mask or second volume can be drawn over a scan: its voxels must be the scan's, the same grid
// size and (for NIfTI) the same voxel-to-world matrix, or the overlay would mark the wrong tissue. Plain
// functions (no vscode), unit-tested.

/** A grid as the worker's readScan gives it: its size and, for a NIfTI, its voxel-to-world matrix (mm). */
export interface GridGeometry {
  name: string;
  dims: readonly number[];
  affine?: number[][];
}

/** How far two voxel-to-world matrices may differ, in mm (float32 headers round; a different grid differs by far more). */
export const AFFINE_TOLERANCE_MM = 0.01;

/** Why `overlay` cannot be drawn over `scan` (its grid is another), or undefined when its voxels are the scan's. */
export function overlayGridProblem(scan: GridGeometry, overlay: GridGeometry): string | undefined {
  const size = (g: GridGeometry) => g.dims.join('x');
  const notTheScans = `an overlay must have the scan's voxels (the same grid)`;
  if (size(overlay) !== size(scan)) return `${overlay.name} is ${size(overlay)} voxels but the scan ${scan.name} is ${size(scan)}: ${notTheScans}`;
  if (!scan.affine || !overlay.affine) return undefined;
  const rows = [0, 1, 2];
  const difference = Math.max(...rows.flatMap((r) => overlay.affine![r].slice(0, 4).map((v, c) => Math.abs(v - scan.affine![r][c]))));
  if (!(difference <= AFFINE_TOLERANCE_MM)) {
    return `${overlay.name} has the scan's size but another voxel-to-world matrix than ${scan.name} (it differs by up to ${difference.toPrecision(3)} mm): ${notTheScans}`;
  }
  return undefined;
}
