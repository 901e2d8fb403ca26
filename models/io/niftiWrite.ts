// Writes a Volume as a gzipped single-file NIfTI-1 (.nii.gz), little-endian, with the voxel-to-world
// affine stored as the sform. Field offsets follow the NIfTI-1 header (nifti1.h); unlisted fields are 0.
// Voxels are written in the volume's stored order, which readers take as bottom-up rows (NIfTI's).

import { gzipSync } from 'fflate';
import type { Volume } from './volume';

export interface NiftiWriteOptions {
  datatype: 'float32' | 'int16' | 'uint8';
  /** 4x4 voxel-to-world matrix; without it the file has no transform and readers use the spacing. */
  affine?: number[][];
  /** Stored value = round((value - sclInter) / sclSlope) for integer types; default slope 1, intercept 0. */
  sclSlope?: number;
  sclInter?: number;
}

const HEADER_SIZE = 348;
/** Header plus the 4-byte extension flag: where the voxels start. */
const VOX_OFFSET = 352;
const UNITS_MM = 2;
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
  writeHeader(view, volume, { datatype: type.code, bitpix: type.bytes * 8, slope, inter, affine: opts.affine });
  const integer = opts.datatype !== 'float32';
  for (let i = 0; i < volume.data.length; i++) {
    const stored = (volume.data[i] - inter) / slope;
    const value = integer ? Math.min(type.max, Math.max(type.min, Math.round(stored))) : stored;
    type.write(view, VOX_OFFSET + i * type.bytes, value);
  }
  return gzipSync(bytes);
}

interface HeaderFields {
  datatype: number;
  bitpix: number;
  slope: number;
  inter: number;
  affine?: number[][];
}

function writeHeader(view: DataView, volume: Volume, { datatype, bitpix, slope, inter, affine }: HeaderFields): void {
  const int16 = (offset: number, x: number) => view.setInt16(offset, x, true);
  const float32 = (offset: number, x: number) => view.setFloat32(offset, x, true);
  view.setInt32(0, HEADER_SIZE, true); // sizeof_hdr
  [3, ...volume.dims, 1, 1, 1, 1].forEach((n, i) => int16(40 + 2 * i, n)); // dim[8]
  int16(70, datatype);
  int16(72, bitpix);
  [1, ...volume.spacing, 0, 0, 0, 0].forEach((d, i) => float32(76 + 4 * i, d)); // pixdim[8], pixdim[0] = qfac
  float32(108, VOX_OFFSET);
  float32(112, slope);
  float32(116, inter);
  view.setUint8(123, UNITS_MM); // xyzt_units
  if (affine) {
    int16(254, XFORM_ALIGNED_ANAT); // sform_code (qform_code at 252 stays 0)
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 4; col++) float32(280 + 16 * row + 4 * col, affine[row][col]); // srow_x, srow_y, srow_z
    }
  }
  [0x6e, 0x2b, 0x31, 0].forEach((c, i) => view.setUint8(344 + i, c)); // magic "n+1\0"
}
