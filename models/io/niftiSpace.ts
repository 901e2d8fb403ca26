// Where a NIfTI file's voxels lie in world (scanner or template) space, as its header says: the qform
// (a rotation quaternion, offsets, voxel sizes and qfac) and the sform (a general 3x4 matrix), each with
// its code. Kept whole so that a map can be written back with exactly the input's header fields.

export interface NiftiSpace {
  /** Voxel sizes pixdim[1..3] as stored (may be negative or 0 in odd files). */
  pixdim: [number, number, number];
  /** pixdim[0]: -1 flips the k axis of the qform; anything else counts as 1. */
  qfac: number;
  qformCode: number;
  /** quatern_b, quatern_c, quatern_d (quatern_a is implied). */
  quaternion: [number, number, number];
  qoffset: [number, number, number];
  sformCode: number;
  /** srow_x, srow_y, srow_z. */
  srow: [number[], number[], number[]];
  /** xyzt_units byte (2 = mm). */
  xyztUnits: number;
}

/** A space with no qform and no sform: voxel sizes only (what a file without a transform says). */
export function spaceFromVoxelSizes(pixdim: [number, number, number]): NiftiSpace {
  return {
    pixdim,
    qfac: 1,
    qformCode: 0,
    quaternion: [0, 0, 0],
    qoffset: [0, 0, 0],
    sformCode: 0,
    srow: [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ],
    xyztUnits: 2,
  };
}

/**
 * The 4x4 voxel-to-world matrix: the sform when sform_code > 0, else the qform when qform_code > 0,
 * else the voxel sizes on the diagonal (nifti1.h methods 3, 2, 1; nibabel's order of preference).
 */
export function voxelToWorld(space: NiftiSpace): number[][] {
  if (space.sformCode > 0) return [...space.srow.map((row) => [...row]), [0, 0, 0, 1]];
  if (space.qformCode > 0) return qformMatrix(space);
  const [dx, dy, dz] = space.pixdim.map(voxelSize);
  return [
    [dx, 0, 0, 0],
    [0, dy, 0, 0],
    [0, 0, dz, 0],
    [0, 0, 0, 1],
  ];
}

/**
 * qform (nifti1.h method 2): world = R [dx i, dy j, qfac dz k] + qoffset, with R the rotation of the
 * unit quaternion (a, b, c, d), a = sqrt(1 - b² - c² - d²) (0 when rounding makes that negative).
 * Voxel sizes are taken as voxelSize() gives them.
 */
export function qformMatrix(space: NiftiSpace): number[][] {
  const [b, c, d] = space.quaternion;
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const rotation = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const [dx, dy, dz] = space.pixdim.map(voxelSize);
  const scale = [dx, dy, (space.qfac === -1 ? -1 : 1) * dz];
  return [...rotation.map((row, i) => [...row.map((r, j) => r * scale[j]), space.qoffset[i]]), [0, 0, 0, 1]];
}

/** pixdim as a voxel size: its magnitude, or 1 when the header leaves it 0 or invalid. */
export function voxelSize(pixdim: number): number {
  return Number.isFinite(pixdim) && pixdim !== 0 ? Math.abs(pixdim) : 1;
}
