// NIfTI files written field by field for the io tests, independently of models/io/niftiWrite.ts:
// NIfTI-1 or NIfTI-2, either byte order, any datatype, with or without qform/sform.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export interface HandWritten {
  littleEndian: boolean;
  dims: number[];
  datatype: number;
  bytes: number;
  values: number[];
  version?: 1 | 2;
  pixdim?: [number, number, number];
  slope?: number;
  inter?: number;
  qformCode?: number;
  /** quatern_b, c, d. */
  quaternion?: [number, number, number];
  qoffset?: [number, number, number];
  qfac?: number;
  sformCode?: number;
  srow?: number[][];
  /** Bytes of voxel data actually written (default: all values). */
  dataBytes?: number;
  magic?: string;
}

/** Byte offsets and field writers that differ between NIfTI-1 (348-byte header) and NIfTI-2 (540). */
const LAYOUTS = {
  1: {
    size: 348,
    voxOffset: 352,
    magicAt: 344,
    magic: 'n+1\0',
    datatype: 70,
    dim: 40,
    pixdim: 76,
    vox: 108,
    slope: 112,
    qform: 252,
    sform: 254,
    quatern: 256,
    srow: 280,
    intBytes: 2,
    floatBytes: 4,
  },
  2: {
    size: 540,
    voxOffset: 544,
    magicAt: 4,
    magic: 'n+2\0\r\n\x1a\n',
    datatype: 12,
    dim: 16,
    pixdim: 104,
    vox: 168,
    slope: 176,
    qform: 344,
    sform: 348,
    quatern: 352,
    srow: 400,
    intBytes: 8,
    floatBytes: 8,
  },
};

export const VOXEL_WRITERS: Record<number, (view: DataView, offset: number, x: number, le: boolean) => void> = {
  2: (v, o, x) => v.setUint8(o, x),
  256: (v, o, x) => v.setInt8(o, x),
  4: (v, o, x, le) => v.setInt16(o, x, le),
  512: (v, o, x, le) => v.setUint16(o, x, le),
  8: (v, o, x, le) => v.setInt32(o, x, le),
  768: (v, o, x, le) => v.setUint32(o, x, le),
  16: (v, o, x, le) => v.setFloat32(o, x, le),
  64: (v, o, x, le) => v.setFloat64(o, x, le),
  32: () => undefined,
};

export function handWrittenNifti(h: HandWritten): Uint8Array {
  const l = LAYOUTS[h.version ?? 1];
  const dataBytes = h.dataBytes ?? h.values.length * h.bytes;
  const bytes = new Uint8Array(l.voxOffset + dataBytes);
  const view = new DataView(bytes.buffer);
  const le = h.littleEndian;
  const int = (o: number, x: number) => (l.intBytes === 8 ? view.setBigInt64(o, BigInt(x), le) : view.setInt16(o, x, le));
  const float = (o: number, x: number) => (l.floatBytes === 8 ? view.setFloat64(o, x, le) : view.setFloat32(o, x, le));
  view.setInt32(0, l.size, le);
  [...(h.magic ?? l.magic)].forEach((c, i) => view.setUint8(l.magicAt + i, c.charCodeAt(0)));
  view.setInt16(l.datatype, h.datatype, le);
  view.setInt16(l.datatype + 2, h.bytes * 8, le);
  [h.dims.length, ...h.dims].forEach((n, i) => int(l.dim + l.intBytes * i, n));
  [h.qfac ?? 1, ...(h.pixdim ?? [1.5, 2, 3])].forEach((d, i) => float(l.pixdim + l.floatBytes * i, d));
  if (l.intBytes === 8) int(l.vox, l.voxOffset);
  else float(l.vox, l.voxOffset); // a float in NIfTI-1
  float(l.slope, h.slope ?? 0);
  float(l.slope + l.floatBytes, h.inter ?? 0);
  const code = (o: number, x: number) => (h.version === 2 ? view.setInt32(o, x, le) : view.setInt16(o, x, le));
  code(l.qform, h.qformCode ?? 0);
  code(l.sform, h.sformCode ?? 0);
  [...(h.quaternion ?? [0, 0, 0]), ...(h.qoffset ?? [0, 0, 0])].forEach((x, i) => float(l.quatern + l.floatBytes * i, x));
  (h.srow ?? []).forEach((row, r) => row.forEach((x, c) => float(l.srow + l.floatBytes * (4 * r + c), x)));
  h.values.forEach((x, i) => {
    if (i * h.bytes < dataBytes) VOXEL_WRITERS[h.datatype](view, l.voxOffset + i * h.bytes, x, le);
  });
  return bytes;
}

/** A temporary folder removed after the test file; `write` puts a file in it and returns its path. */
export function tempFolder(prefix: string): { dir: string; write(name: string, bytes: Uint8Array | string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, bytes) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      return file;
    },
  };
}
