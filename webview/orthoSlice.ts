// Orthogonal slices of an x-fastest grid (value of voxel (x, y, z) at x + y * nx + z * nx * ny), the
// three views niivue shows: axial (z fixed: x across, y up), coronal (y fixed: x across, z up) and
// sagittal (x fixed: y across, z up). Slice rows are grid order; drawing flips them for volumes.

import { isQuantized, storedToValues, storedValues, valueAt, type ViewerGrid } from './viewerGrid';

export type ViewAxis = 'axial' | 'coronal' | 'sagittal';
export const VIEW_AXES: readonly ViewAxis[] = ['axial', 'coronal', 'sagittal'];

type GridAxis = 0 | 1 | 2;

/** The grid axis a view's slice index runs along, and the grid axes its columns and rows follow. */
const VIEW_GRID_AXES: Record<ViewAxis, { normal: GridAxis; across: GridAxis; up: GridAxis }> = {
  axial: { normal: 2, across: 0, up: 1 },
  coronal: { normal: 1, across: 0, up: 2 },
  sagittal: { normal: 0, across: 1, up: 2 },
};

/** A view's slice size (columns, rows) and its number of slices. */
export interface SliceShape {
  width: number;
  height: number;
  depth: number;
}

export function sliceShape(dims: readonly [number, number, number], view: ViewAxis): SliceShape {
  const { normal, across, up } = VIEW_GRID_AXES[view];
  return { width: dims[across], height: dims[up], depth: dims[normal] };
}

/** The grid axis (0 = x, 1 = y, 2 = z) that a view's slice index selects. */
export function normalAxis(view: ViewAxis): GridAxis {
  return VIEW_GRID_AXES[view].normal;
}

/** The grid axes a view's columns and rows follow. */
export function inPlaneAxes(view: ViewAxis): [GridAxis, GridAxis] {
  const { across, up } = VIEW_GRID_AXES[view];
  return [across, up];
}

/** The voxel size (mm) along a view's columns and rows. */
export function pixelSpacing(spacing: readonly [number, number, number], view: ViewAxis): [number, number] {
  const { across, up } = VIEW_GRID_AXES[view];
  return [spacing[across], spacing[up]];
}

/** The grid voxel (x, y, z) at column `col`, row `row` of slice `index` of a view. */
export function voxelAt(view: ViewAxis, index: number, col: number, row: number): [number, number, number] {
  const { normal, across, up } = VIEW_GRID_AXES[view];
  const voxel: [number, number, number] = [0, 0, 0];
  voxel[normal] = index;
  voxel[across] = col;
  voxel[up] = row;
  return voxel;
}

/** The column and row of a voxel in a view's slices (the inverse of voxelAt, dropping the slice index). */
export function pixelOfVoxel(view: ViewAxis, voxel: readonly [number, number, number]): { col: number; row: number } {
  const { across, up } = VIEW_GRID_AXES[view];
  return { col: voxel[across], row: voxel[up] };
}

/** Where voxel (x, y, z) lies in `data`. */
export function voxelOffset(dims: readonly [number, number, number], [x, y, z]: readonly [number, number, number]): number {
  return x + dims[0] * (y + dims[1] * z);
}

/**
 * Slice `index` of a view, width * height values, row-major (row = the grid axis shown up). An axial
 * slice of a float32 grid is a view into the grid (no copy); other slices are gathered with the grid's
 * strides, and a quantized grid's codes decoded, into a new array.
 */
export function extractSlice(grid: ViewerGrid, view: ViewAxis, index: number): Float32Array {
  const { dims } = grid;
  const { width, height } = sliceShape(dims, view);
  if (view === 'axial' && !isQuantized(grid)) return grid.data.subarray(index * width * height, (index + 1) * width * height);
  const stored = storedValues(grid);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const { normal, across, up } = VIEW_GRID_AXES[view];
  const out = new Float32Array(width * height);
  const start = index * strides[normal];
  for (let row = 0; row < height; row++) {
    const rowStart = start + row * strides[up];
    for (let col = 0; col < width; col++) out[row * width + col] = stored[rowStart + col * strides[across]];
  }
  return storedToValues(grid, out);
}

/** The mean of each slice of a view (NaN values skipped), in one pass over the grid: a per-slice score along any axis. */
export function meanPerSlice(grid: ViewerGrid, view: ViewAxis): number[] {
  const [nx, ny, nz] = grid.dims;
  const normal = normalAxis(view);
  const sums = new Float64Array(grid.dims[normal]);
  const counts = new Float64Array(grid.dims[normal]);
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = valueAt(grid, i);
        if (Number.isNaN(v)) continue;
        const slice = normal === 0 ? x : normal === 1 ? y : z;
        sums[slice] += v;
        counts[slice]++;
      }
    }
  }
  return Array.from(sums, (sum, slice) => (counts[slice] > 0 ? sum / counts[slice] : 0));
}
