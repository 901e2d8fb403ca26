// Writes a Volume as a gzipped single-file NIfTI-1 (.nii.gz), little-endian. Field offsets follow the
// NIfTI-1 header (nifti1.h); unlisted fields are 0. Voxels are written in the volume's stored order.
// writeMapLikeInput writes an anomaly map in the grid of the NIfTI file it was computed from, so that
// ITK-SNAP, 3D Slicer or FSLeyes overlay it on that file.

import { gzipSync } from 'fflate';
import { BadInputError } from './errors';
import { type NiftiSpace, spaceFromVoxelSizes } from './niftiSpace';
import { inverseReorient } from './orientation';
import type { Volume } from './volume';

export interface NiftiWriteOptions {
  datatype: 'float32' | 'int16' | 'uint8';
  /** The header's qform and sform (codes kept) and units; without it, `affine` or the voxel sizes alone. */
  space?: NiftiSpace;
  /** 4x4 voxel-to-world matrix, written as the sform (code 2, "aligned anat", as nibabel does); ignored when `space` is set. */
  affine?: number[][];
  /** Stored value = round((value - sclInter) / sclSlope) for integer types; default slope 1, intercept 0. */
  sclSlope?: number;
  sclInter?: number;
}

const HEADER_SIZE = 348;
/** Header plus the 4-byte extension flag: where the voxels start. */
const VOX_OFFSET = 352;
/** sform code "aligned to another scan", as nibabel writes for an affine it was given. */
const XFORM_ALIGNED_ANAT = 2;

const DATATYPES = {
  uint8: { code: 2, bytes: 1, min: 0, max: 255, write: (v: DataView, o: number, x: number) => v.setUint8(o, x) },
  int16: { code: 4, bytes: 2, min: -32768, max: 32767, write: (v: DataView, o: number, x: number) => v.setInt16(o, x, true) },
  float32: { code: 16, bytes: 4, min: -Infinity, max: Infinity, write: (v: DataView, o: number, x: number) => v.setFloat32(o, x, true) },
};

export function encodeNifti1(volume: Volume, opts: NiftiWriteOptions): Uint8Array {
  const type = DATATYPES[opts.datatype];
  const slope = opts.sclSlope ?? 1;
  const inter = opts.sclInter ?? 0;
  const bytes = new Uint8Array(VOX_OFFSET + volume.data.length * type.bytes);
  const view = new DataView(bytes.buffer);
  const space = { ...(opts.space ?? spaceOfAffine(volume.spacing, opts.affine)), pixdim: volume.spacing };
  writeHeader(view, volume.dims, space, { datatype: type.code, bitpix: type.bytes * 8, slope, inter });
  const integer = opts.datatype !== 'float32';
  for (let i = 0; i < volume.data.length; i++) {
    const stored = (volume.data[i] - inter) / slope;
    const value = integer ? Math.min(type.max, Math.max(type.min, Math.round(stored))) : stored;
    type.write(view, VOX_OFFSET + i * type.bytes, value);
  }
  return gzipSync(bytes);
}

/** The space of a volume given only its voxel sizes and perhaps an affine (as the sform). */
function spaceOfAffine(spacing: [number, number, number], affine: number[][] | undefined): NiftiSpace {
  const space = spaceFromVoxelSizes(spacing);
  if (!affine) return space;
  return { ...space, sformCode: XFORM_ALIGNED_ANAT, srow: [affine[0].slice(0, 4), affine[1].slice(0, 4), affine[2].slice(0, 4)] };
}

/**
 * A float32 .nii.gz of `map` (in the canonical grid of `input`, as readScan returned it) in the grid of
 * the file `input` was read from: same dims, voxel sizes, qform and sform (with their codes), so that
 * viewers overlay it voxel for voxel on the original. Volumes not read from NIfTI are written in their
 * own grid with their affine, if any.
 */
export function writeMapLikeInput(map: Float32Array, input: Volume): Uint8Array {
  if (map.length !== input.data.length) {
    throw new BadInputError(`map of ${map.length} values does not fit the input grid ${input.dims.join('x')}`);
  }
  const source = input.source;
  if (!source) return encodeNifti1({ ...input, data: map }, { datatype: 'float32', affine: input.affine });
  const fileGrid: Volume = {
    dims: source.dims,
    spacing: source.space.pixdim,
    data: inverseReorient(map, source.dims, source.orientation),
  };
  return encodeNifti1(fileGrid, { datatype: 'float32', space: source.space });
}

interface DataFields {
  datatype: number;
  bitpix: number;
  slope: number;
  inter: number;
}

function writeHeader(view: DataView, dims: [number, number, number], space: NiftiSpace, data: DataFields): void {
  const int16 = (offset: number, x: number) => view.setInt16(offset, x, true);
  const float32 = (offset: number, x: number) => view.setFloat32(offset, x, true);
  view.setInt32(0, HEADER_SIZE, true); // sizeof_hdr
  [3, ...dims, 1, 1, 1, 1].forEach((n, i) => int16(40 + 2 * i, n)); // dim[8]
  int16(70, data.datatype);
  int16(72, data.bitpix);
  [space.qfac, ...space.pixdim, 1, 1, 1, 1].forEach((d, i) => float32(76 + 4 * i, d)); // pixdim[8]: qfac, voxel sizes, unused 1s (as nibabel)
  float32(108, VOX_OFFSET);
  float32(112, data.slope);
  float32(116, data.inter);
  view.setUint8(123, space.xyztUnits);
  int16(252, space.qformCode);
  int16(254, space.sformCode);
  [...space.quaternion, ...space.qoffset].forEach((x, i) => float32(256 + 4 * i, x)); // quatern_b..d, qoffset_x..z
  space.srow.forEach((row, r) => row.forEach((x, c) => float32(280 + 16 * r + 4 * c, x))); // srow_x, srow_y, srow_z
  [0x6e, 0x2b, 0x31, 0].forEach((c, i) => view.setUint8(344 + i, c)); // magic "n+1\0"
}
