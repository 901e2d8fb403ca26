// NIfTI reading and writing: round trips through encodeNifti1, hand-written headers (both byte
// orders, every supported datatype, 4D) and the refusals of bad files.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'fflate';
import { BadInputError } from '../../models/io/errors';
import { encodeNifti1 } from '../../models/io/niftiWrite';
import { readScan, type Volume } from '../../models/io/volume';

const dir = mkdtempSync(join(tmpdir(), 'io-nifti-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const AFFINE = [
  [-0.5, 0, 0, 90],
  [0, 0.75, 0, -126],
  [0, 0, 2, -72],
  [0, 0, 0, 1],
];

test('int16 with scl_slope round-trips dims, spacing, values, affine', async () => {
  // Values k * 0.5 - 3 are exact in int16 with slope 0.5 and intercept -3.
  const data = Float32Array.from({ length: 3 * 4 * 2 }, (_, k) => k * 0.5 - 3);
  const volume: Volume = { dims: [3, 4, 2], spacing: [0.5, 0.75, 2], data };
  const file = tempFile('int16.nii.gz', encodeNifti1(volume, { datatype: 'int16', affine: AFFINE, sclSlope: 0.5, sclInter: -3 }));
  const read = await readScan(file);
  assert.deepEqual(read.dims, [3, 4, 2]);
  assert.deepEqual(read.spacing, [0.5, 0.75, 2]);
  assert.deepEqual(read.data, data);
  assert.deepEqual(read.affine, AFFINE);
  assert.equal(read.rowOrder, 'bottom-up');
});

test('uint8 writing rounds and clamps to 0..255; float32 keeps values', async () => {
  const volume: Volume = { dims: [4, 1, 1], spacing: [1, 1, 1], data: Float32Array.from([-5, 1.4, 1.6, 300]) };
  const bytes = (await readScan(tempFile('u8.nii.gz', encodeNifti1(volume, { datatype: 'uint8' })))).data;
  assert.deepEqual(bytes, Float32Array.from([0, 1, 2, 255]));
  const floats = (await readScan(tempFile('f32.nii.gz', encodeNifti1(volume, { datatype: 'float32' })))).data;
  assert.deepEqual(floats, volume.data);
});

test('NaN and Inf become 0 and are counted in the log', async () => {
  const volume: Volume = { dims: [4, 1, 1], spacing: [1, 1, 1], data: Float32Array.from([1, NaN, Infinity, -2]) };
  const lines: string[] = [];
  const read = await readScan(tempFile('nan.nii.gz', encodeNifti1(volume, { datatype: 'float32' })), (l) => lines.push(l));
  assert.deepEqual(read.data, Float32Array.from([1, 0, 0, -2]));
  assert.match(lines.join('\n'), /nan\.nii\.gz: 2 NaN\/Inf voxels replaced by 0/);
});

interface HandWritten {
  littleEndian: boolean;
  dims: number[];
  datatype: number;
  bytes: number;
  values: number[];
  slope?: number;
  inter?: number;
  /** Bytes of voxel data actually written (default: all values). */
  dataBytes?: number;
  magic?: string;
}

/** A single-file NIfTI-1 written field by field, independently of encodeNifti1. */
function handWrittenNifti(h: HandWritten): Uint8Array {
  const dataBytes = h.dataBytes ?? h.values.length * h.bytes;
  const bytes = new Uint8Array(352 + dataBytes);
  const view = new DataView(bytes.buffer);
  const le = h.littleEndian;
  view.setInt32(0, 348, le);
  [h.dims.length, ...h.dims].forEach((n, i) => view.setInt16(40 + 2 * i, n, le));
  view.setInt16(70, h.datatype, le);
  view.setInt16(72, h.bytes * 8, le);
  [1, 1.5, 2, 3].forEach((d, i) => view.setFloat32(76 + 4 * i, d, le));
  view.setFloat32(108, 352, le);
  view.setFloat32(112, h.slope ?? 0, le);
  view.setFloat32(116, h.inter ?? 0, le);
  [...(h.magic ?? 'n+1\0')].forEach((c, i) => view.setUint8(344 + i, c.charCodeAt(0)));
  const writers: Record<number, (o: number, x: number) => void> = {
    2: (o, x) => view.setUint8(o, x),
    256: (o, x) => view.setInt8(o, x),
    4: (o, x) => view.setInt16(o, x, le),
    512: (o, x) => view.setUint16(o, x, le),
    8: (o, x) => view.setInt32(o, x, le),
    768: (o, x) => view.setUint32(o, x, le),
    16: (o, x) => view.setFloat32(o, x, le),
    64: (o, x) => view.setFloat64(o, x, le),
    32: () => undefined,
  };
  h.values.forEach((x, i) => {
    if (i * h.bytes < dataBytes) writers[h.datatype](352 + i * h.bytes, x);
  });
  return bytes;
}

test('a big-endian file reads like the same little-endian file, slope and intercept applied', async () => {
  const fields = { dims: [2, 2, 1], datatype: 4, bytes: 2, values: [-300, 0, 7, 32767], slope: 2, inter: 1 };
  const big = await readScan(tempFile('big.nii', handWrittenNifti({ ...fields, littleEndian: false })));
  const little = await readScan(tempFile('little.nii', handWrittenNifti({ ...fields, littleEndian: true })));
  assert.deepEqual(big.data, Float32Array.from([-599, 1, 15, 65535]));
  assert.deepEqual(little.data, big.data);
  assert.deepEqual(big.spacing, [1.5, 2, 3]);
  // No qform/sform: the affine is the spacing on the diagonal.
  assert.deepEqual(big.affine?.map((row) => row.slice(0, 3)), [
    [1.5, 0, 0],
    [0, 2, 0],
    [0, 0, 3],
    [0, 0, 0],
  ]);
});

test('every supported datatype decodes, in both byte orders', async () => {
  const cases = [
    { name: 'uint8', datatype: 2, bytes: 1, values: [0, 128, 255] },
    { name: 'int8', datatype: 256, bytes: 1, values: [-128, 0, 127] },
    { name: 'int16', datatype: 4, bytes: 2, values: [-32768, 1, 32767] },
    { name: 'uint16', datatype: 512, bytes: 2, values: [0, 1, 65535] },
    { name: 'int32', datatype: 8, bytes: 4, values: [-2000000000, 5, 2000000000] },
    { name: 'uint32', datatype: 768, bytes: 4, values: [0, 5, 4000000000] },
    { name: 'float32', datatype: 16, bytes: 4, values: [-1.5, 0.25, 1e10] },
    { name: 'float64', datatype: 64, bytes: 8, values: [-1.5, 0.125, 1e-3] },
  ];
  for (const c of cases) {
    for (const littleEndian of [true, false]) {
      const file = tempFile(`${c.name}-${littleEndian}.nii`, handWrittenNifti({ ...c, dims: [3, 1, 1], littleEndian }));
      const read = await readScan(file);
      assert.deepEqual(read.data, Float32Array.from(c.values), `${c.name}, littleEndian ${littleEndian}`);
    }
  }
});

test('a 4D file gives its first volume; a 2D file has depth 1', async () => {
  const fourD = handWrittenNifti({ littleEndian: true, dims: [2, 1, 1, 3], datatype: 2, bytes: 1, values: [1, 2, 3, 4, 5, 6] });
  const first = await readScan(tempFile('4d.nii', fourD));
  assert.deepEqual(first.dims, [2, 1, 1]);
  assert.deepEqual(first.data, Float32Array.from([1, 2]));
  const twoD = handWrittenNifti({ littleEndian: true, dims: [2, 2], datatype: 2, bytes: 1, values: [1, 2, 3, 4] });
  assert.deepEqual((await readScan(tempFile('2d.nii', twoD))).dims, [2, 2, 1]);
});

async function rejects(file: string, reason: RegExp): Promise<void> {
  await assert.rejects(readScan(file), (e: unknown) => {
    assert.ok(e instanceof BadInputError, `BadInputError expected, got ${String(e)}`);
    assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
    assert.match(e.message, reason);
    return true;
  });
}

test('bad files are refused with a BadInputError naming the file and the problem', async () => {
  const good = { littleEndian: true, dims: [4, 4, 4], datatype: 4, bytes: 2, values: new Array(64).fill(1) };
  await rejects(tempFile('magic.nii', handWrittenNifti({ ...good, magic: 'abc\0' })), /not a NIfTI file/);
  await rejects(tempFile('text.nii.gz', gzipSync(new TextEncoder().encode('hello '.repeat(100)))), /not a NIfTI file/);
  const gz = encodeNifti1({ dims: [8, 8, 8], spacing: [1, 1, 1], data: new Float32Array(512).fill(3) }, { datatype: 'float32' });
  await rejects(tempFile('truncated.nii.gz', gz.subarray(0, gz.length >> 1)), /corrupt or truncated gzip/);
  await rejects(tempFile('short.nii', handWrittenNifti({ ...good, dataBytes: 100 })), /data shorter than the header says/);
  await rejects(tempFile('complex.nii', handWrittenNifti({ ...good, datatype: 32, bytes: 8 })), /unsupported NIfTI datatype code 32/);
  await rejects(tempFile('zero.nii', handWrittenNifti({ ...good, dims: [4, 0, 4] })), /invalid NIfTI dimensions 4x0x4/);
  await rejects(tempFile('huge.nii', handWrittenNifti({ ...good, dims: [30000, 30000, 30000], dataBytes: 0 })), /too large/);
  await rejects(tempFile('empty.nii', new Uint8Array(0)), /not a NIfTI file/);
});
