// NIfTI reading and writing: hand-written headers (NIfTI-1 and -2, both byte orders, every supported
// datatype, qform/sform, 4D), reorientation to RAS, write-then-read round trips, refusals of bad files.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'fflate';
import { BadInputError } from '../../models/io/errors';
import { encodeNifti1, writeMapLikeInput } from '../../models/io/niftiWrite';
import { readScan, type Volume } from '../../models/io/volume';
import { type HandWritten, handWrittenNifti, tempFolder } from './ioFixtures';

const temp = tempFolder('io-nifti-');

/** Already RAS: positive diagonal, so reading keeps the stored grid. */
const RAS_AFFINE = [
  [0.5, 0, 0, -90],
  [0, 0.75, 0, -126],
  [0, 0, 2, -72],
  [0, 0, 0, 1],
];

/** A sagittal acquisition: voxel i runs posterior→anterior, j superior→inferior, k left→right. */
const SAGITTAL_SROW = [
  [0, 0, 1.5, -40],
  [2, 0, 0, -60],
  [0, -3, 0, 50],
];

/** affine · [i, j, k, 1] */
function world(affine: number[][], ijk: number[]): number[] {
  return [0, 1, 2].map((r) => affine[r][0] * ijk[0] + affine[r][1] * ijk[1] + affine[r][2] * ijk[2] + affine[r][3]);
}

/** Voxel (i, j, k) of a grid of the given dims, from its x-fastest index. */
function ijkOf(index: number, dims: number[]): number[] {
  return [index % dims[0], Math.floor(index / dims[0]) % dims[1], Math.floor(index / (dims[0] * dims[1]))];
}

test('int16 with scl_slope round-trips dims, spacing, values and the sform of a RAS grid', async () => {
  // Values k * 0.5 - 3 are exact in int16 with slope 0.5 and intercept -3.
  const data = Float32Array.from({ length: 3 * 4 * 2 }, (_, k) => k * 0.5 - 3);
  const volume: Volume = { dims: [3, 4, 2], spacing: [0.5, 0.75, 2], data };
  const read = await readScan(temp.write('int16.nii.gz', encodeNifti1(volume, { datatype: 'int16', affine: RAS_AFFINE, sclSlope: 0.5, sclInter: -3 })));
  assert.deepEqual(read.dims, [3, 4, 2]);
  assert.deepEqual(read.spacing, [0.5, 0.75, 2]);
  assert.deepEqual(read.data, data);
  assert.deepEqual(read.affine, RAS_AFFINE);
  assert.equal(read.rowOrder, 'bottom-up');
  assert.deepEqual(read.source?.orientation, { fileAxis: [0, 1, 2], flip: [false, false, false] });
  assert.equal(read.source?.space.sformCode, 2);
});

test('uint8 writing rounds and clamps to 0..255; float32 keeps values', async () => {
  const volume: Volume = { dims: [4, 1, 1], spacing: [1, 1, 1], data: Float32Array.from([-5, 1.4, 1.6, 300]) };
  const bytes = (await readScan(temp.write('u8.nii.gz', encodeNifti1(volume, { datatype: 'uint8' })))).data;
  assert.deepEqual(bytes, Float32Array.from([0, 1, 2, 255]));
  const floats = (await readScan(temp.write('f32.nii.gz', encodeNifti1(volume, { datatype: 'float32' })))).data;
  assert.deepEqual(floats, volume.data);
});

test('NaN and Inf become 0 and are counted in the log', async () => {
  const volume: Volume = { dims: [4, 1, 1], spacing: [1, 1, 1], data: Float32Array.from([1, NaN, Infinity, -2]) };
  const lines: string[] = [];
  const read = await readScan(temp.write('nan.nii.gz', encodeNifti1(volume, { datatype: 'float32' })), (l) => lines.push(l));
  assert.deepEqual(read.data, Float32Array.from([1, 0, 0, -2]));
  assert.match(lines.join('\n'), /nan\.nii\.gz: 2 NaN\/Inf voxels replaced by 0/);
});

test('a LAS grid (sform x reversed, as FSL writes MNI data) is read in RAS: x reversed, affine following', async () => {
  // 3x1x2, x = -0.5 i + 90: canonical i' = 2 - i, so x = 0.5 i' + 89.
  const file = temp.write(
    'las.nii',
    handWrittenNifti({
      littleEndian: true,
      dims: [3, 1, 2],
      datatype: 2,
      bytes: 1,
      values: [1, 2, 3, 4, 5, 6],
      pixdim: [0.5, 1, 2],
      sformCode: 4,
      srow: [
        [-0.5, 0, 0, 90],
        [0, 1, 0, -126],
        [0, 0, 2, -72],
      ],
    }),
  );
  const read = await readScan(file);
  assert.deepEqual(read.data, Float32Array.from([3, 2, 1, 6, 5, 4]));
  assert.deepEqual(read.affine, [
    [0.5, 0, 0, 89],
    [0, 1, 0, -126],
    [0, 0, 2, -72],
    [0, 0, 0, 1],
  ]);
  assert.deepEqual(read.source?.orientation, { fileAxis: [0, 1, 2], flip: [true, false, false] });
});

test('a sagittal grid is permuted to RAS: every voxel keeps its value and its world position', async () => {
  const fileDims = [4, 3, 2];
  const values = Array.from({ length: 24 }, (_, i) => i); // a voxel's value is its index in the file
  const file = temp.write(
    'sagittal.nii',
    handWrittenNifti({
      littleEndian: true,
      dims: fileDims,
      datatype: 2,
      bytes: 1,
      values,
      pixdim: [2, 3, 1.5],
      sformCode: 1,
      srow: SAGITTAL_SROW,
    }),
  );
  const read = await readScan(file);
  // x (R) from file k, y (A) from file i, z (S) from file j reversed.
  assert.deepEqual(read.source?.orientation, { fileAxis: [2, 0, 1], flip: [false, false, true] });
  assert.deepEqual(read.dims, [2, 4, 3]);
  assert.deepEqual(read.spacing, [1.5, 2, 3]);
  const fileAffine = [...SAGITTAL_SROW, [0, 0, 0, 1]];
  read.data.forEach((value, index) => {
    assert.deepEqual(world(read.affine!, ijkOf(index, read.dims)), world(fileAffine, ijkOf(value, fileDims)), `voxel ${index}`);
  });
  // Axial really is axial: slice z = 0 is the inferior end (file j = 2), z = 2 the superior (file j = 0).
  assert.ok(read.data.subarray(0, 8).every((v) => ijkOf(v, fileDims)[1] === 2));
  assert.ok(read.data.subarray(16).every((v) => ijkOf(v, fileDims)[1] === 0));
});

test('the qform is used when sform_code is 0; the sform wins when both are set', async () => {
  // Quaternion (b, c, d) = (0, 0, 1): 180° about z, R = diag(-1, -1, 1): x and y reversed.
  const fields: HandWritten = {
    littleEndian: true,
    dims: [2, 2, 2],
    datatype: 2,
    bytes: 1,
    values: [0, 1, 2, 3, 4, 5, 6, 7],
    pixdim: [1, 1, 1],
    qformCode: 1,
    quaternion: [0, 0, 1],
    qoffset: [10, 20, 30],
  };
  const qform = await readScan(temp.write('qform.nii', handWrittenNifti(fields)));
  assert.deepEqual(qform.source?.orientation.flip, [true, true, false]);
  assert.deepEqual(qform.data, Float32Array.from([3, 2, 1, 0, 7, 6, 5, 4]));
  assert.deepEqual(qform.affine, [
    [1, 0, 0, 9],
    [0, 1, 0, 19],
    [0, 0, 1, 30],
    [0, 0, 0, 1],
  ]);
  const both = await readScan(
    temp.write(
      'both.nii',
      handWrittenNifti({
        ...fields,
        sformCode: 2,
        srow: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
        ],
      }),
    ),
  );
  assert.deepEqual(both.source?.orientation.flip, [false, false, false]);
  // qfac = -1 reverses k in the qform: (b, c, d) = (0, 0, 0) with qfac -1 is an S→I grid.
  const qfac = await readScan(temp.write('qfac.nii', handWrittenNifti({ ...fields, quaternion: [0, 0, 0], qfac: -1 })));
  assert.deepEqual(qfac.source?.orientation.flip, [false, false, true]);
  assert.deepEqual(qfac.data, Float32Array.from([4, 5, 6, 7, 0, 1, 2, 3]));
  // (b, c, d) = (0.5, 0.5, 0.5), a = 0.5: R = [[0, 0, 1], [1, 0, 0], [0, 1, 0]] (120° about x = y = z),
  // so world x runs along file k, y along i, z along j, each scaled by its pixdim.
  const rotated = await readScan(temp.write('rotated.nii', handWrittenNifti({ ...fields, quaternion: [0.5, 0.5, 0.5], pixdim: [2, 3, 1.5] })));
  assert.deepEqual(rotated.source?.orientation, { fileAxis: [2, 0, 1], flip: [false, false, false] });
  assert.deepEqual(rotated.affine, [
    [1.5, 0, 0, 10],
    [0, 2, 0, 20],
    [0, 0, 3, 30],
    [0, 0, 0, 1],
  ]);
  assert.deepEqual(rotated.spacing, [1.5, 2, 3]);
});

test('a big-endian file reads like its little-endian twin: values, slope, orientation', async () => {
  const fields = {
    dims: [2, 2, 2],
    datatype: 4,
    bytes: 2,
    values: [-300, 0, 7, 32767, 1, 2, 3, 4],
    slope: 2,
    inter: 1,
    sformCode: 1,
    srow: SAGITTAL_SROW,
    qformCode: 1,
    quaternion: [0.5, 0.5, 0.5] as [number, number, number],
  };
  const big = await readScan(temp.write('big.nii', handWrittenNifti({ ...fields, littleEndian: false })));
  const little = await readScan(temp.write('little.nii', handWrittenNifti({ ...fields, littleEndian: true })));
  assert.deepEqual(little, { ...big, source: { ...big.source } });
  assert.deepEqual(
    [...big.data].sort((a, b) => a - b),
    [-599, 1, 3, 5, 7, 9, 15, 65535],
  );
  assert.deepEqual(big.source?.orientation, { fileAxis: [2, 0, 1], flip: [false, false, true] });
});

test('NIfTI-2 headers (64-bit fields) read like NIfTI-1, in both byte orders', async () => {
  const fields = {
    dims: [3, 1, 2],
    datatype: 16,
    bytes: 4,
    values: [1, 2, 3, 4, 5, 6],
    pixdim: [0.5, 1, 2] as [number, number, number],
    sformCode: 4,
    srow: [
      [-0.5, 0, 0, 90],
      [0, 1, 0, -126],
      [0, 0, 2, -72],
    ],
  };
  const one = await readScan(temp.write('v1.nii', handWrittenNifti({ ...fields, littleEndian: true })));
  for (const littleEndian of [true, false]) {
    const two = await readScan(temp.write(`v2-${littleEndian}.nii`, handWrittenNifti({ ...fields, littleEndian, version: 2 })));
    assert.deepEqual(two.data, one.data);
    assert.deepEqual(two.affine, one.affine);
    assert.deepEqual(two.spacing, [0.5, 1, 2]);
  }
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
      const read = await readScan(temp.write(`${c.name}-${littleEndian}.nii`, handWrittenNifti({ ...c, dims: [3, 1, 1], littleEndian })));
      assert.deepEqual(read.data, Float32Array.from(c.values), `${c.name}, littleEndian ${littleEndian}`);
    }
  }
});

test('a 4D file gives the volume asked for and says how many it holds; a 2D file has depth 1', async () => {
  const file = temp.write('4d.nii', handWrittenNifti({ littleEndian: true, dims: [2, 1, 1, 3], datatype: 2, bytes: 1, values: [1, 2, 3, 4, 5, 6] }));
  const first = await readScan(file);
  assert.deepEqual(first.dims, [2, 1, 1]);
  assert.deepEqual(first.data, Float32Array.from([1, 2]));
  assert.deepEqual([first.source?.volumeIndex, first.source?.volumeCount], [0, 3]);
  assert.deepEqual((await readScan(file, undefined, { volumeIndex: 2 })).data, Float32Array.from([5, 6]));
  for (const volumeIndex of [3, -1, 0.5]) {
    await rejects(
      readScan(file, undefined, { volumeIndex }),
      file,
      new RegExp(`volume index ${volumeIndex} is out of range \\(the file holds 3 volumes, 0 to 2\\)`),
    );
  }
  const twoD = handWrittenNifti({ littleEndian: true, dims: [2, 2], datatype: 2, bytes: 1, values: [1, 2, 3, 4] });
  assert.deepEqual((await readScan(temp.write('2d.nii', twoD))).dims, [2, 2, 1]);
});

test('writeMapLikeInput writes a canonical map in the input file grid with its qform, sform and voxel sizes', async () => {
  const input = temp.write(
    'input.nii',
    handWrittenNifti({
      littleEndian: false,
      dims: [4, 3, 2],
      datatype: 4,
      bytes: 2,
      values: Array.from({ length: 24 }, (_, i) => i),
      pixdim: [2, 3, 1.5],
      sformCode: 1,
      srow: SAGITTAL_SROW,
      qformCode: 2,
      quaternion: [0.5, 0.5, 0.5],
      qoffset: [-40, -60, 50],
      qfac: -1,
    }),
  );
  const scan = await readScan(input);
  const map = scan.data.map((v) => v / 10); // a map in the canonical grid
  const written = writeMapLikeInput(map, scan);

  const header = new DataView(gunzipSync(written).buffer);
  const int16 = (o: number) => header.getInt16(o, true);
  const float32 = (o: number) => header.getFloat32(o, true);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => int16(40 + 2 * i)),
    [3, 4, 3, 2],
  ); // dim: the file's grid
  assert.equal(int16(70), 16); // float32
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => float32(76 + 4 * i)),
    [-1, 2, 3, 1.5],
  ); // qfac, pixdim
  assert.deepEqual([int16(252), int16(254)], [2, 1]); // qform_code, sform_code kept
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => float32(256 + 4 * i)),
    [0.5, 0.5, 0.5, -40, -60, 50],
  );
  assert.deepEqual(
    [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => float32(280 + 16 * r + 4 * c))),
    SAGITTAL_SROW,
  );
  // In the file's order, voxel i holds i / 10 (the input held i).
  const fileValues = new Float32Array(gunzipSync(written).buffer.slice(352));
  assert.deepEqual(
    fileValues,
    Float32Array.from({ length: 24 }, (_, i) => i / 10),
  );

  const reread = await readScan(temp.write('map.nii.gz', written));
  assert.deepEqual(reread.data, map);
  assert.deepEqual(reread.affine, scan.affine);
  assert.deepEqual(reread.source?.space, { ...scan.source?.space, xyztUnits: reread.source?.space.xyztUnits });
});

test('writeMapLikeInput refuses a map of the wrong size', () => {
  const volume: Volume = { dims: [2, 2, 1], spacing: [1, 1, 1], data: new Float32Array(4) };
  assert.throws(() => writeMapLikeInput(new Float32Array(3), volume), /map of 3 values does not fit the input grid 2x2x1/);
});

async function rejects(promise: Promise<unknown>, file: string, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof BadInputError, `BadInputError expected, got ${String(e)}`);
    assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
    assert.match(e.message, reason);
    return true;
  });
}

test('bad files are refused with a BadInputError naming the file and the problem', async () => {
  const good = { littleEndian: true, dims: [4, 4, 4], datatype: 4, bytes: 2, values: new Array(64).fill(1) };
  const refused = (name: string, bytes: Uint8Array, reason: RegExp) => {
    const file = temp.write(name, bytes);
    return rejects(readScan(file), file, reason);
  };
  await refused('magic.nii', handWrittenNifti({ ...good, magic: 'abc\0' }), /not a NIfTI file/);
  await refused('text.nii.gz', gzipSync(new TextEncoder().encode('hello '.repeat(100))), /not a NIfTI file/);
  const gz = encodeNifti1({ dims: [8, 8, 8], spacing: [1, 1, 1], data: new Float32Array(512).fill(3) }, { datatype: 'float32' });
  await refused('truncated.nii.gz', gz.subarray(0, gz.length >> 1), /corrupt or truncated gzip/);
  await refused('short.nii', handWrittenNifti({ ...good, dataBytes: 100 }), /data shorter than the header says/);
  await refused('complex.nii', handWrittenNifti({ ...good, datatype: 32, bytes: 8 }), /unsupported NIfTI datatype code 32/);
  await refused('zero.nii', handWrittenNifti({ ...good, dims: [4, 0, 4] }), /invalid NIfTI dimensions 4x0x4/);
  await refused('negative.nii', handWrittenNifti({ ...good, dims: [4, -4, 4] }), /invalid NIfTI dimensions 4x-4x4/);
  await refused('huge.nii', handWrittenNifti({ ...good, dims: [30000, 30000, 30000], dataBytes: 0 }), /too large/);
  await refused('empty.nii', new Uint8Array(0), /not a NIfTI file/);
});
