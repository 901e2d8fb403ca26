// Reads NIfTI-1 and NIfTI-2 files (.nii, .nii.gz) into a Float32 Volume (methods.md §9), reoriented
// to canonical RAS (orientation.ts) from the header's sform or qform, one volume of a 4D file at a time.
// nifti-reader-js parses the header; Node's zlib decompresses (it stops at the memory budget and
// reports truncation, where fflate would trust the size written in the gzip trailer).

import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { BadInputError } from './errors';
import { MAX_SCAN_BYTES, formatBytes } from './limits';
import { type NiftiSpace, voxelSize, voxelToWorld } from './niftiSpace';
import { IDENTITY_ORIENTATION, canonicalAffine, closestCanonical, permuteAxes, reorient } from './orientation';
import type { ReadScanOptions, ScanLog, Volume } from './volume';

type Header = nifti.NIFTI1 | nifti.NIFTI2;

interface VoxelType {
  name: string;
  bytes: number;
  /** The typed array of this type, to read data stored in the machine's byte order without copying each value. */
  array: new (buffer: ArrayBuffer, offset: number, length: number) => ArrayLike<number>;
  read(view: DataView, offset: number, littleEndian: boolean): number;
}

/** The datatypes read, by NIfTI datatype code. */
const VOXEL_TYPES: Record<number, VoxelType> = {
  [nifti.NIFTI1.TYPE_UINT8]: { name: 'uint8', bytes: 1, array: Uint8Array, read: (v, o) => v.getUint8(o) },
  [nifti.NIFTI1.TYPE_INT8]: { name: 'int8', bytes: 1, array: Int8Array, read: (v, o) => v.getInt8(o) },
  [nifti.NIFTI1.TYPE_INT16]: { name: 'int16', bytes: 2, array: Int16Array, read: (v, o, le) => v.getInt16(o, le) },
  [nifti.NIFTI1.TYPE_UINT16]: { name: 'uint16', bytes: 2, array: Uint16Array, read: (v, o, le) => v.getUint16(o, le) },
  [nifti.NIFTI1.TYPE_INT32]: { name: 'int32', bytes: 4, array: Int32Array, read: (v, o, le) => v.getInt32(o, le) },
  [nifti.NIFTI1.TYPE_UINT32]: { name: 'uint32', bytes: 4, array: Uint32Array, read: (v, o, le) => v.getUint32(o, le) },
  [nifti.NIFTI1.TYPE_FLOAT32]: { name: 'float32', bytes: 4, array: Float32Array, read: (v, o, le) => v.getFloat32(o, le) },
  [nifti.NIFTI1.TYPE_FLOAT64]: { name: 'float64', bytes: 8, array: Float64Array, read: (v, o, le) => v.getFloat64(o, le) },
};

/** The byte order of this machine (typed arrays use it). */
const MACHINE_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const SUPPORTED_TYPES = Object.values(VOXEL_TYPES)
  .map((t) => t.name)
  .join(', ');

/** Where the voxels of the 3D volumes lie in the (uncompressed) file. */
interface VoxelLayout {
  dims: [number, number, number];
  type: VoxelType;
  /** Byte offset of volume 0 (vox_offset). */
  offset: number;
  /** Volumes in the file: the product of dim[4..7] (1 for a 3D file). */
  volumeCount: number;
}

/**
 * Reads volume `options.volumeIndex` (default 0) of the file, reoriented to canonical RAS. A file with
 * a single slice (a 2D image) keeps its stored grid, so that it stays a 2D image.
 */
export async function readNifti(file: string, log?: ScanLog, options: ReadScanOptions = {}): Promise<Volume> {
  const buffer = await readUncompressed(file);
  const header = parseHeader(file, buffer);
  const layout = voxelLayout(file, header, buffer.byteLength);
  const volumeIndex = checkedVolumeIndex(file, options.volumeIndex ?? 0, layout.volumeCount);
  const { data, nonFinite } = decodeVoxels(header, buffer, layout, volumeIndex);
  if (nonFinite > 0) log?.(`${file}: ${nonFinite} NaN/Inf voxels replaced by 0`);
  const space = spaceOf(header, buffer);
  const fileAffine = voxelToWorld(space);
  const orientation = layout.dims[2] > 1 ? closestCanonical(fileAffine) : IDENTITY_ORIENTATION;
  return {
    dims: permuteAxes(layout.dims, orientation),
    spacing: permuteAxes([voxelSize(space.pixdim[0]), voxelSize(space.pixdim[1]), voxelSize(space.pixdim[2])], orientation),
    data: reorient(data, layout.dims, orientation),
    rowOrder: 'bottom-up',
    affine: canonicalAffine(fileAffine, layout.dims, orientation),
    source: { dims: layout.dims, datatype: layout.type.name, space, orientation, volumeIndex, volumeCount: layout.volumeCount },
  };
}

function checkedVolumeIndex(file: string, index: number, count: number): number {
  if (Number.isInteger(index) && index >= 0 && index < count) return index;
  throw new BadInputError(`${file}: volume index ${index} is out of range (the file holds ${count} volume${count === 1 ? '' : 's'}, 0 to ${count - 1})`);
}

/** The header's transform fields; the sform rows are read from the bytes (nifti-reader-js keeps them only when it uses them). */
function spaceOf(header: Header, buffer: ArrayBuffer): NiftiSpace {
  const view = new DataView(buffer);
  const nifti2 = header instanceof nifti.NIFTI2;
  const srowAt = (row: number, col: number) =>
    nifti2 ? view.getFloat64(400 + 8 * (4 * row + col), header.littleEndian) : view.getFloat32(280 + 4 * (4 * row + col), header.littleEndian);
  const srow = [0, 1, 2].map((row) => [0, 1, 2, 3].map((col) => srowAt(row, col))) as NiftiSpace['srow'];
  return {
    pixdim: [header.pixDims[1], header.pixDims[2], header.pixDims[3]],
    qfac: header.pixDims[0] === -1 ? -1 : 1,
    qformCode: header.qform_code,
    quaternion: [header.quatern_b, header.quatern_c, header.quatern_d],
    qoffset: [header.qoffset_x, header.qoffset_y, header.qoffset_z],
    sformCode: header.sform_code,
    srow,
    xyztUnits: header.xyzt_units,
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
  // Every volume of a 4D (or higher) file must be present, although only one is read.
  const volumeCount = shape.slice(3).reduce((a, b) => a * b, 1);
  const needed = offset + voxels * volumeCount * type.bytes;
  if (fileBytes < needed) {
    throw new BadInputError(`${file}: data shorter than the header says (${shape.join('x')} ${type.name} needs ${needed} bytes, found ${fileBytes})`);
  }
  return { dims: [nx, ny, nz], type, offset, volumeCount };
}

/**
 * Voxels of one volume as Float32, in the file's grid, scaled by scl_slope/scl_inter (slope 0 or not
 * finite: no scaling). NaN and ±Inf (in float data, or from the scaling) become 0 so that the
 * normalization and the model never see them; they are counted for the log.
 */
function decodeVoxels(header: Header, buffer: ArrayBuffer, layout: VoxelLayout, volumeIndex: number): { data: Float32Array; nonFinite: number } {
  const [nx, ny, nz] = layout.dims;
  const data = new Float32Array(nx * ny * nz);
  const stored = storedValues(header.littleEndian, buffer, layout, volumeIndex, data.length);
  const scaled = Number.isFinite(header.scl_slope) && header.scl_slope !== 0;
  const slope = scaled ? header.scl_slope : 1;
  const inter = scaled && Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  let nonFinite = 0;
  for (let i = 0; i < data.length; i++) {
    data[i] = stored[i] * slope + inter;
    if (!Number.isFinite(data[i])) {
      data[i] = 0;
      nonFinite++;
    }
  }
  return { data, nonFinite };
}

/** The stored values of one volume: a typed array over the bytes in the machine's byte order, else decoded one by one. */
function storedValues(littleEndian: boolean, buffer: ArrayBuffer, layout: VoxelLayout, volumeIndex: number, count: number): ArrayLike<number> {
  const { type } = layout;
  const start = layout.offset + volumeIndex * count * type.bytes;
  if (littleEndian === MACHINE_LITTLE_ENDIAN) {
    // Typed arrays need an offset that is a multiple of the element size; vox_offset need not be one.
    const aligned = start % type.bytes === 0;
    return aligned ? new type.array(buffer, start, count) : new type.array(buffer.slice(start, start + count * type.bytes), 0, count);
  }
  const view = new DataView(buffer, start, count * type.bytes);
  return Float64Array.from({ length: count }, (_, i) => type.read(view, i * type.bytes, littleEndian));
}
