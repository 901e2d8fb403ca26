import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { MODEL_OPTION_DEFAULTS } from '../../models/vqvae/config';
import { PNG } from 'pngjs';
import { handWrittenNifti } from './ioFixtures';
import { builtBundle, IMAGE_HEIGHT, IMAGE_WIDTH, TINY_MODEL, writeSyntheticPngs } from './workerFixtures';

const execFileAsync = promisify(execFile);

/** Runs `node dist/cli.js ...args`; resolves with its exit code and output even when it fails. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [builtBundle('cli.js'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The flags of the tiny test model, one per VqVaeConfig field. */
const TINY_FLAGS = [
  '--input-size',
  `${TINY_MODEL.inputSize}`,
  '--channels',
  TINY_MODEL.channels.join(','),
  '--residual-blocks',
  `${TINY_MODEL.residualBlocks}`,
  '--codebook-size',
  `${TINY_MODEL.codebookSize}`,
  '--codebook-dim',
  `${TINY_MODEL.codebookDim}`,
  '--beta',
  '0.5',
  '--dropout',
  '0',
  '--batch-size',
  '4',
  '--lr',
  '0.002',
  '--seed',
  '7',
  '--backend',
  'wasm',
];

describe('command-line interface', () => {
  let temp: string;
  let images: string[];
  const dataDir = () => join(temp, 'data');
  const modelDir = () => join(temp, 'model');

  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'cli-test-'));
    images = writeSyntheticPngs(dataDir(), 8);
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  test('train writes a model whose manifest holds the flags; progress goes to stderr', async () => {
    const { code, stdout, stderr } = await cli('train', dataDir(), '--out', modelDir(), '--epochs', '2', ...TINY_FLAGS);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /Epoch 2\/2/);
    const manifest = JSON.parse(readFileSync(join(modelDir(), 'manifest.json'), 'utf8'));
    // The train / validation split and the saved (best) epoch with its loss, not the last epoch's.
    const { bestEpoch, validationLossHistory } = manifest.training;
    assert.equal(
      stdout,
      `Trained 2 epochs on 7 images (1 more for validation); saved epoch ${bestEpoch}, the best, validation loss ${validationLossHistory[bestEpoch - 1].toFixed(5)}; model in ${modelDir()}\n`,
    );
    assert.deepEqual(manifest.config, { ...TINY_MODEL, ...MODEL_OPTION_DEFAULTS, aspect: 'pad', beta: 0.5, dropout: 0 }); // the cpu-small preset pads
    assert.deepEqual(
      { epochs: manifest.training.epochs, batchSize: manifest.training.batchSize, learningRate: manifest.training.learningRate, seed: manifest.training.seed },
      { epochs: 2, batchSize: 4, learningRate: 0.002, seed: 7 },
    );
  });

  test("train --recipe takes the recipe's training and normalization; single flags still override it", async () => {
    const dir = join(temp, 'recipe-model');
    const { code, stderr } = await cli('train', dataDir(), '--out', dir, '--recipe', 'flair-brain', '--epochs', '1', '--min-steps', '4', ...TINY_FLAGS);
    assert.equal(code, 0, stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.normalization, 'percentile-0.5-99.5-unclipped');
    assert.deepEqual(
      [
        manifest.training.restartDeadCodes,
        manifest.training.warmupSteps,
        manifest.training.lrSchedule,
        manifest.training.minSteps,
        manifest.training.batchSize,
      ],
      [true, 50, 'cosine', 4, 4],
    );
    const bad = await cli('train', dataDir(), '--out', dir, '--recipe', 'knee');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--recipe: expected one of flair-brain, industrial-texture, got "knee"/);
  });

  test('score --json on a folder prints every file with a score, most anomalous first', async () => {
    const { code, stdout, stderr } = await cli('score', modelDir(), dataDir(), '--json', '--backend', 'wasm');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.deepEqual(result.scores.map((s: { file: string }) => s.file).sort(), images);
    const scores: number[] = result.scores.map((s: { score: number }) => s.score);
    assert.ok(scores.every((s) => Number.isFinite(s) && s > 0));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  test('score --shard I/N --csv scores one shard each; merge-scores joins them into the table of the whole folder', async () => {
    const whole = await cli('score', modelDir(), dataDir(), '--csv', '--processes', '1', '--backend', 'wasm');
    assert.equal(whole.code, 0, whole.stderr);
    const lines = whole.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'file,score');
    // Paths relative to the scored folder, so that jobs mounting it elsewhere still agree.
    assert.deepEqual(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
      images.map((file) => relative(dataDir(), file)),
    );
    const shardFiles: string[] = [];
    for (const index of [0, 1, 2]) {
      const shard = await cli('score', modelDir(), dataDir(), '--shard', `${index}/3`, '--csv', '--processes', '1', '--backend', 'wasm');
      assert.equal(shard.code, 0, shard.stderr);
      assert.match(shard.stderr, new RegExp(`shard ${index}/3: ${index < 2 ? 3 : 2} of the folder's 8 scans`));
      shardFiles.push(join(temp, `shard-${index}.csv`));
      writeFileSync(shardFiles[index], shard.stdout);
    }
    const merged = await cli('merge-scores', ...shardFiles.reverse());
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(merged.stdout, whole.stdout);
    const overlapping = await cli('merge-scores', shardFiles[0], shardFiles[0]);
    assert.equal(overlapping.code, 1);
    assert.match(overlapping.stderr, /is in both .*shard-2\.csv and .*shard-2\.csv: do the shards overlap\?/);
    const badShard = await cli('score', modelDir(), dataDir(), '--shard', '3/3');
    assert.equal(badShard.code, 2);
    assert.match(badShard.stderr, /--shard: expected I\/N with 0 <= I < N/);
  });

  test('score --json on one file prints its score and slice scores', async () => {
    const { code, stdout, stderr } = await cli('score', modelDir(), images[2], '--json', '--backend', 'wasm');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.file, images[2]);
    assert.ok(result.score > 0);
    assert.deepEqual(result.sliceScores, [result.score]);
    // Against the normal range: the score of the model's one validation image, recorded at the end of training.
    const { normalScores } = JSON.parse(readFileSync(join(modelDir(), 'manifest.json'), 'utf8'));
    assert.equal(normalScores.image.scores.length, 1);
    assert.deepEqual(result.normalRank, { percentile: result.score >= normalScores.image.scores[0] ? 100 : 0, count: 1 });
  });

  test('info prints the manifest', async () => {
    const { code, stdout } = await cli('info', modelDir(), '--backend', 'wasm');
    assert.equal(code, 0);
    const info = JSON.parse(stdout);
    assert.equal(info.config.inputSize, TINY_MODEL.inputSize);
    assert.equal(info.training.epochsCompleted, 2);
  });

  test('--threads N sets the wasm threads, which the log names', async () => {
    const one = await cli('info', modelDir(), '--backend', 'wasm', '--threads', '1');
    assert.equal(one.code, 0);
    assert.match(one.stderr, /^backend wasm: selected, wasm \(WebAssembly, CPU, 1 thread\), SIMD on$/m);
    const two = await cli('info', modelDir(), '--backend', 'wasm', '--threads', '2');
    assert.match(two.stderr, /^backend wasm: selected, wasm \(WebAssembly, CPU, 2 threads\), SIMD on$/m);
  });

  test('Ctrl-C during train stops after the step and keeps the last completed epoch', async () => {
    const stoppedDir = join(temp, 'stopped-model');
    const child = spawn(process.execPath, [builtBundle('cli.js'), 'train', dataDir(), '--out', stoppedDir, '--epochs', '1000', ...TINY_FLAGS]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (/Epoch 1\/1000/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\(stopped by Ctrl-C\)/);
    const epochs = Number(/Trained (\d+) epochs?/.exec(stdout)?.[1]);
    assert.ok(epochs >= 1 && epochs < 1000);
    assert.equal(JSON.parse(readFileSync(join(stoppedDir, 'manifest.json'), 'utf8')).training.epochsCompleted, epochs);
  });

  test('the backbone and training options reach the manifest; --resume continues; finetune writes a new model', async () => {
    const optionsDir = join(temp, 'options-model');
    const options = [
      '--codebook-update',
      'ema',
      '--ema-decay',
      '0.9',
      '--batch-norm',
      '--reconstruction-loss',
      'continuous-bernoulli',
      '--lr-schedule',
      'cosine',
      '--validation-fraction',
      '0.25',
      '--early-stopping-patience',
      '0',
      '--eta',
      '0.7',
      '--anomalous-margin',
      '2',
      '--augment-flip',
      '--augment-rotation',
      '5',
      '--augment-noise',
      '0.01',
    ];
    const first = await cli('train', dataDir(), '--out', optionsDir, '--epochs', '1', ...TINY_FLAGS, ...options);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Trained 1 epoch on 6 images \(2 more for validation\); saved epoch 1, the best, validation loss \d\.\d{5}; model in /);
    const manifest = JSON.parse(readFileSync(join(optionsDir, 'manifest.json'), 'utf8'));
    assert.deepEqual(
      [manifest.config.codebookUpdate, manifest.config.emaDecay, manifest.config.batchNorm, manifest.config.reconstructionLoss],
      ['ema', 0.9, true, 'continuous-bernoulli'],
    );
    const { lrSchedule, validationFraction, earlyStoppingPatience, eta, anomalousMargin, augment } = manifest.training;
    assert.deepEqual(
      { lrSchedule, validationFraction, earlyStoppingPatience, eta, anomalousMargin },
      {
        lrSchedule: 'cosine',
        validationFraction: 0.25,
        earlyStoppingPatience: 0,
        eta: 0.7,
        anomalousMargin: 2,
      },
    );
    assert.deepEqual(augment, { flip: true, rotationDegrees: 5, scale: 0, brightness: 0, contrast: 0, noise: 0.01 });
    assert.deepEqual([manifest.training.trainImages, manifest.training.validationImages], [6, 2]);

    const resumed = await cli('train', dataDir(), '--out', optionsDir, '--epochs', '2', '--resume', ...TINY_FLAGS, ...options);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /Resuming .* after epoch 1/);
    assert.equal(JSON.parse(readFileSync(join(optionsDir, 'manifest.json'), 'utf8')).training.lossHistory.length, 2);

    const tunedDir = join(temp, 'tuned-model');
    const tuned = await cli('finetune', optionsDir, dataDir(), '--out', tunedDir, '--epochs', '1', '--lr', '0.0001', '--backend', 'wasm');
    assert.equal(tuned.code, 0, tuned.stderr);
    const tunedManifest = JSON.parse(readFileSync(join(tunedDir, 'manifest.json'), 'utf8'));
    assert.equal(tunedManifest.fineTunedFrom, optionsDir);
    assert.deepEqual(tunedManifest.config, manifest.config);
    assert.equal(tunedManifest.training.learningRate, 0.0001);
  });

  test('mistakes in the command line exit with 2 and say what is wrong', async () => {
    const noOut = await cli('train', dataDir());
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /train needs --out <modelDir>/);
    const badNumber = await cli('train', dataDir(), '--out', modelDir(), '--epochs', 'many');
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--epochs: expected a number, got "many"/);
    const badPreset = await cli('train', dataDir(), '--out', modelDir(), '--preset', 'huge');
    assert.equal(badPreset.code, 2);
    // The mistake and a one-line hint, not the whole usage.
    assert.equal(
      badPreset.stderr,
      '--preset: expected one of cpu-small, cpu-fine, cpu-medium, lsr-paper, lsgs-paper, gangloff-paper, got "huge"\nRun "node dist/cli.js --help" for the usage.\n',
    );
    const badChoice = await cli('train', dataDir(), '--out', modelDir(), '--codebook-update', 'kmeans');
    assert.equal(badChoice.code, 2);
    assert.match(badChoice.stderr, /--codebook-update: expected one of loss, ema, got "kmeans"/);
    const badThreads = await cli('info', modelDir(), '--threads', 'all');
    assert.equal(badThreads.code, 2);
    assert.match(badThreads.stderr, /--threads: expected a whole number >= 0, got "all"/);
    const unknown = await cli('explain', dataDir());
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "explain"/);
  });

  test('an invalid setting or a missing folder exits with 1 naming the problem', async () => {
    const badSize = await cli('train', dataDir(), '--out', join(temp, 'never'), ...TINY_FLAGS, '--input-size', '18');
    assert.equal(badSize.code, 1);
    assert.match(badSize.stderr, /inputSize must be a positive multiple of 2\^2/);
    const missing = join(temp, 'missing');
    const noFolder = await cli('score', modelDir(), missing);
    assert.equal(noFolder.code, 1);
    assert.ok(noFolder.stderr.includes(`${missing}: no such file or folder`));
  });

  test('score exits 1 on a folder without scans, 3 when some scans fail, with a summary and skip lines that name the file once', async () => {
    const empty = join(temp, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'no scans here');
    const none = await cli('score', modelDir(), empty, '--backend', 'wasm');
    assert.equal(none.code, 1);
    assert.ok(none.stderr.endsWith(`${empty}: no scan files to score (1 other file skipped)\n`), none.stderr);
    assert.equal(none.stdout, '');

    const mixed = join(temp, 'mixed');
    const good = writeSyntheticPngs(mixed, 2);
    const broken = join(mixed, 'broken.png');
    writeFileSync(broken, 'not a png');
    const partly = await cli('score', modelDir(), mixed, '--processes', '1', '--backend', 'wasm');
    assert.equal(partly.code, 3, partly.stderr);
    assert.deepEqual(
      partly.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('  ')[1])
        .sort(),
      good,
    );
    const skipLine = partly.stderr.split('\n').find((line) => line.startsWith('skipped '));
    assert.ok(skipLine?.startsWith(`skipped ${broken}: `) && !skipLine.slice(`skipped ${broken}: `.length).includes(broken), skipLine);
    assert.match(partly.stderr, /\nscored 2 of 3 scans; 1 failed\n$/);
    assert.doesNotMatch(partly.stderr, /backend \S+: skipped/, 'the backends skipped are listed with --verbose only');
  });

  test('score warns about a 1x1 image, notes which volume of a 4D file it scored, and --volume picks another', async () => {
    const odd = join(temp, 'odd');
    mkdirSync(odd);
    const tiny = join(odd, 'tiny.png');
    const png = new PNG({ width: 1, height: 1 });
    png.data.set([128, 128, 128, 255]);
    writeFileSync(tiny, PNG.sync.write(png));
    const warned = await cli('score', modelDir(), tiny, '--backend', 'wasm');
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, new RegExp(`warning: ${tiny} does not look like the training data: it is 1x1 pixels, enlarged 16x to the model's 16x16 input`));

    // 3 volumes of 4x4x2 voxels, volume v holding the value v + 1 everywhere.
    const values = Array.from({ length: 3 * 32 }, (_, i) => Math.floor(i / 32) + 1);
    const fourD = join(odd, 'series.nii');
    writeFileSync(fourD, handWrittenNifti({ littleEndian: true, datatype: 16, bytes: 4, dims: [4, 4, 2, 3], values }));
    const first = await cli('score', modelDir(), fourD, '--backend', 'wasm', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual((JSON.parse(first.stdout) as { volume: unknown }).volume, { index: 0, count: 3 });
    assert.match(first.stderr, new RegExp(`note: ${fourD} holds 3 volumes; scored volume 0 \\(--volume N scores another, from 0\\)`));
    const third = await cli('score', modelDir(), fourD, '--backend', 'wasm', '--json', '--volume', '2');
    assert.deepEqual((JSON.parse(third.stdout) as { volume: unknown }).volume, { index: 2, count: 3 });
    const outOfRange = await cli('score', modelDir(), fourD, '--backend', 'wasm', '--volume', '3');
    assert.equal(outOfRange.code, 1);
    assert.match(outOfRange.stderr, /volume index 3 is out of range \(the file holds 3 volumes, 0 to 2\)/);
    const folder = await cli('score', modelDir(), odd, '--backend', 'wasm', '--processes', '1');
    assert.match(folder.stderr, /\nnote: 1 4D file scored on volume 0 only \(score one file with --volume N for another\)\n/);
    assert.doesNotMatch(folder.stderr, /backend \S+: selected[^]*backend \S+: selected/, "the pool worker's backend line is for --verbose");
    assert.equal((await cli('score', modelDir(), odd, '--volume', '1')).code, 2, '--volume is for one file');
  });

  test('evaluate is a command of the CLI: it writes the report of a model on a labelled folder', async () => {
    const help = await cli('evaluate', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout + help.stderr, /evaluate <modelDir> <folder\|test\.csv> --out <reportDir>/);
    const out = join(temp, 'report');
    const badThreshold = await cli('evaluate', modelDir(), dataDir(), '--out', out, '--lambda-s', 'high');
    assert.equal(badThreshold.code, 2);
    assert.match(badThreshold.stderr, /--lambda-s: expected a number, got "high"/);
    // Its flags are checked before the backend starts.
    const noLimit = await cli('evaluate', modelDir(), dataDir(), '--out', out, '--limit', '0');
    assert.equal(noLimit.code, 2);
    assert.equal(noLimit.stderr, '--limit: expected a positive integer, got "0"\nRun "node dist/cli.js evaluate --help" for the usage.\n');
    const badReference = await cli('evaluate', modelDir(), dataDir(), '--out', out, '--restoration-reference', 'mean');
    assert.equal(badReference.code, 2);
    assert.match(badReference.stderr, /--restoration-reference: expected input or reconstruction, got "mean"/);
    // A labelled folder: two images, the first with a ground-truth mask (an image will do: its pixels above 127 are the "defect").
    const labelled = join(temp, 'labelled');
    const [first] = writeSyntheticPngs(labelled, 2);
    copyFileSync(first, first.replace(/\.png$/, '_mask.png'));
    const run = await cli('evaluate', modelDir(), labelled, '--out', out, '--backend', 'wasm');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assert.equal(report.counts.scans, 2);
    assert.equal(report.counts.scansWithMask, 1);
    assert.ok('residual' in report.maps, 'the residual map is evaluated');
    assert.match(run.stderr, /\nevaluated 2 of 2 scans\n$/);

    // A CSV whose defective scan has no mask file: exit 3, a summary, the scan in the report's skipped list;
    // a half-size mask is resized to its scan with a note.
    const [, second] = writeSyntheticPngs(labelled, 2);
    const halfMask = new PNG({ width: IMAGE_WIDTH / 2, height: IMAGE_HEIGHT / 2 });
    halfMask.data.fill(255);
    writeFileSync(join(labelled, 'half_mask.png'), PNG.sync.write(halfMask));
    const csv = join(labelled, 'test.csv');
    writeFileSync(csv, `image,mask,label\n${relative(labelled, first)},half_mask.png,1.0\n${relative(labelled, second)},missing_mask.png,1\n`);
    const partly = await cli('evaluate', modelDir(), csv, '--out', join(temp, 'report-csv'), '--backend', 'wasm');
    assert.equal(partly.code, 3, partly.stderr);
    assert.match(partly.stderr, /note: \S+half_mask\.png: the 12x10 mask is resized to its scan's 24x20 pixels\n/);
    assert.match(partly.stderr, /\nevaluated 1 of 2 scans; 1 skipped \(listed in the report\)\n$/);
    const csvReport = JSON.parse(readFileSync(join(temp, 'report-csv', 'report.json'), 'utf8'));
    assert.deepEqual(
      csvReport.skipped.map((s: { file: string }) => s.file),
      [second],
    );
  });
});
