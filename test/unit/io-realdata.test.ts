// Reading the real data in ../shared/data (brain MRI volumes, industrial JPEGs with PNG masks);
// skipped when that folder is absent.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readScan } from '../../models/io/volume';

// Tests run from the repository root; the shared data lies beside the checkout.
const DATA = resolve(process.cwd(), '../shared/data');
const skip = existsSync(DATA) ? false : `shared data absent: ${DATA}`;

const MNI_AFFINE = [
  [-1, 0, 0, 90],
  [0, 1, 0, -126],
  [0, 0, 1, -72],
  [0, 0, 0, 1],
];

test('brain-ms patient07 FLAIR: 182x218x182, 1 mm, MNI affine, finite float values', { skip }, async () => {
  const flair = await readScan(join(DATA, 'brain-ms/patient07/FLAIR.nii.gz'));
  assert.deepEqual(flair.dims, [182, 218, 182]);
  assert.deepEqual(flair.spacing, [1, 1, 1]);
  assert.deepEqual(flair.affine, MNI_AFFINE);
  assert.equal(flair.rowOrder, 'bottom-up');
  assert.ok(flair.data.every(Number.isFinite));
  const max = flair.data.reduce((a, b) => Math.max(a, b));
  assert.ok(max > 150 && max < 250, `max ${max}`); // 200.4 in the file
  assert.ok(flair.data.some((x) => !Number.isInteger(x)), 'float32 values, not quantized');
});

test('brain-ms patient07 lesion mask: 0/1 on the FLAIR grid', { skip }, async () => {
  const mask = await readScan(join(DATA, 'brain-ms/patient07/lesion_mask.nii.gz'));
  assert.deepEqual(mask.dims, [182, 218, 182]);
  assert.deepEqual(mask.affine, MNI_AFFINE);
  assert.ok(mask.data.every((x) => x === 0 || x === 1));
  assert.ok(mask.data.some((x) => x === 1));
});

test('MNI152 template (int16) has the brain-ms grid', { skip }, async () => {
  const mni = await readScan(join(DATA, 'brain-healthy/MNI152_T1_1mm_brain.nii.gz'));
  assert.deepEqual(mni.dims, [182, 218, 182]);
  assert.deepEqual(mni.spacing, [1, 1, 1]);
  assert.ok(mni.data.some((x) => x > 0));
});

test('a magnetic-tile JPEG and its PNG mask have the same size; the mask marks the defect', { skip }, async () => {
  const rows = readFileSync(join(DATA, 'magnetic-tile/test.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const [image, mask] = rows.find((row) => row.endsWith(',1,Blowhole'))!.split(',');
  const jpeg = await readScan(join(DATA, 'magnetic-tile', image));
  const png = await readScan(join(DATA, 'magnetic-tile', mask));
  assert.deepEqual(jpeg.dims, png.dims);
  assert.equal(jpeg.dims[2], 1);
  assert.ok(jpeg.data.every((x) => x >= 0 && x <= 255));
  assert.ok(png.data.some((x) => x > 127), 'defect pixels in the mask');
});
