import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { parseCsv, parseCsvRecords } from '../../models/evaluate/csvTable';
import { readMask } from '../../models/evaluate/groundTruth';
import { labelledScansFromCsv, labelledScansFromFolder } from '../../models/evaluate/labelledScans';
import { findMask } from '../../models/io/maskConventions';
import { PixelSample } from '../../models/evaluate/pixelSample';
import { evenlySpaced } from '../../models/io/evenlySpaced';
import { groupMetrics } from '../../models/evaluate/samples';

const root = mkdtempSync(join(tmpdir(), 'evaluate-inputs-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes an 8-bit gray PNG whose pixel values are given row by row. */
function writeGrayPng(file: string, width: number, height: number, values: number[]): void {
  const png = new PNG({ width, height });
  values.forEach((v, i) => png.data.set([v, v, v, 255], 4 * i));
  writeFileSync(file, PNG.sync.write(png));
}

test('parseCsv reads quoted fields with commas, doubled quotes and line breaks, CRLF lines and a final line without break', () => {
  const text = 'image,mask,label\r\n"a, b.jpg","say ""hi""",1\r\nplain.png,,0\n"two\nlines",x,1';
  assert.deepEqual(parseCsv(text), [
    ['image', 'mask', 'label'],
    ['a, b.jpg', 'say "hi"', '1'],
    ['plain.png', '', '0'],
    ['two\nlines', 'x', '1'],
  ]);
  assert.deepEqual(parseCsvRecords('\uFEFFimage, label\nx.png,1\n\n'), [{ image: 'x.png', label: '1' }]);
  assert.throws(() => parseCsv('a,"b\n'), /not closed/);
});

test('a CSV test set: paths relative to the CSV, label and defect type; a bad label names the row', () => {
  const folder = join(root, 'csv');
  mkdirSync(folder);
  const csv = join(folder, 'test.csv');
  writeFileSync(csv, 'image,mask,label,defect_type\nImgs/a.jpg,Imgs/a.png,0,Free\n"Imgs/b, 2.jpg",Imgs/b.png,1,Crack\nImgs/c.jpg,,,\n');
  assert.deepEqual(labelledScansFromCsv(csv), [
    { scan: join(folder, 'Imgs/a.jpg'), mask: join(folder, 'Imgs/a.png'), label: 0, group: 'Free' },
    { scan: join(folder, 'Imgs/b, 2.jpg'), mask: join(folder, 'Imgs/b.png'), label: 1, group: 'Crack' },
    { scan: join(folder, 'Imgs/c.jpg') },
  ]);
  writeFileSync(csv, 'image,label\na.jpg,0\nb.jpg,yes\n');
  assert.throws(() => labelledScansFromCsv(csv), /test\.csv, row 2: label "yes" is not a number \(1 or 0, or a probability: defective from 0\.5\)/);
  // Numeric labels: 1.0 and 0.0, and probabilities, defective from 0.5.
  writeFileSync(csv, 'image,label\na.jpg,1.0\nb.jpg,0.0\nc.jpg,0.5\nd.jpg,0.49\n');
  assert.deepEqual(
    labelledScansFromCsv(csv).map((scan) => scan.label),
    [1, 0, 1, 0],
  );
  writeFileSync(csv, 'file,label\na.jpg,0\n');
  assert.throws(() => labelledScansFromCsv(csv), /no "image" column/);
  writeFileSync(csv, 'image;label\na.jpg;0\n');
  assert.throws(() => labelledScansFromCsv(csv), {
    message: `${csv}: no "image" column in the header (its columns are separated by ";": separate them by commas)`,
  });
});

test('masks are found by convention; a scan without one is listed without a mask', () => {
  const folder = join(root, 'conventions');
  for (const dir of ['masks', 'tile', 'patient', 'mvtec/test/crack', 'mvtec/ground_truth/crack']) mkdirSync(join(folder, dir), { recursive: true });
  const files = [
    'a.png',
    'a_mask.png',
    'b.png',
    'masks/b.png',
    'tile/c.jpg',
    'tile/c.png',
    'd.png',
    'patient/FLAIR.nii.gz',
    'patient/T1.nii.gz',
    'patient/lesion_mask.nii.gz',
    'mvtec/test/crack/000.png',
    'mvtec/ground_truth/crack/000_mask.png',
  ];
  for (const file of files) writeFileSync(join(folder, file), '');
  const at = (file: string) => join(folder, file);
  assert.deepEqual(labelledScansFromFolder(folder), [
    { scan: at('a.png'), mask: at('a_mask.png') },
    { scan: at('b.png'), mask: at('masks/b.png') },
    { scan: at('d.png'), mask: undefined },
    { scan: at('mvtec/test/crack/000.png'), mask: at('mvtec/ground_truth/crack/000_mask.png') },
    { scan: at('patient/FLAIR.nii.gz'), mask: at('patient/lesion_mask.nii.gz') },
    { scan: at('patient/T1.nii.gz'), mask: at('patient/lesion_mask.nii.gz') },
    { scan: at('tile/c.jpg'), mask: at('tile/c.png') },
  ]);
  // Of several NIfTI masks, the one sharing the longest name prefix with the scan.
  writeFileSync(at('patient/T1_mask.nii.gz'), '');
  assert.equal(findMask(at('patient/T1.nii.gz')), at('patient/T1_mask.nii.gz'));
});

test('readMask thresholds 8-bit masks above 127 and resizes a mask of another size to the scan', async () => {
  const file = join(root, 'mask.png');
  writeGrayPng(file, 4, 2, [0, 127, 128, 255, 0, 0, 255, 255]);
  assert.deepEqual(Array.from(await readMask(file, [4, 2, 1])), [0, 0, 1, 1, 0, 0, 1, 1]);
  // Twice the size: each mask pixel becomes a 2x2 block.
  const doubled = await readMask(file, [8, 4, 1]);
  assert.deepEqual(Array.from(doubled.subarray(0, 8)), [0, 0, 0, 0, 1, 1, 1, 1]);
  const zeroOne = join(root, 'zero-one.png');
  writeGrayPng(zeroOne, 2, 1, [0, 1]);
  assert.deepEqual(Array.from(await readMask(zeroOne, [2, 1, 1])), [0, 1]);
  await assert.rejects(readMask(file, [4, 2, 3]), /mask\.png: the mask is 4x2x1 but its scan is 4x2x3/);
});

test('PixelSample keeps everything under the cap; over it, every anomalous pixel and a weighted, seeded share of the normal ones', () => {
  const slicePixels = 500;
  const regions = new Int32Array(slicePixels);
  regions.fill(1, 0, 30);
  regions.fill(2, 300, 310);
  const slice = { maps: { residual: Float32Array.from({ length: slicePixels }, (_, i) => i) }, regions, regionCount: 2 };

  const exact = new PixelSample(['residual'], 2, 10_000);
  exact.addScan([slice]);
  exact.addScan([slice, slice]);
  const all = exact.pixels();
  assert.equal(all.keptPixels, 1500);
  assert.ok(all.weights.every((w) => w === 1));
  assert.equal(all.regionCount, 6);
  assert.deepEqual([all.regions[0], all.regions[500], all.regions[1000], all.regions[1300]], [1, 3, 5, 6], 'regions are numbered on across slices and scans');

  // A budget of 100 normal pixels per scan, whatever its number of slices.
  const sampled = () => {
    const sample = new PixelSample(['residual'], 2, 200);
    sample.addScan([slice]);
    sample.addScan([slice, slice]);
    return sample.pixels();
  };
  const some = sampled();
  assert.equal(some.totalPixels, 1500);
  assert.equal(some.anomalousPixels, 120);
  assert.ok(some.keptPixels > 120 + 150 && some.keptPixels < 120 + 250, `${some.keptPixels} kept`);
  const normalWeight = some.weights.reduce((sum, w, i) => sum + (some.labels[i] === 0 ? w : 0), 0);
  assert.ok(Math.abs(normalWeight - 3 * 460) < 1e-3, 'the kept normal pixels stand for all of them');
  assert.deepEqual(sampled().scores.residual, some.scores.residual, 'the same seed keeps the same pixels');
});

test('evenlySpaced picks items over the whole list', () => {
  assert.deepEqual(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4), [0, 2, 5, 7]);
  assert.deepEqual(evenlySpaced([1, 2], 5), [1, 2]);
  assert.deepEqual(evenlySpaced([1, 2]), [1, 2]);
});

test('groupMetrics: the samples of each group against all normal samples', () => {
  const metrics = groupMetrics({
    scores: { residual: [0.9, 0.2, 0.5, 0.1, 0.3] },
    labels: [1, 1, 0, 0, 0],
    groups: ['Crack', 'Fray', 'Free', 'Free', 'Free'],
  });
  assert.deepEqual(Object.keys(metrics), ['Crack', 'Fray', 'Free']);
  assert.deepEqual(metrics.Crack, { samples: 1, anomalousSamples: 1, sampleAuroc: { residual: 1 } });
  // 0.2 beats one of the normal scores 0.5, 0.1, 0.3.
  assert.ok(Math.abs(metrics.Fray.sampleAuroc.residual - 1 / 3) < 1e-6);
  assert.equal(metrics.Free.samples, 3);
  assert.ok(Number.isNaN(metrics.Free.sampleAuroc.residual));
  assert.deepEqual(groupMetrics({ scores: { residual: [0.1] }, labels: [0], groups: [''] }), {});
});
