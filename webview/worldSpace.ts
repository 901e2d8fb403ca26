// World coordinates of the viewer's grid: the NIfTI's voxel-to-world matrix (sform or qform, taken to
// the canonical grid the worker reads, models/io/orientation.ts) gives positions in millimetres, the
// patient direction of each grid axis (R/L, A/P, S/I labels at the pane edges) and the true voxel size.

import { inPlaneAxes, type ViewAxis } from './orthoSlice';

/** A 4x4 (or 3x4) voxel-to-world matrix, rows x, y, z (and 0 0 0 1), world in mm (RAS+: +x right, +y anterior, +z superior). */
export type Affine = number[][];

/** The world position (mm) of a voxel's centre. */
export function worldOf(affine: Affine, [i, j, k]: readonly [number, number, number]): [number, number, number] {
  const row = (r: number) => affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3];
  return [row(0), row(1), row(2)];
}

/**
 * The voxel size along each grid axis: the length of the affine's column. This is the shape the file's
 * transform gives a voxel, also where pixdim says otherwise (a pixdim of 1/3/3 with an sform of 3/3/3).
 */
export function spacingOfAffine(affine: Affine): [number, number, number] {
  const column = (c: number) => Math.hypot(affine[0][c], affine[1][c], affine[2][c]);
  return [column(0), column(1), column(2)];
}

/** The patient directions at the positive and negative ends of each world axis (RAS+). */
const DIRECTIONS: readonly [string, string][] = [
  ['R', 'L'],
  ['A', 'P'],
  ['S', 'I'],
];

/** The patient direction a grid axis points to: the letter of the world axis it runs along most, at its increasing end and at its other end. */
export function axisDirection(affine: Affine, axis: 0 | 1 | 2): { increasing: string; decreasing: string } {
  const components = [0, 1, 2].map((r) => affine[r][axis]);
  const dominant = components.reduce((best, v, r) => (Math.abs(v) > Math.abs(components[best]) ? r : best), 0);
  const [positive, negative] = DIRECTIONS[dominant];
  return components[dominant] >= 0 ? { increasing: positive, decreasing: negative } : { increasing: negative, decreasing: positive };
}

/** The labels at a view's pane edges: columns increase to the right, rows upward (volumes are drawn with rows flipped, render.ts). */
export interface ViewOrientation {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

export function viewOrientation(affine: Affine, view: ViewAxis): ViewOrientation {
  const [across, up] = inPlaneAxes(view);
  const horizontal = axisDirection(affine, across);
  const vertical = axisDirection(affine, up);
  return { left: horizontal.decreasing, right: horizontal.increasing, top: vertical.increasing, bottom: vertical.decreasing };
}

/** The volume of one voxel in mm³: |det| of the affine's 3x3 part (the voxel's true volume, sheared or oblique). */
export function voxelVolumeOfAffine(affine: Affine): number {
  const [a, b, c] = affine;
  return Math.abs(a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]));
}
