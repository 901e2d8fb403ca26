// The ruler: a line measured between two points of one slice, its length in mm from the scan's header
// (the affine's 3x3 part, so anisotropic and oblique voxels are measured as they are; without an affine,
// the voxel sizes), in pixels for a 2D image without a header (PNG, JPEG). Ends are continuous voxel
// coordinates (voxel centres at whole numbers).

import type { ViewAxis } from './orthoSlice';
import type { Affine } from './worldSpace';

export type VoxelPoint = [number, number, number];

export interface Ruler {
  view: ViewAxis;
  slice: number;
  from: VoxelPoint;
  to: VoxelPoint;
}

/** Length in the header's unit (mm): |A (to - from)| with A the affine's 3x3 part, or diag(spacing) without an affine. */
export function rulerLength(from: VoxelPoint, to: VoxelPoint, spacing: readonly [number, number, number], affine?: Affine): number {
  const d = [0, 1, 2].map((a) => to[a] - from[a]);
  const world = affine ? [0, 1, 2].map((r) => affine[r][0] * d[0] + affine[r][1] * d[1] + affine[r][2] * d[2]) : d.map((v, a) => v * spacing[a]);
  return Math.hypot(world[0], world[1], world[2]);
}

export type LengthUnit = 'mm' | 'px';

/** mm where the header gives the voxel size (an affine, or a volume's voxel sizes); px for a 2D image without one (PNG, JPEG). */
export function lengthUnit(depth: number, affine?: Affine): LengthUnit {
  return affine || depth > 1 ? 'mm' : 'px';
}

/** The ruler's label: "12.3 mm" (one decimal). */
export function rulerText(length: number, unit: LengthUnit): string {
  return `${length.toFixed(1)} ${unit}`;
}

/** Whether a ruler lies in the slice a view shows (it is drawn there only). */
export function rulerShownIn(ruler: Ruler, view: ViewAxis, slice: number): boolean {
  return ruler.view === view && ruler.slice === slice;
}
