// Reorientation of a voxel grid to the canonical RAS orientation (x: left→right, y: posterior→anterior,
// z: inferior→superior), as nibabel's io_orientation / as_closest_canonical do: each voxel axis is
// assigned to the world axis it points along most, with a flip when it points backwards. Only axis
// permutations and flips are used (no resampling), so every voxel keeps its value, and the inverse
// (inverseReorient) gives back the file's grid exactly.

/** How the canonical grid is read from the file's grid: canonical axis k is file axis `fileAxis[k]`, reversed when `flip[k]`. */
export interface AxisOrientation {
  fileAxis: [number, number, number];
  flip: [boolean, boolean, boolean];
}

export const IDENTITY_ORIENTATION: AxisOrientation = { fileAxis: [0, 1, 2], flip: [false, false, false] };

/**
 * The axis permutation and flips closest to RAS for a voxel-to-world affine (4x4, RAS world as in
 * NIfTI). Greedy on the direction cosines: the largest |cos| of all (world axis, voxel axis) pairs is
 * assigned first, then the largest among the unassigned, and so on; an oblique grid thus goes to its
 * nearest canonical axes. A degenerate affine (a zero or non-finite column) gives the identity.
 */
export function closestCanonical(affine: number[][]): AxisOrientation {
  const cosines = [0, 1, 2].map((voxel) => {
    const column = [0, 1, 2].map((world) => affine[world][voxel]);
    const norm = Math.hypot(...column);
    return column.map((x) => x / norm);
  });
  if (cosines.flat().some((x) => !Number.isFinite(x))) return IDENTITY_ORIENTATION;
  const pairs = [0, 1, 2].flatMap((voxel) => [0, 1, 2].map((world) => ({ voxel, world, cos: cosines[voxel][world] })));
  pairs.sort((p, q) => Math.abs(q.cos) - Math.abs(p.cos));
  const fileAxis: [number, number, number] = [-1, -1, -1];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  const usedVoxelAxes = new Set<number>();
  for (const { voxel, world, cos } of pairs) {
    if (fileAxis[world] !== -1 || usedVoxelAxes.has(voxel)) continue;
    fileAxis[world] = voxel;
    flip[world] = cos < 0;
    usedVoxelAxes.add(voxel);
  }
  return { fileAxis, flip };
}

function isIdentity(o: AxisOrientation): boolean {
  return o.fileAxis.every((axis, k) => axis === k && !o.flip[k]);
}

/** Canonical dims (or voxel sizes) from the file's: canonical k = file fileAxis[k]. */
export function permuteAxes<T>(fileValues: [T, T, T], o: AxisOrientation): [T, T, T] {
  return [fileValues[o.fileAxis[0]], fileValues[o.fileAxis[1]], fileValues[o.fileAxis[2]]];
}

/** The file grid's voxel data (x fastest) in the canonical grid (the same array when no axis moves). */
export function reorient(fileData: Float32Array, fileDims: [number, number, number], o: AxisOrientation): Float32Array {
  if (isIdentity(o)) return fileData;
  const canonical = new Float32Array(fileData.length);
  forEachRow(fileDims, o, (canonicalStart, fileStart, step, length) => {
    for (let x = 0, f = fileStart; x < length; x++, f += step) canonical[canonicalStart + x] = fileData[f];
  });
  return canonical;
}

/** The inverse of reorient: canonical-grid data back in the file's grid (the same array when no axis moves). */
export function inverseReorient(canonicalData: Float32Array, fileDims: [number, number, number], o: AxisOrientation): Float32Array {
  if (isIdentity(o)) return canonicalData;
  const fileData = new Float32Array(canonicalData.length);
  forEachRow(fileDims, o, (canonicalStart, fileStart, step, length) => {
    for (let x = 0, f = fileStart; x < length; x++, f += step) fileData[f] = canonicalData[canonicalStart + x];
  });
  return fileData;
}

/**
 * Visits every row (along canonical x) of the canonical grid once: where it starts in the canonical
 * data and in the file's, the file index step from one voxel to the next, and its length.
 */
function forEachRow(
  fileDims: [number, number, number],
  o: AxisOrientation,
  visit: (canonicalStart: number, fileStart: number, step: number, length: number) => void,
): void {
  const fileStrides = [1, fileDims[0], fileDims[0] * fileDims[1]];
  const [nx, ny, nz] = permuteAxes(fileDims, o);
  // Step in the file's data for one step along each canonical axis, and the file index of canonical (0, 0, 0).
  const step = [0, 1, 2].map((k) => (o.flip[k] ? -1 : 1) * fileStrides[o.fileAxis[k]]);
  const origin = [0, 1, 2].reduce((sum, k) => sum + (o.flip[k] ? (fileDims[o.fileAxis[k]] - 1) * fileStrides[o.fileAxis[k]] : 0), 0);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) visit((z * ny + y) * nx, origin + z * step[2] + y * step[1], step[0], nx);
  }
}

/**
 * The voxel-to-world affine of the canonical grid: fileAffine · M, where M takes a canonical voxel
 * index to the file's (file index along fileAxis[k] = flip[k] ? n_k - 1 - i_k : i_k).
 */
export function canonicalAffine(fileAffine: number[][], fileDims: [number, number, number], o: AxisOrientation): number[][] {
  const m = [0, 1, 2, 3].map((row) => [0, 0, 0, row === 3 ? 1 : 0]);
  for (let k = 0; k < 3; k++) {
    const axis = o.fileAxis[k];
    m[axis][k] = o.flip[k] ? -1 : 1;
    m[axis][3] = o.flip[k] ? fileDims[axis] - 1 : 0;
  }
  return fileAffine.map((row) => [0, 1, 2, 3].map((col) => row.reduce((sum, a, i) => sum + a * m[i][col], 0) + 0));
}
