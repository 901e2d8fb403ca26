// The training set of a folder: which files are listed, which slices are kept, and how failures are
// reported.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listScanFiles, loadTrainingSlices, MODELS_FOLDER_NAME, validationSplit } from '../../models/io/dataset';
import { BadInputError } from '../../models/io/errors';
import { encodeGrayPng } from '../../models/io/image2d';
import { encodeNifti1 } from '../../models/io/niftiWrite';
import { SliceCache } from '../../models/io/sliceCache';
import { handWrittenNifti } from './ioFixtures';

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
  return encodeGrayPng(
    Float32Array.from({ length: w * h }, (_, i) => (i % w) / (w - 1)),
    w,
    h,
  );
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
    assert.ok(
      slice.subarray(0, 8).every((x) => x > 0.9),
      'top row bright',
    );
    assert.ok(
      slice.subarray(8).every((x) => x === 0),
      'other rows dark',
    );
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
  await assert.rejects(
    loadTrainingSlices(empty, 8),
    (e: unknown) => e instanceof BadInputError && e.message === `${empty}: no scan files found (supported: .nii, .nii.gz, .png, .jpg, .jpeg)`,
  );
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
  const masks = listing.skipped
    .filter((s) => /a mask/.test(s.reason))
    .map((s) => s.file)
    .sort();
  assert.deepEqual(masks, [
    join(dir, 'a_mask.png'),
    join(dir, 'brain_seg.nii.gz'),
    join(dir, 'ground_truth', 'b.png'),
    join(dir, 'lesion_mask.nii.gz'),
    join(dir, 'tile.png'),
  ]);
});

test('include and exclude patterns select files; maskPatterns add masks to the conventions', () => {
  const dir = folder('patterns');
  mkdirSync(join(dir, 'good', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'bad'));
  const png = rampPng(4, 4);
  for (const name of ['good/a.png', 'good/deep/b.png', 'good/c.jpg', 'good/a_label.png', 'bad/d.png', 'e.png']) writeFileSync(join(dir, name), png);
  const listing = listScanFiles(dir, { include: ['good/**'], exclude: ['*.jpg'], maskPatterns: ['*_label.png'] });
  assert.deepEqual(listing.files, [join(dir, 'good', 'a.png'), join(dir, 'good', 'deep', 'b.png')]);
  const reasons = Object.fromEntries(listing.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason]));
  assert.deepEqual(reasons, {
    'good/a_label.png': 'a mask (ground truth), not a scan',
    'good/c.jpg': 'matched by an exclude pattern (*.jpg)',
    'bad/d.png': 'not matched by the include patterns (good/**)',
    'e.png': 'not matched by the include patterns (good/**)',
  });
});

test('a second load of the same folder takes the prepared slices from the cache; an edited file is read again', async () => {
  const dir = folder('cached');
  for (const name of ['a.png', 'b.png', 'c.png']) writeFileSync(join(dir, name), rampPng(6, 6));
  const cache = new SliceCache();
  const first = await loadTrainingSlices(dir, 8, undefined, { cache });
  assert.deepEqual([cache.hits, cache.misses], [0, 3]);
  const second = await loadTrainingSlices(dir, 8, undefined, { cache });
  assert.deepEqual([cache.hits, cache.misses], [3, 3]);
  assert.equal(second.slices[0], first.slices[0], 'the very same arrays');
  await loadTrainingSlices(dir, 16, undefined, { cache }); // another input size: other slices
  assert.deepEqual([cache.hits, cache.misses], [3, 6]);
  writeFileSync(join(dir, 'b.png'), rampPng(7, 7));
  await loadTrainingSlices(dir, 8, undefined, { cache });
  assert.deepEqual([cache.hits, cache.misses], [5, 7]);
  // A budget smaller than one file's slices keeps nothing.
  const tiny = new SliceCache(10);
  await loadTrainingSlices(dir, 8, undefined, { cache: tiny });
  await loadTrainingSlices(dir, 8, undefined, { cache: tiny });
  assert.deepEqual([tiny.hits, tiny.misses], [0, 6]);
});

test("the validation split is by file, seeded, and keeps a volume's slices together", async () => {
  const dir = folder('split');
  const names = Array.from({ length: 9 }, (_, i) => `img${i}.png`);
  for (const name of names) writeFileSync(join(dir, name), rampPng(6, 6));
  // A 4x4x3 volume with foreground in all three slices: its 3 slices go to one side together.
  const volume = Float32Array.from({ length: 48 }, (_, i) => 1 + (i % 7));
  writeFileSync(join(dir, 'vol.nii.gz'), encodeNifti1({ dims: [4, 4, 3], spacing: [1, 1, 1], data: volume }, { datatype: 'uint8' }));
  const lines: string[] = [];
  const result = await loadTrainingSlices(dir, 8, (line) => lines.push(line), { validationFraction: 0.3, seed: 7 });
  assert.equal(result.validation.files.length, 3); // round(0.3 · 10)
  assert.equal(result.files.length, 7);
  assert.ok(
    result.files.every((f) => !result.validation.files.includes(f)),
    'disjoint',
  );
  const slicesOf = (files: string[]) => files.reduce((n, f) => n + (f.endsWith('.nii.gz') ? 3 : 1), 0);
  assert.equal(result.slices.length, slicesOf(result.files));
  assert.equal(result.validation.slices.length, slicesOf(result.validation.files));
  assert.match(
    lines.join('\n'),
    new RegExp(`${result.slices.length} training slices from 7 files and ${result.validation.slices.length} validation slices from 3 files`),
  );
  // The same seed gives the same split; the split does not depend on the listing order.
  const files = [...result.files, ...result.validation.files].sort();
  assert.deepEqual(validationSplit(files, 0.3, 7).sort(), [...result.validation.files].sort());
  assert.notDeepEqual(validationSplit(files, 0.3, 8).sort(), [...result.validation.files].sort());
  // At least one file for validation when asked, at least one left for training.
  assert.equal(validationSplit(['a', 'b'], 0.01, 0).length, 1);
  assert.equal(validationSplit(['a', 'b'], 0.99, 0).length, 1);
  assert.deepEqual(validationSplit(['a', 'b'], 0, 0), []);
  assert.throws(() => validationSplit(['a'], 1, 0), /validation fraction 1 is not in \[0, 1\)/);
});

test('z-score normalization and a 4D volume index reach the slices', async () => {
  const dir = folder('options');
  // 2x2x1 volumes of a 4D file (3 volumes); no zero background. Volume 1 is 10, 20, 30, 40.
  const values = [1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, 0];
  writeFileSync(join(dir, 'fmri.nii'), handWrittenNifti({ littleEndian: true, dims: [2, 2, 1, 3], datatype: 2, bytes: 1, values }));
  const first = await loadTrainingSlices(dir, 2, undefined, { cache: new SliceCache() });
  const second = await loadTrainingSlices(dir, 2, undefined, { cache: new SliceCache(), volumeIndex: 1 });
  // Percentile normalization of 1..4 and of 10..40 gives the same slice.
  assert.deepEqual(first.slices, second.slices);
  // z-score of 10, 20, 30, 40: mean 25, std √125 = 11.18; out = (x - 25) / (6 · 11.18) + 0.5, with
  // NIfTI's bottom-up rows shown top row first: 30, 40 then 10, 20.
  const zscore = await loadTrainingSlices(dir, 2, undefined, { cache: new SliceCache(), volumeIndex: 1, normalization: 'zscore' });
  const std = Math.sqrt(125);
  [30, 40, 10, 20].forEach((x, i) => assert.ok(Math.abs(zscore.slices[0][i] - ((x - 25) / (6 * std) + 0.5)) < 1e-6, `pixel ${i}`));
  await assert.rejects(loadTrainingSlices(dir, 2, undefined, { volumeIndex: 3 }), /volume index 3 is out of range \(the file holds 3 volumes/);
});
