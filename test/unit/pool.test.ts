// The scoring pool (models/pool/scoringPool.ts): two worker processes score synthetic PNGs exactly as
// one process and as in-process scoring do, unreadable files are skipped, and a cancel kills the workers.
// Needs dist/worker.js (node esbuild.mjs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BadInputError } from '../../models/io/errors';
import { readScan } from '../../models/io/volume';
import { ScoringPool } from '../../models/pool/scoringPool';
import { selectBackend } from '../../models/runtime/backend';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { loadModel, saveModel } from '../../models/vqvae/checkpoint';
import { VqVae } from '../../models/vqvae/model';
import { CancelledError } from '../../models/worker/cancelled';
import type { CountProgress } from '../../models/worker/protocol';
import { tempFolder } from './ioFixtures';
import { builtBundle, TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

const folder = tempFolder('scoring-pool-');
const modelDir = join(folder.dir, 'model');
let images: string[];

before(async () => {
  await selectBackend('wasm');
  const model = VqVae.create(TINY_MODEL, 3);
  await saveModel(modelDir, model, {
    name: 'tiny', created: new Date(0).toISOString(), backend: 'wasm', config: TINY_MODEL,
    training: { ...TINY_TRAINING, epochsCompleted: 0, finalLoss: 0, lossHistory: [], seconds: 0 },
    normalization: 'percentile-0.5-99.5', data: { folder: folder.dir, files: 0, images: 0, skipped: 0 },
  });
  model.dispose();
  images = writeSyntheticPngs(join(folder.dir, 'images'), 4);
});

const pool = (processes: number) => new ScoringPool({ workerScript: builtBundle('worker.js'), processes, backend: 'wasm' });

/** True while a process with this id exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('two processes give the scores of one process and of in-process scoring, most anomalous first', async () => {
  const progress: CountProgress[] = [];
  const two = await pool(2).scoreFiles(modelDir, images, (p) => progress.push(p));
  const one = await pool(1).scoreFiles(modelDir, images);
  assert.deepEqual(two, one);
  assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4]);
  assert.ok(progress.every((p) => p.total === 4));

  const { model } = await loadModel(modelDir);
  const expected = await Promise.all(images.map(async (file) => ({ file, score: (await scoreVolume(model, await readScan(file))).score })));
  model.dispose();
  expected.sort((a, b) => b.score - a.score);
  assert.deepEqual(two.scores.map((s) => s.file), expected.map((s) => s.file));
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
