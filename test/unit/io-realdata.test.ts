// Reading the real data in ../shared/data (brain MRI volumes, industrial JPEGs with PNG masks): known
// dims, voxel sizes, datatypes, value ranges and orientation, checked against anatomy; skipped when
// that folder is absent.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { writeMapLikeInput } from '../../models/io/niftiWrite';
import { readScan, type Volume } from '../../models/io/volume';

// Tests run from the repository root; the shared data lies beside the checkout.
const DATA = resolve(process.cwd(), '../shared/data');
const skip = existsSync(DATA) ? false : `shared data absent: ${DATA}`;

/** The MNI grid in RAS: the files store x reversed (LAS, origin x = 90), read as x = i - 91. */
const MNI_RAS_AFFINE = [
  [1, 0, 0, -91],
  [0, 1, 0, -126],
  [0, 0, 1, -72],
  [0, 0, 0, 1],
];

/** World bounding box (mm) of the voxels above 0, for a grid with the unit-diagonal affine above. */
function foregroundBox(v: Volume): { min: number[]; max: number[] } {
  const [nx, ny] = v.dims;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  v.data.forEach((x, i) => {
    if (x <= 0) return;
    const ijk = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    ijk.forEach((c, k) => {
      min[k] = Math.min(min[k], c + v.affine![k][3]);
      max[k] = Math.max(max[k], c + v.affine![k][3]);
    });
  });
  return { min, max };
}

function range(data: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const x of data) [min, max] = [Math.min(min, x), Math.max(max, x)];
  return [min, max];
}

/** Mean of `values` where `where` holds. */
function meanWhere(values: Float32Array, where: (i: number) => boolean): number {
  let sum = 0;
  let count = 0;
  values.forEach((x, i) => {
    if (where(i)) [sum, count] = [sum + x, count + 1];
  });
  return sum / count;
}

test('brain-ms patient07 FLAIR: 182x218x182 float32, 1 mm, qform only, read in RAS', { skip }, async () => {
  const flair = await readScan(join(DATA, 'brain-ms/patient07/FLAIR.nii.gz'));
  assert.deepEqual(flair.dims, [182, 218, 182]);
  assert.deepEqual(flair.spacing, [1, 1, 1]);
  assert.equal(flair.source?.datatype, 'float32');
  assert.deepEqual([flair.source?.space.qformCode, flair.source?.space.sformCode], [1, 0]);
  assert.deepEqual(flair.source?.orientation, { fileAxis: [0, 1, 2], flip: [true, false, false] });
  assert.deepEqual(flair.affine, MNI_RAS_AFFINE);
  assert.equal(flair.rowOrder, 'bottom-up');
  const [min, max] = range(flair.data);
  assert.ok(min > -20 && min < -19 && max > 200 && max < 201, `range ${min}..${max}`); // -19.7..200.4 in the file
  assert.ok(
    flair.data.some((x) => !Number.isInteger(x)),
    'float32 values, not quantized',
  );
});

test('MNI152 (int16, qform and sform) is RAS after reading: the brain spans its known MNI extent', { skip }, async () => {
  const mni = await readScan(join(DATA, 'brain-healthy/MNI152_T1_1mm_brain.nii.gz'));
  assert.deepEqual(mni.dims, [182, 218, 182]);
  assert.equal(mni.source?.datatype, 'int16');
  assert.deepEqual([mni.source?.space.qformCode, mni.source?.space.sformCode], [4, 4]);
  assert.deepEqual(mni.affine, MNI_RAS_AFFINE);
  assert.deepEqual(range(mni.data), [0, 8364]);
  // Frontal pole at y ≈ +73, occipital pole at y ≈ -106, cerebellum down to z ≈ -71, vertex at z ≈ +81:
  // reading the file's y or z backwards would swap these ends.
  const box = foregroundBox(mni);
  assert.deepEqual(box.min, [-70, -106, -71]);
  assert.deepEqual(box.max, [72, 73, 81]);
});

test('the MNI152 template and brain-ms FLAIR share a grid: their brains overlap (Dice > 0.7)', { skip }, async () => {
  const mni = await readScan(join(DATA, 'brain-healthy/MNI152_T1_1mm_brain.nii.gz'));
  const flair = await readScan(join(DATA, 'brain-ms/patient07/FLAIR.nii.gz'));
  assert.deepEqual(flair.affine, mni.affine);
  let both = 0;
  let inMni = 0;
  let inFlair = 0;
  for (let i = 0; i < mni.data.length; i++) {
    const a = mni.data[i] > 0;
    const b = flair.data[i] > 0;
    inMni += +a;
    inFlair += +b;
    both += +(a && b);
  }
  const dice = (2 * both) / (inMni + inFlair); // 0.76 (two different brains registered to MNI)
  assert.ok(dice > 0.7, `Dice ${dice}`);
});

test('the brain-ms lesion mask (uint8, 0/1) lines up with its FLAIR: lesions are hyperintense', { skip }, async () => {
  const flair = await readScan(join(DATA, 'brain-ms/patient07/FLAIR.nii.gz'));
  const mask = await readScan(join(DATA, 'brain-ms/patient07/lesion_mask.nii.gz'));
  assert.equal(mask.source?.datatype, 'uint8');
  assert.deepEqual(mask.affine, flair.affine);
  assert.ok(mask.data.every((x) => x === 0 || x === 1));
  const lesion = meanWhere(flair.data, (i) => mask.data[i] === 1); // 119
  const brain = meanWhere(flair.data, (i) => flair.data[i] > 0); // 86; a y-mirrored mask gives 76
  assert.ok(lesion > 1.25 * brain, `lesion mean ${lesion}, brain mean ${brain}`);
});

test('a map written like the brain-ms FLAIR has its header transform and, given the FLAIR itself, its exact voxels', { skip }, async () => {
  const file = join(DATA, 'brain-ms/patient07/FLAIR.nii.gz');
  const flair = await readScan(file);
  const original = gunzipSync(readFileSync(file));
  const written = gunzipSync(writeMapLikeInput(flair.data, flair));
  const [a, b] = [original, written].map((bytes) => nifti.readHeader(Uint8Array.from(bytes.subarray(0, 352)).buffer) as nifti.NIFTI1);
  for (const field of [
    'dims',
    'pixDims',
    'qform_code',
    'sform_code',
    'quatern_b',
    'quatern_c',
    'quatern_d',
    'qoffset_x',
    'qoffset_y',
    'qoffset_z',
    'affine',
    'xyzt_units',
  ] as const) {
    assert.deepEqual(b[field], a[field], field);
  }
  // Both float32: the file's own order (LAS) is restored value for value (the reader makes -0 into 0).
  const voxels = (bytes: Buffer, offset: number) =>
    new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + flair.data.byteLength));
  const [before, after] = [voxels(original, a.vox_offset), voxels(written, b.vox_offset)];
  assert.ok(
    before.every((x, i) => x === after[i]),
    'the same voxels in the same order',
  );
});

test('Kirby21 FLAIR (sform y reversed, 1.2 mm x voxels) is read in RAS with its anisotropic voxel sizes', { skip }, async () => {
  const flair = await readScan(join(DATA, 'brain-healthy/kirby21-113_FLAIR.nii.gz'));
  assert.deepEqual(flair.dims, [170, 256, 256]);
  assert.deepEqual(flair.spacing, [1.2000000476837158, 1, 1]); // float32 1.2
  assert.deepEqual([flair.source?.space.qformCode, flair.source?.space.sformCode], [2, 1]);
  assert.deepEqual(flair.source?.orientation, { fileAxis: [0, 1, 2], flip: [false, true, false] });
  assert.ok(
    flair.affine!.every((row, r) => r === 3 || row[r] > 0),
    'positive diagonal: RAS',
  );
});

test('magnetic-tile: every test mask has its image size; blowhole masks cover dark pixels', { skip }, async () => {
  const rows = readFileSync(join(DATA, 'magnetic-tile/test.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((row) => row.split(','));
  const defective = rows.filter(([, , label]) => label === '1');
  assert.equal(defective.length, 392);
  let darker = 0;
  let blowholes = 0;
  for (const [image, maskFile, , type] of defective) {
    const [jpeg, png] = await Promise.all([readScan(join(DATA, 'magnetic-tile', image)), readScan(join(DATA, 'magnetic-tile', maskFile))]);
    assert.deepEqual(png.dims, jpeg.dims, image);
    assert.equal(jpeg.dims[2], 1);
    if (type !== 'Blowhole') continue;
    blowholes++;
    const inside = meanWhere(jpeg.data, (i) => png.data[i] > 127);
    const outside = meanWhere(jpeg.data, (i) => png.data[i] <= 127);
    if (inside < outside - 10) darker++;
  }
  // A blowhole is a dark pit: all but one of the 115 are over 10 gray levels darker than their tile.
  assert.ok(darker >= blowholes - 2, `${darker} of ${blowholes} blowhole masks on darker pixels`);
});
