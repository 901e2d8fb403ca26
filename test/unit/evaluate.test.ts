import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { EvaluationReport } from '../../models/evaluate/evaluationReport';
import { evaluateModel } from '../../models/evaluate/evaluateModel';
import { labelledScansFromFolder } from '../../models/evaluate/labelledScans';
import { runEvaluateCommand } from '../../models/evaluateCli';
import { FOREGROUND_THRESHOLD } from '../../models/io/dataset';
import { encodeNifti1 } from '../../models/io/niftiWrite';
import { normalizeVolume } from '../../models/io/normalize';
import type { Volume } from '../../models/io/volume';
import { selectBackend } from '../../models/runtime/backend';
import { BadInputError } from '../../models/io/errors';
import { CancelledError } from '../../models/worker/cancelled';
import { runEvaluate } from '../../models/worker/evaluateJob';
import { runTrain } from '../../models/worker/jobs';
import type { CountProgress } from '../../models/worker/protocol';
import { runTrainPrior } from '../../models/worker/priorJobs';
import { IMAGE_HEIGHT, IMAGE_WIDTH, TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

const root = mkdtempSync(join(tmpdir(), 'evaluate-'));
const modelDir = join(root, 'model');
const testFolder = join(root, 'test');
const quiet = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

/** Writes an 8-bit gray PNG of IMAGE_WIDTH x IMAGE_HEIGHT; `gray(x, y)` gives each pixel. */
function writePng(file: string, gray: (x: number, y: number) => number): void {
  const png = new PNG({ width: IMAGE_WIDTH, height: IMAGE_HEIGHT });
  for (let y = 0; y < IMAGE_HEIGHT; y++) {
    for (let x = 0; x < IMAGE_WIDTH; x++) {
      const v = gray(x, y);
      png.data.set([v, v, v, 255], 4 * (y * IMAGE_WIDTH + x));
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}

/** 3 normal images (no mask) and 3 with a dark 5x4 defect and its `_mask.png`; one defect mask has two regions. */
function writeLabelledFolder(): void {
  writeSyntheticPngs(testFolder, 3);
  for (let k = 0; k < 3; k++) {
    const inDefect = (x: number, y: number) => (x >= 4 + 4 * k && x < 9 + 4 * k && y >= 6 && y < 10) || (k === 2 && x >= 20 && y >= 16);
    writePng(join(testFolder, `defect${k}.png`), (x, y) => (inDefect(x, y) ? 0 : 40 + 6 * x));
    writePng(join(testFolder, `defect${k}_mask.png`), (x, y) => (inDefect(x, y) ? 255 : 0));
  }
}

before(async () => {
  await selectBackend('wasm');
  const trainFolder = join(root, 'train');
  writeSyntheticPngs(trainFolder, 8);
  await runTrain({ folder: trainFolder, modelDir, model: TINY_MODEL, training: TINY_TRAINING }, 'wasm', quiet);
  writeLabelledFolder();
});
after(() => rmSync(root, { recursive: true, force: true }));

const inUnitInterval = (value: number) => value >= 0 && value <= 1;

describe('evaluation of a model on a labelled folder', () => {
  let report: EvaluationReport;
  before(async () => {
    ({ report } = await evaluateModel(modelDir, labelledScansFromFolder(testFolder), { backend: 'wasm', testSet: testFolder }));
  });

  test('counts the scans, samples, pixels and ground-truth regions', () => {
    assert.deepEqual(report.counts, {
      scans: 6,
      scansWithMask: 3,
      samples: 6,
      anomalousSamples: 3,
      totalPixels: 6 * IMAGE_WIDTH * IMAGE_HEIGHT,
      anomalousPixels: 3 * 20 + 4 * 4,
      keptPixels: 6 * IMAGE_WIDTH * IMAGE_HEIGHT,
      regions: 4,
    });
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.groups, {}, 'a folder names no groups');
    assert.equal(report.model.epochs, TINY_TRAINING.epochs);
  });

  test('reports every anomaly map (not the reconstruction) with metrics in [0, 1] and curves from (0, 0) to (1, 1)', () => {
    const names = Object.keys(report.maps);
    assert.ok(names.includes('residual') && names.includes('alignment') && !names.includes('reconstruction'), names.join(', '));
    for (const [name, { pixel, sample, curves }] of Object.entries(report.maps)) {
      for (const [metric, value] of Object.entries({ ...pixel, ...sample })) {
        if (metric === 'inputCorrelation') assert.ok(Math.abs(value as number) <= 1 + 1e-9, `${name} ${metric} = ${JSON.stringify(value)}`);
        else if (metric !== 'bestDiceThreshold') assert.ok(inUnitInterval(value as number), `${name} ${metric} = ${JSON.stringify(value)}`);
      }
      assert.deepEqual(curves.pixelRoc[0], { x: 0, y: 0 });
      assert.deepEqual(curves.pixelRoc.at(-1), { x: 1, y: 1 });
      assert.ok(curves.pixelRoc.length <= 200);
      assert.equal(curves.pixelPrecisionRecall.at(-1)?.x, 1);
    }
    // Black defects on a bright gradient: the residual finds them.
    assert.ok(report.maps.residual.pixel.auroc > 0.7, `residual pixel AUROC ${report.maps.residual.pixel.auroc}`);
    assert.ok(report.timing.meanMsPerScan > 0);
  });
});

test('with a prior, its maps (NLL, restoration, KDE) are evaluated too', async () => {
  const priorModelDir = join(root, 'model-with-prior');
  await runTrain({ folder: join(root, 'train'), modelDir: priorModelDir, model: TINY_MODEL, training: TINY_TRAINING }, 'wasm', quiet);
  const prior = { dModel: 16, layers: 1, heads: 2, feedForward: 32 };
  await runTrainPrior({ modelDir: priorModelDir, folder: join(root, 'train'), prior, training: { epochs: 1, batchSize: 4 } }, 'wasm', quiet);
  const { report: withPrior } = await evaluateModel(priorModelDir, labelledScansFromFolder(testFolder), {
    backend: 'wasm',
    testSet: testFolder,
    scoring: { priorMaps: { restorationSamples: 2, kdeSamplings: 1, kdeDropoutDecodes: 2 } },
  });
  for (const name of ['nll', 'restoration', 'kde']) {
    assert.ok(name in withPrior.maps, `the ${name} map is evaluated`);
    assert.ok(inUnitInterval(withPrior.maps[name].pixel.auroc), `${name} pixel AUROC ${withPrior.maps[name].pixel.auroc}`);
  }
});

test('a volume gives one sample per slice with foreground, anomalous from the minimum lesion area; its pixels are those of the body and the lesions', async () => {
  const folder = join(root, 'patient');
  mkdirSync(folder);
  const [w, h, d] = [16, 16, 4];
  const scan: Volume = { dims: [w, h, d], spacing: [1, 1, 1], data: new Float32Array(w * h * d) };
  const mask: Volume = { ...scan, data: new Float32Array(w * h * d) };
  // Slices 0-2: a body right of column 4; slice 3 stays empty: no foreground.
  for (let i = 0; i < w * h * 3; i++) if (i % w >= 4) scan.data[i] = 100 + (i % 37);
  const square = (z: number, side: number) => {
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) mask.data[z * w * h + (y + 2) * w + x + 2] = 1;
  };
  square(0, 5); // 25 pixels: an anomalous slice
  square(1, 2); // 4 pixels, below the minimum area of 20: a normal slice, but its pixels still count
  writeFileSync(join(folder, 'FLAIR.nii.gz'), encodeNifti1(scan, { datatype: 'float32' }));
  writeFileSync(join(folder, 'lesion_mask.nii.gz'), encodeNifti1(mask, { datatype: 'uint8' }));

  const { report } = await evaluateModel(modelDir, labelledScansFromFolder(folder), { backend: 'wasm', testSet: folder });
  assert.equal(report.counts.samples, 3);
  assert.equal(report.counts.anomalousSamples, 1);
  assert.equal(report.counts.anomalousPixels, 29);
  assert.equal(report.counts.regions, 2);
  const normalized = normalizeVolume(scan);
  const bodyOrLesion = normalized.filter((v, i) => i < 3 * w * h && (v > FOREGROUND_THRESHOLD || mask.data[i] === 1)).length;
  assert.ok(bodyOrLesion < 3 * w * h - 3 * 4 * h + 29, 'the background columns are left out, the lesions kept');
  assert.equal(report.counts.totalPixels, bodyOrLesion);
  const { report: lowered } = await evaluateModel(modelDir, labelledScansFromFolder(folder), { backend: 'wasm', testSet: folder, minLesionArea: 4 });
  assert.equal(lowered.counts.anomalousSamples, 2);
});

test('the evaluate command writes report.json, report.md and the plots; bad arguments exit with 2', async () => {
  const out = join(root, 'report');
  const code = await runEvaluateCommand([modelDir, testFolder, '--out', out, '--limit', '4', '--backend', 'wasm']);
  assert.equal(code, 0);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as EvaluationReport;
  assert.equal(report.counts.scans, 4);
  assert.equal(report.options.limit, 4);
  const markdown = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(markdown, /\| residual \| \d\.\d{3} \|/);
  assert.match(markdown, /!\[Pixel ROC\]\(pixel-roc\.svg\)/);
  for (const plot of ['pixel-roc.svg', 'pixel-pr.svg', 'sample-roc.svg']) {
    assert.match(readFileSync(join(out, plot), 'utf8'), /^<svg[^]*<polyline[^]*<\/svg>/);
  }
  assert.equal(await runEvaluateCommand([modelDir, testFolder]), 2);
  assert.equal(await runEvaluateCommand([modelDir, testFolder, '--out', out, '--limit', '0']), 2);
  assert.equal(await runEvaluateCommand([modelDir, join(root, 'missing'), '--out', out]), 1);
  assert.ok(!existsSync(join(root, 'missing')));
});

describe('the worker job `evaluate`', () => {
  test('writes the report folder with the plots and example overlays, reports progress per scan, and returns the metrics without curves', async () => {
    const outDir = join(root, 'evaluations', 'test-1');
    const progress: CountProgress[] = [];
    const result = await runEvaluate({ modelDir, target: testFolder, outDir, options: { limit: 5 } }, 'wasm', {
      ...quiet,
      onProgress: (p) => progress.push(p),
    });

    const names = ['example-missed.png', 'example-top-scoring.png', 'pixel-pr.svg', 'pixel-roc.svg', 'report.json', 'report.md', 'sample-roc.svg'];
    assert.deepEqual(readdirSync(outDir).sort(), names);
    assert.deepEqual(
      result.files.slice().sort(),
      names.map((name) => join(outDir, name)),
    );
    assert.deepEqual(readdirSync(join(root, 'evaluations')), ['test-1'], 'no temporary folder is left');
    assert.deepEqual(
      progress.map((p) => `${p.done}/${p.total}`),
      ['1/5', '2/5', '3/5', '4/5', '5/5'],
    );

    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as EvaluationReport;
    assert.equal(result.summary.counts.scans, 5);
    assert.equal(result.summary.maps.residual.pixel.auroc, report.maps.residual.pixel.auroc);
    assert.ok(!('curves' in result.summary.maps.residual), 'the summary leaves the curves in report.json');
    assert.deepEqual(
      result.summary.examples.map((e) => e.role),
      ['missed', 'top-scoring'],
    );
    const markdown = readFileSync(join(outDir, 'report.md'), 'utf8');
    assert.match(markdown, /!\[missed\]\(example-missed\.png\)/);
    assert.match(markdown, /!\[top-scoring\]\(example-top-scoring\.png\)/);
  });

  test('takes a test.csv as its test set', async () => {
    const csv = join(root, 'test.csv');
    writeFileSync(csv, 'image,mask,label\ntest/defect0.png,test/defect0_mask.png,1\ntest/image0.png,,0\n');
    const result = await runEvaluate({ modelDir, target: csv, outDir: join(root, 'evaluations', 'csv') }, 'wasm', quiet);
    assert.deepEqual([result.summary.counts.scans, result.summary.counts.anomalousSamples], [2, 1]);
  });

  test('a cancel stops it before the next scan and writes nothing', async () => {
    const outDir = join(root, 'evaluations', 'cancelled');
    let scans = 0;
    const control = { ...quiet, onProgress: () => scans++, isCancelled: () => scans >= 1 };
    await assert.rejects(runEvaluate({ modelDir, target: testFolder, outDir }, 'wasm', control), CancelledError);
    assert.equal(scans, 1);
    assert.ok(!readdirSync(join(root, 'evaluations')).some((name) => name.startsWith('cancelled')), 'no report folder, no temporary one');
  });

  test('clear errors for a folder without masks (naming the conventions), an empty folder and a folder that is not a model', async () => {
    const outDir = join(root, 'evaluations', 'failed');
    const evaluate = (target: string, model = modelDir) => runEvaluate({ modelDir: model, target, outDir }, 'wasm', quiet);
    await assert.rejects(evaluate(join(root, 'train')), (error: Error) => {
      assert.ok(error instanceof BadInputError);
      assert.match(error.message, /train: none of its 8 scans has a ground-truth mask\. Looked for <name>_mask\.png beside the scan, masks\/<name>\.png/);
      return true;
    });
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await assert.rejects(evaluate(empty), /empty: no scans \(PNG, JPEG or NIfTI\) to evaluate/);
    await assert.rejects(
      evaluate(testFolder, testFolder),
      (error: Error) => error instanceof BadInputError && error.message.includes(`${testFolder} is not a model folder`),
    );
    assert.ok(!existsSync(outDir));
  });
});
