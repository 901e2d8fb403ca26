// The training set of a folder: which files are listed, which slices are kept, and how failures are
// reported.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listScanFiles, loadTrainingSlices, MODELS_FOLDER_NAME } from '../../models/io/dataset';
import { BadInputError } from '../../models/io/errors';
import { encodeGrayPng } from '../../models/io/image2d';
import { encodeNifti1 } from '../../models/io/niftiWrite';

const root = mkdtempSync(join(tmpdir(), 'dataset-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A new empty folder under the test's temporary root. */
function folder(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

/** A horizontal ramp 0..1 of the given size as a gray PNG. */
function rampPng(w: number, h: number): Buffer {
  return encodeGrayPng(Float32Array.from({ length: w * h }, (_, i) => (i % w) / (w - 1)), w, h);
}

test('PNGs of different sizes give inputSize^2 slices in [0, 1]; other files are skipped with a reason', async () => {
  const dir = folder('pngs');
  writeFileSync(join(dir, 'b.png'), rampPng(20, 10));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'a.png'), rampPng(8, 6));
  writeFileSync(join(dir, 'c.png'), rampPng(5, 40));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, MODELS_FOLDER_NAME));
  writeFileSync(join(dir, MODELS_FOLDER_NAME, 'preview.png'), rampPng(4, 4));

  const listing = listScanFiles(dir);
  assert.deepEqual(listing.files, [join(dir, 'b.png'), join(dir, 'c.png'), join(dir, 'sub', 'a.png')]);

  const result = await loadTrainingSlices(dir, 16);
  assert.equal(result.slices.length, 3);
  assert.deepEqual(result.files, listing.files);
  for (const slice of result.slices) {
    assert.equal(slice.length, 16 * 16);
    assert.ok(slice.every((x) => x >= 0 && x <= 1));
    // The ramp survives normalization and resizing: dark on the left, bright on the right.
    assert.ok(slice[0] < 0.1 && slice[15] > 0.9, `row 0 from ${slice[0]} to ${slice[15]}`);
  }
  assert.equal(result.skipped.length, 1);
  assert.equal(result.skipped[0].file, join(dir, 'notes.txt'));
  assert.match(result.skipped[0].reason, /not a scan file/);
});

test('a volume gives its axial slices with foreground, upright (last stored row on top)', async () => {
  const dir = folder('volume');
  // 8x8x5, slices 1..3 bright in their last stored row (y = 7), slices 0 and 4 empty.
  const data = new Float32Array(8 * 8 * 5);
  for (let z = 1; z <= 3; z++) data.fill(200, (z * 8 + 7) * 8, (z * 8 + 8) * 8);
  writeFileSync(join(dir, 'scan.nii.gz'), encodeNifti1({ dims: [8, 8, 5], spacing: [1, 1, 1], data }, { datatype: 'uint8' }));
  const lines: string[] = [];
  const result = await loadTrainingSlices(dir, 8, (line) => lines.push(line));
  assert.equal(result.slices.length, 3);
  for (const slice of result.slices) {
    assert.ok(slice.subarray(0, 8).every((x) => x > 0.9), 'top row bright');
    assert.ok(slice.subarray(8).every((x) => x === 0), 'other rows dark');
  }
  assert.match(lines.join('\n'), /3 training slices from 1 files \(0 skipped\)/);
});

test('an unreadable file is skipped with its reason, not fatal', async () => {
  const dir = folder('mixed');
  writeFileSync(join(dir, 'good.png'), rampPng(6, 6));
  writeFileSync(join(dir, 'broken.png'), 'garbage');
  const result = await loadTrainingSlices(dir, 8);
  assert.equal(result.slices.length, 1);
  assert.deepEqual(result.files, [join(dir, 'good.png')]);
  assert.equal(result.skipped.length, 1);
  assert.match(result.skipped[0].reason, /broken\.png: not a readable PNG/);
});

test('a folder with nothing usable is a BadInputError saying why', async () => {
  const empty = folder('empty');
  writeFileSync(join(empty, 'readme.txt'), 'hi');
  await assert.rejects(loadTrainingSlices(empty, 8), (e: unknown) => e instanceof BadInputError && e.message === `${empty}: no scan files found (supported: .nii, .nii.gz, .png, .jpg, .jpeg)`);
  const broken = folder('broken');
  writeFileSync(join(broken, 'x.jpg'), 'garbage');
  await assert.rejects(loadTrainingSlices(broken, 8), /none of the 1 scan files could be used \(first problem: .*x\.jpg: not a readable JPEG/);
  const missing = join(root, 'missing');
  await assert.rejects(loadTrainingSlices(missing, 8), (e: unknown) => e instanceof BadInputError && e.message === `${missing}: not a folder`);
});

test('masks are recognised by the naming conventions and never listed as scans', () => {
  const dir = folder('with-masks');
  const png = rampPng(4, 4);
  for (const name of ['a.png', 'a_mask.png', 'tile.jpg', 'tile.png', 'lesion_mask.nii.gz', 'brain_seg.nii.gz']) {
    writeFileSync(join(dir, name), png);
  }
  mkdirSync(join(dir, 'ground_truth'));
  writeFileSync(join(dir, 'ground_truth', 'b.png'), png);
  const listing = listScanFiles(dir);
  assert.deepEqual(listing.files, [join(dir, 'a.png'), join(dir, 'tile.jpg')]);
  const masks = listing.skipped.filter((s) => /a mask/.test(s.reason)).map((s) => s.file).sort();
  assert.deepEqual(masks, [
    join(dir, 'a_mask.png'), join(dir, 'brain_seg.nii.gz'), join(dir, 'ground_truth', 'b.png'),
    join(dir, 'lesion_mask.nii.gz'), join(dir, 'tile.png'),
  ]);
});
