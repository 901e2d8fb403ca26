// The hover read-out: which voxel is under the pointer in a view, and the line that describes it
// (voxel coordinates, the scan's intensity and the shown map's value there).

import { screenToPixel, type Placement } from './geometry';
import { sliceShape, voxelAt, voxelOffset, type ViewAxis } from './orthoSlice';
import { isFlippedY } from './render';
import { valueAt, type ViewerGrid } from './viewerGrid';
import type { Voxel } from './viewerState';

/** The voxel of `grid` under the pane position (x, y) in slice `slice` of a view placed at `placement`; undefined off the image. */
export function voxelUnderPointer(grid: ViewerGrid, view: ViewAxis, slice: number, placement: Placement, x: number, y: number): Voxel | undefined {
  const pixel = screenToPixel(placement, sliceShape(grid.dims, view), isFlippedY(grid), x, y);
  return pixel && voxelAt(view, slice, pixel.col, pixel.row);
}

/** A value for the read-out: integers as they are, others with 4 significant digits. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/**
 * "x 3 y 1 z 0 (12.0, -4.5, 30.0 mm) · intensity 7 · residual 0.1250": the voxel, its world position
 * when `mm` is given, and each named grid's value at it (a quantized map's within half its quantization
 * step, quantizedGrid.ts).
 */
export function readoutText(voxel: Voxel, grids: { label: string; grid: ViewerGrid }[], mm?: readonly [number, number, number]): string {
  const values = grids.map(({ label, grid }) => `${label} ${formatValue(valueAt(grid, voxelOffset(grid.dims, voxel)))}`);
  const world = mm ? ` (${mm.map((v) => v.toFixed(1)).join(', ')} mm)` : '';
  return [`x ${voxel[0]} y ${voxel[1]} z ${voxel[2]}${world}`, ...values].join(' · ');
}
