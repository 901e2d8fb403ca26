// The grids the scan viewer draws: the scan in float32 (its intensities read out exactly as stored), the
// anomaly maps and restorations as 16-bit codes (quantizedGrid.ts). The viewer reads values only through
// these functions, one voxel or one gathered slice at a time, so a quantized grid is never expanded whole.

import type { Grid } from '../models/worker/protocol';
import { decodeInPlace, decodeValue, type QuantizedGrid } from './quantizedGrid';

export type ViewerGrid = Grid | QuantizedGrid;

export function isQuantized(grid: ViewerGrid): grid is QuantizedGrid {
  return 'codes' in grid;
}

/** What the grid stores per voxel: float32 values, or codes. */
export function storedValues(grid: ViewerGrid): Float32Array | Uint16Array {
  return isQuantized(grid) ? grid.codes : grid.data;
}

/** The value of the voxel at `offset` (orthoSlice.ts: voxelOffset). */
export function valueAt(grid: ViewerGrid, offset: number): number {
  return isQuantized(grid) ? decodeValue(grid, grid.codes[offset]) : grid.data[offset];
}

/** Stored values gathered from `grid` (e.g. one slice) turned into the values they stand for, in place; returns `gathered`. */
export function storedToValues(grid: ViewerGrid, gathered: Float32Array): Float32Array {
  return isQuantized(grid) ? decodeInPlace(grid, gathered) : gathered;
}

/** Why a grid from a message cannot be drawn (storage of the wrong type or size, a quantized range that is not one), or undefined. */
export function gridProblem(grid: ViewerGrid): string | undefined {
  const [w, h, d] = grid.dims;
  const stored = storedValues(grid);
  const storage = isQuantized(grid) ? Uint16Array : Float32Array;
  if (!(stored instanceof storage)) return `the data is not a ${storage.name}`;
  if (stored.length !== w * h * d || w < 1 || h < 1 || d < 1) return `dims ${w}x${h}x${d} do not match its ${stored.length} values`;
  if (isQuantized(grid) && !(Number.isFinite(grid.min) && Number.isFinite(grid.max) && grid.min <= grid.max)) {
    return `its value range ${grid.min}..${grid.max} is not a finite range`;
  }
  return undefined;
}
