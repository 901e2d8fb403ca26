// The bundled sample workspace (sample/, made by scripts/make-sample.ts) reads as documented in
// sample/README.md, and its PNG slices match the slices of its NIfTI volume.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadTrainingSlices } from '../../models/io/dataset';
import { normalizeVolume } from '../../models/io/normalize';
import { axialSlice } from '../../models/io/slice';
import { readScan } from '../../models/io/volume';

const SAMPLE = resolve(process.cwd(), 'sample');
/** First slice of the original patient 26 volume kept in the cropped sample volume. */
const FIRST_SLICE = 23;

test('sample/train gives one 64x64 training slice per PNG, none skipped', async () => {
  const pngs = readdirSync(resolve(SAMPLE, 'train')).filter((f) => f.endsWith('.png'));
  assert.ok(pngs.length >= 50, `${pngs.length} PNGs`);
  const result = await loadTrainingSlices(resolve(SAMPLE, 'train'), 64);
  assert.equal(result.slices.length, pngs.length);
  assert.deepEqual(result.skipped, []);
  assert.ok(result.slices.every((s) => s.length === 64 * 64));
});

test('sample FLAIR and lesion mask share the cropped grid; the (RAS) affine follows the crop', async () => {
  const flair = await readScan(resolve(SAMPLE, 'scans/patient26_FLAIR.nii.gz'));
  const mask = await readScan(resolve(SAMPLE, 'scans/patient26_lesion_mask.nii.gz'));
  assert.deepEqual(flair.dims, [182, 218, 121]);
  assert.deepEqual(mask.dims, flair.dims);
  assert.deepEqual(flair.spacing, [1, 1, 1]);
  // MNI grid in RAS: x = i - 91; original origin z = -72 at slice 0, so -72 + 23 at the first kept slice.
  assert.deepEqual(
    flair.affine?.map((row) => row[3]),
    [-91, -126, -72 + FIRST_SLICE, 1],
  );
  assert.deepEqual(mask.affine, flair.affine);
  assert.ok(mask.data.every((x) => x === 0 || x === 1));
  assert.ok(mask.data.filter((x) => x === 1).length > 1000, 'lesions present');
});

test('the sample PNG of slice 90 shows the same (upright) image as slice 90 of the sample volume', async () => {
  const flair = await readScan(resolve(SAMPLE, 'scans/patient26_FLAIR.nii.gz'));
  const fromVolume = axialSlice({ ...flair, data: normalizeVolume(flair) }, 90 - FIRST_SLICE);
  const png = await readScan(resolve(SAMPLE, 'scans/p26_z090.png'));
  assert.deepEqual(png.dims, [182, 218, 1]);
  let difference = 0;
  for (let i = 0; i < fromVolume.length; i++) difference += Math.abs(255 * fromVolume[i] - png.data[i]);
  // Both are normalized the same way; only the volume's 8-bit storage differs (0.8; upside down: 18).
  assert.ok(difference / fromVolume.length < 3, `mean difference ${difference / fromVolume.length} gray levels`);
});
