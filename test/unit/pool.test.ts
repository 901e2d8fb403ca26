// The scoring pool (models/pool/scoringPool.ts): two worker processes score synthetic PNGs exactly as
// one process and as in-process scoring do, unreadable files are skipped, and a cancel kills the workers.
// The worker's folder scoring (models/pool/scoreFolderOnCores.ts) gives the same result, thumbnails
// and order over two processes as in one, also through the worker protocol; the process count
// (models/pool/processCount.ts). Needs dist/worker.js (node esbuild.mjs).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { BadInputError } from '../../models/io/errors';
import { readScan } from '../../models/io/volume';
import { MIN_FILES_PER_PROCESS, poolProcessCount, threadsPerProcess } from '../../models/pool/processCount';
import { PoolWorker } from '../../models/pool/poolWorker';
import { scoreFolderOnCores } from '../../models/pool/scoreFolderOnCores';
import { ScoringPool } from '../../models/pool/scoringPool';
import { selectBackend } from '../../models/runtime/backend';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { loadModel, saveModel } from '../../models/vqvae/checkpoint';
import { VqVae } from '../../models/vqvae/model';
import { CancelledError } from '../../models/worker/cancelled';
import { ModelCache } from '../../models/worker/modelCache';
import type { CountProgress, ScoreFolderParams } from '../../models/worker/protocol';
import { tempFolder } from './ioFixtures';
import { builtBundle, TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';
import { isAlive } from '../processAlive';

const folder = tempFolder('scoring-pool-');
const modelDir = join(folder.dir, 'model');
let images: string[];

before(async () => {
  await selectBackend('wasm');
  const model = VqVae.create(TINY_MODEL, 3);
  await saveModel(modelDir, model, {
    name: 'tiny',
    created: new Date(0).toISOString(),
    backend: 'wasm',
    config: TINY_MODEL,
    training: { ...TINY_TRAINING, epochsCompleted: 0, finalLoss: 0, lossHistory: [], seconds: 0 },
    normalization: 'percentile-0.5-99.5',
    data: { folder: folder.dir, files: 0, images: 0, skipped: 0 },
  });
  model.dispose();
  images = writeSyntheticPngs(join(folder.dir, 'images'), 4);
});

const pool = (processes: number) => new ScoringPool({ workerScript: builtBundle('worker.js'), processes, backend: 'wasm' });

test('two processes give the scores of one process and of in-process scoring, most anomalous first', async () => {
  const progress: CountProgress[] = [];
  const two = await pool(2).scoreFiles(modelDir, images, (p) => progress.push(p));
  const one = await pool(1).scoreFiles(modelDir, images);
  assert.deepEqual(two, one);
  assert.deepEqual(
    progress.map((p) => p.done),
    [1, 2, 3, 4],
  );
  assert.ok(progress.every((p) => p.total === 4));

  const { model } = await loadModel(modelDir);
  const expected = await Promise.all(images.map(async (file) => ({ file, score: (await scoreVolume(model, await readScan(file))).score })));
  model.dispose();
  expected.sort((a, b) => b.score - a.score);
  assert.deepEqual(
    two.scores.map((s) => s.file),
    expected.map((s) => s.file),
  );
  two.scores.forEach((s, i) => assert.ok(Math.abs(s.score - expected[i].score) < 1e-6, `${s.file}: ${s.score} vs ${expected[i].score}`));
  assert.deepEqual(two.skipped, []);
});

test('an unreadable file is skipped with the reason, the others are scored', async () => {
  const broken = folder.write('broken.png', 'not a png');
  const result = await pool(2).scoreFiles(modelDir, [broken, ...images.slice(0, 2)]);
  assert.equal(result.scores.length, 2);
  assert.equal(result.skipped.length, 1);
  assert.equal(result.skipped[0].file, broken);
  assert.match(result.skipped[0].reason, /broken\.png/);
});

test('a cancel rejects with CancelledError and kills every worker process', async () => {
  const scoring = pool(2);
  let pids: number[] = [];
  const isCancelled = () => {
    pids = scoring.processIds();
    return true;
  };
  await assert.rejects(scoring.scoreFiles(modelDir, images, undefined, isCancelled), CancelledError);
  assert.equal(pids.length, 2);
  assert.deepEqual(pids.filter(isAlive), []);
  assert.deepEqual(scoring.processIds(), []);
});

test('a folder that holds no model rejects with BadInputError naming it, and starts no worker', async () => {
  const scoring = pool(2);
  const notAModel = join(folder.dir, 'images');
  await assert.rejects(scoring.scoreFiles(notAModel, images), (error: Error) => error instanceof BadInputError && error.message.includes(notAModel));
  assert.deepEqual(scoring.processIds(), []);
});

test('the process count: 0 = the cores on single-core backends, 1 on the others, at most one per MIN_FILES_PER_PROCESS files', () => {
  assert.equal(MIN_FILES_PER_PROCESS, 2);
  assert.equal(poolProcessCount(0, { cores: 2, backend: 'wasm' }, 10), 2);
  assert.equal(poolProcessCount(0, { cores: 8, backend: 'cpu' }, 10), 5, '10 files keep 5 processes busy');
  assert.equal(poolProcessCount(0, { cores: 8, backend: 'tensorflow' }, 10), 1, 'native TensorFlow uses every core itself');
  assert.equal(poolProcessCount(3, { cores: 2, backend: 'webgpu' }, 10), 3, 'an explicit count is honoured');
  assert.equal(poolProcessCount(1, { cores: 8, backend: 'wasm' }, 10), 1);
  assert.equal(poolProcessCount(4, { cores: 8, backend: 'wasm' }, 3), 1, 'three files: not worth a second process');
  assert.equal(poolProcessCount(4, { cores: 8, backend: 'wasm' }, 0), 1);
});

test('each pool process gets its share of the cores as wasm threads: processes x threads <= cores', () => {
  assert.equal(threadsPerProcess(2, 0, 2), 1, 'two processes on two cores: one thread each');
  assert.equal(threadsPerProcess(1, 0, 2), 2, 'one process: every core');
  assert.equal(threadsPerProcess(3, 0, 16), 5);
  assert.equal(threadsPerProcess(2, 3, 16), 3, 'no more than the wasm threads setting');
  assert.equal(threadsPerProcess(1, 0, 32), 8, 'no more than the build allows');
  assert.equal(threadsPerProcess(4, 0, 2), 1, 'more processes than cores (asked for): still one thread each');
});

/** Four of the sample workspace's training PNGs (real brain slices), sorted. */
const samplePngs = () =>
  readdirSync(resolve('sample', 'train'))
    .filter((name) => name.endsWith('.png'))
    .sort()
    .slice(0, 4)
    .map((name) => resolve('sample', 'train', name));

const quietControl = (onProgress: (p: CountProgress) => void = () => {}, isCancelled = () => false) => ({ onProgress, isCancelled, log: () => {} });
const source = () => ({ workerScript: builtBundle('worker.js'), backend: 'wasm' as const });

test('folder scoring over two processes gives the scores, thumbnails and order of one process: the volume ranked apart from the images', async () => {
  const volume = resolve('sample', 'scans', 'patient26_FLAIR.nii.gz');
  const params: ScoreFolderParams = { modelDir, folder: resolve('sample'), files: [...samplePngs(), volume, ...images], thumbnailSize: 12 };
  const progress: CountProgress[] = [];
  const two = await scoreFolderOnCores(
    { ...params, processes: 2 },
    new ModelCache(),
    quietControl((p) => progress.push(p)),
    source(),
  );
  const one = await scoreFolderOnCores({ ...params, processes: 1 }, new ModelCache(), quietControl(), source());
  assert.deepEqual(two, one);
  assert.equal(two.scores.length, 9);
  assert.deepEqual(
    progress.map((p) => p.done),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  // A volume's score is not comparable with an image's: it leads its own group, whatever the images scored.
  assert.deepEqual(
    two.scores.map((s) => s.kind),
    ['volume', ...Array<string>(8).fill('image')],
  );
  assert.equal(two.scores[0].file, volume);
  const imageScores = two.scores.slice(1);
  imageScores.forEach((s, i) => assert.ok(i === 0 || imageScores[i - 1].score >= s.score, `most anomalous image first at ${i}`));
  for (const { file, thumbnail } of two.scores) {
    assert.ok(thumbnail, `${file} has a thumbnail`);
    assert.equal(Math.max(thumbnail.image.dims[0], thumbnail.image.dims[1]), 12, 'fitted into the asked size');
    assert.deepEqual(thumbnail.map.dims, thumbnail.image.dims);
  }
});

test('through the worker protocol, scoreFolder with processes 2 answers as with processes 1', async () => {
  const logs: string[] = [];
  const worker = new PoolWorker(builtBundle('worker.js'), (line) => logs.push(line));
  try {
    await worker.request('init', { backend: 'wasm' });
    const params: ScoreFolderParams = { modelDir, folder: join(folder.dir, 'images'), thumbnailSize: 8 };
    const two = await worker.request('scoreFolder', { ...params, processes: 2 });
    assert.ok(
      logs.some((line) => /Scoring 4 files .* in 2 worker processes/.test(line)),
      `the worker used a pool: ${logs.join(' | ')}`,
    );
    const one = await worker.request('scoreFolder', params);
    assert.deepEqual(two, one);
    assert.deepEqual(two.scores.map((s) => s.file).sort(), images);
  } finally {
    await worker.kill();
  }
});

test('a cancelled folder scoring over two processes rejects with CancelledError', async () => {
  const params: ScoreFolderParams = { modelDir, folder: join(folder.dir, 'images'), processes: 2 };
  let done = 0;
  // Cancelled from the start: the pool stops its workers while they still start up.
  const control = quietControl(
    () => done++,
    () => true,
  );
  await assert.rejects(scoreFolderOnCores(params, new ModelCache(), control, source()), CancelledError);
  assert.equal(done, 0);
});
