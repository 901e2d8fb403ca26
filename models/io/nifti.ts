// Reads NIfTI-1 and NIfTI-2 files (.nii, .nii.gz) into a Float32 Volume (methods.md §9).
// nifti-reader-js parses the header; Node's zlib decompresses (it stops at the memory budget and
// reports truncation, where fflate would trust the size written in the gzip trailer).
// Not done yet: reorientation from qform/sform, a choice of volume in 4D files (volume 0 is read).

import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { BadInputError } from './errors';
import { MAX_SCAN_BYTES, formatBytes } from './limits';
import type { ScanLog, Volume } from './volume';

type Header = nifti.NIFTI1 | nifti.NIFTI2;

interface VoxelType {
  name: string;
  bytes: number;
  read(view: DataView, offset: number, littleEndian: boolean): number;
}

/** The datatypes read, by NIfTI datatype code. */
const VOXEL_TYPES: Record<number, VoxelType> = {
  [nifti.NIFTI1.TYPE_UINT8]: { name: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) },
  [nifti.NIFTI1.TYPE_INT8]: { name: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) },
  [nifti.NIFTI1.TYPE_INT16]: { name: 'int16', bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  [nifti.NIFTI1.TYPE_UINT16]: { name: 'uint16', bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  [nifti.NIFTI1.TYPE_INT32]: { name: 'int32', bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  [nifti.NIFTI1.TYPE_UINT32]: { name: 'uint32', bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  [nifti.NIFTI1.TYPE_FLOAT32]: { name: 'float32', bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  [nifti.NIFTI1.TYPE_FLOAT64]: { name: 'float64', bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
};

const SUPPORTED_TYPES = Object.values(VOXEL_TYPES).map((t) => t.name).join(', ');

/** Where the voxels of the first 3D volume lie in the (uncompressed) file. */
interface VoxelLayout {
  dims: [number, number, number];
  type: VoxelType;
  offset: number;
}

export async function readNifti(file: string, log?: ScanLog): Promise<Volume> {
  const buffer = await readUncompressed(file);
  const header = parseHeader(file, buffer);
  const layout = voxelLayout(file, header, buffer.byteLength);
  const { data, nonFinite } = decodeVoxels(header, buffer, layout);
  if (nonFinite > 0) log?.(`${file}: ${nonFinite} NaN/Inf voxels replaced by 0`);
  return {
    dims: layout.dims,
    spacing: [voxelSize(header.pixDims[1]), voxelSize(header.pixDims[2]), voxelSize(header.pixDims[3])],
    data,
    rowOrder: 'bottom-up',
    affine: header.affine.map((row) => row.map((x) => x + 0)), // a copy, with the -0 of the qform maths as 0
  };
}

/** The file's bytes, gunzipped when they start with the gzip magic (whatever the extension). */
async function readUncompressed(file: string): Promise<ArrayBuffer> {
  const size = (await stat(file)).size;
  if (size > MAX_SCAN_BYTES) {
    throw new BadInputError(`${file}: file too large (${formatBytes(size)}; the limit is ${formatBytes(MAX_SCAN_BYTES)})`);
  }
  let bytes: Uint8Array = await readFile(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_SCAN_BYTES });
    } catch (e) {
      const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new BadInputError(
        tooLarge
          ? `${file}: uncompressed data over the ${formatBytes(MAX_SCAN_BYTES)} limit`
          : `${file}: corrupt or truncated gzip data (${(e as Error).message})`,
      );
    }
  }
  return exactArrayBuffer(bytes);
}

/** An ArrayBuffer holding exactly these bytes (Node buffers may be views into a larger one). */
function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

function parseHeader(file: string, buffer: ArrayBuffer): Header {
  if (!nifti.isNIFTI(buffer)) {
    throw new BadInputError(`${file}: not a NIfTI file (no "n+1" or "n+2" magic in its header)`);
  }
  try {
    return nifti.readHeader(buffer);
  } catch (e) {
    throw new BadInputError(`${file}: unreadable NIfTI header (${(e as Error).message})`);
  }
}

function voxelLayout(file: string, header: Header, fileBytes: number): VoxelLayout {
  const type = VOXEL_TYPES[header.datatypeCode];
  if (!type) {
    throw new BadInputError(`${file}: unsupported NIfTI datatype code ${header.datatypeCode} (supported: ${SUPPORTED_TYPES})`);
  }
  const rank = header.dims[0];
  if (!(rank >= 1 && rank <= 7)) throw new BadInputError(`${file}: invalid NIfTI dim[0] = ${rank} (must be 1 to 7)`);
  const shape = header.dims.slice(1, rank + 1);
  if (shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new BadInputError(`${file}: invalid NIfTI dimensions ${shape.join('x')}`);
  }
  const [nx, ny = 1, nz = 1] = shape;
  const voxels = nx * ny * nz;
  if (voxels * Math.max(type.bytes, Float32Array.BYTES_PER_ELEMENT) > MAX_SCAN_BYTES) {
    throw new BadInputError(`${file}: volume ${nx}x${ny}x${nz} is too large (limit ${formatBytes(MAX_SCAN_BYTES)})`);
  }
  const headerSize = header instanceof nifti.NIFTI2 ? nifti.NIFTI2.MAGIC_COOKIE : nifti.NIFTI1.MAGIC_COOKIE;
  const offset = header.vox_offset;
  if (!(Number.isInteger(offset) && offset >= headerSize)) {
    throw new BadInputError(`${file}: invalid NIfTI vox_offset ${offset} (the header has ${headerSize} bytes)`);
  }
  // Every volume of a 4D (or higher) file must be present, although only the first is read.
  const needed = offset + shape.reduce((a, b) => a * b, 1) * type.bytes;
  if (fileBytes < needed) {
    throw new BadInputError(
      `${file}: data shorter than the header says (${shape.join('x')} ${type.name} needs ${needed} bytes, found ${fileBytes})`,
    );
  }
  return { dims: [nx, ny, nz], type, offset };
}

/**
 * Voxels of the first volume as Float32, scaled by scl_slope/scl_inter (slope 0 or not finite: no
 * scaling). NaN and ±Inf (in float data, or from the scaling) become 0 so that the normalization and
 * the model never see them; they are counted for the log.
 */
function decodeVoxels(header: Header, buffer: ArrayBuffer, layout: VoxelLayout): { data: Float32Array; nonFinite: number } {
  const [nx, ny, nz] = layout.dims;
  const { type } = layout;
  const data = new Float32Array(nx * ny * nz);
  const view = new DataView(buffer, layout.offset, data.length * type.bytes);
  const scaled = Number.isFinite(header.scl_slope) && header.scl_slope !== 0;
  const slope = scaled ? header.scl_slope : 1;
  const inter = scaled && Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  let nonFinite = 0;
  for (let i = 0; i < data.length; i++) {
    data[i] = type.read(view, i * type.bytes, header.littleEndian) * slope + inter;
    if (!Number.isFinite(data[i])) {
      data[i] = 0;
      nonFinite++;
    }
  }
  return { data, nonFinite };
}

/** pixdim as a voxel size: its magnitude, or 1 when the header leaves it 0 or invalid. */
function voxelSize(pixDim: number): number {
  return Number.isFinite(pixDim) && pixDim !== 0 ? Math.abs(pixDim) : 1;
}
