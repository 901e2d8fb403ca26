// Training the prior of a model folder: the job behind the worker's trainPrior method and the CLI's
// train-prior command write prior/ with the calibrated thresholds lambda_s / lambda_p in its manifest.
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { runTrainPrior } from '../../models/worker/priorJobs';
import type { MethodName, TrainProgress, WorkerEvent, WorkerMethods } from '../../models/worker/protocol';
import { builtBundle, IMAGE_HEIGHT, IMAGE_WIDTH, TINY_MODEL, writeSyntheticPngs } from './workerFixtures';

const execFileAsync = promisify(execFile);
const cli = (...args: string[]) => execFileAsync(process.execPath, [builtBundle('cli.js'), ...args]);

/** A prior small enough for a unit test. */
const TINY_PRIOR = { dModel: 8, layers: 1, heads: 2, feedForward: 16, dropout: 0 };

const quietControl = (progress: TrainProgress[] = []) => ({ onProgress: (p: TrainProgress) => progress.push(p), isCancelled: () => false, log: () => {} });

/** Forks dist/worker.js, runs the requests one after the other and returns their results (rejects on an error event). */
async function workerResults<M extends MethodName>(requests: { method: M; params: WorkerMethods[M]['params'] }[]): Promise<WorkerMethods[M]['result'][]> {
  const child = fork(builtBundle('worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  try {
    const results: WorkerMethods[M]['result'][] = [];
    for (const [index, { method, params }] of requests.entries()) {
      results.push(
        await new Promise((resolve, reject) => {
          const onEvent = (event: WorkerEvent) => {
            if (event.type !== 'result' && event.type !== 'error') return;
            child.off('message', onEvent);
            if (event.type === 'result') resolve(event.result as WorkerMethods[M]['result']);
            else reject(new Error(`${method}: ${event.message}`));
          };
          child.on('message', onEvent);
          child.send({ type: 'request', id: index + 1, method, params });
        }),
      );
    }
    return results;
  } finally {
    child.kill();
  }
}

const readPriorManifest = (modelDir: string) => JSON.parse(readFileSync(join(modelDir, 'prior', 'manifest.json'), 'utf8'));

describe('prior training job', () => {
  let temp: string;
  const dataDir = () => join(temp, 'data');
  const modelDir = () => join(temp, 'model');

  before(async () => {
    temp = mkdtempSync(join(tmpdir(), 'prior-job-test-'));
    writeSyntheticPngs(dataDir(), 8);
    const flags = Object.entries(TINY_MODEL).flatMap(([key, value]) => [`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, `${value}`]);
    await cli('train', dataDir(), '--out', modelDir(), '--epochs', '1', '--backend', 'wasm', ...flags);
    await selectBackend('wasm');
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  test('runTrainPrior trains on the model tokens and stores lambda_s >= lambda_p in the manifest, leaking no tensor', async () => {
    const before = tf.memory().numTensors;
    const progress: TrainProgress[] = [];
    const result = await runTrainPrior(
      { modelDir: modelDir(), folder: dataDir(), prior: TINY_PRIOR, training: { epochs: 2, batchSize: 4 } },
      'wasm',
      quietControl(progress),
    );
    assert.equal(tf.memory().numTensors, before);

    // 8 files: 1 held out (10 %, at least one), 7 to train on; too few held out, so calibrated on the training ones.
    assert.equal(result.sequences, 7);
    assert.equal(result.epochsCompleted, 2);
    assert.equal(result.cancelled, false);
    assert.equal(progress.filter((p) => p.checkpointed).length, 2);
    const manifest = readPriorManifest(modelDir());
    const latent = TINY_MODEL.inputSize / 2 ** TINY_MODEL.channels.length;
    assert.equal(manifest.config.sequenceLength, latent * latent);
    assert.equal(manifest.config.vocabSize, TINY_MODEL.codebookSize);
    assert.deepEqual(manifest.calibration, {
      lambdaS: result.lambdaS,
      lambdaP: result.lambdaP,
      percentileS: 98,
      percentileP: 90,
      source: 'training',
      sequences: 7,
      tokens: 'foreground', // the synthetic images have no background: every token is on the foreground
    });
    assert.ok(result.lambdaS >= result.lambdaP && result.lambdaP > 0, `lambda_s ${result.lambdaS}, lambda_p ${result.lambdaP}`);
  });

  test('with ILTM, the prior is retrained with token masks and the iterations are recorded in the manifest', async () => {
    const before = tf.memory().numTensors;
    const kde = { kdeSamplings: 2, kdeDropoutDecodes: 2, kdeThreshold: 0.5 };
    const result = await runTrainPrior(
      { modelDir: modelDir(), folder: dataDir(), prior: TINY_PRIOR, training: { epochs: 1, batchSize: 4 }, iltm: { iterations: 2, kde } },
      'wasm',
      quietControl(),
    );
    assert.equal(tf.memory().numTensors, before);
    assert.ok(result.iltm && result.iltm.length >= 1 && result.iltm.length <= 2);
    assert.equal(result.iltm[0].threshold, 0.5);
    if (result.iltm.length === 2) assert.equal(result.iltm[1].threshold, 0.5 * 0.875);
    const manifest = readPriorManifest(modelDir());
    assert.deepEqual(manifest.iltm.iterations, result.iltm);
    assert.equal(typeof manifest.iltm.converged, 'boolean');
    assert.equal(manifest.calibration.lambdaS, result.lambdaS);
  });

  test('worker: trainPrior, then scoreScan gives the nll map in the scan grid and the LSR scores', async () => {
    const [, trained, scored] = (await workerResults<MethodName>([
      { method: 'init', params: { backend: 'wasm' } },
      { method: 'trainPrior', params: { modelDir: modelDir(), folder: dataDir(), prior: TINY_PRIOR, training: { epochs: 1 } } },
      {
        method: 'scoreScan',
        params: { modelDir: modelDir(), file: join(dataDir(), 'image0.png'), scoring: { priorMaps: { restorationSamples: 2, kdeSamplings: 0 } } },
      },
    ])) as [unknown, WorkerMethods['trainPrior']['result'], WorkerMethods['scoreScan']['result']];
    assert.equal(trained.epochsCompleted, 1);
    assert.equal(readPriorManifest(modelDir()).calibration.lambdaS, trained.lambdaS);
    assert.deepEqual(scored.maps.nll?.dims, [IMAGE_WIDTH, IMAGE_HEIGHT, 1]);
    assert.deepEqual(scored.maps.restoration?.dims, [IMAGE_WIDTH, IMAGE_HEIGHT, 1]);
    assert.equal(scored.maps.kde, undefined, 'kdeSamplings 0: no KDE map');
    assert.equal(scored.priorScores?.lambdaS, trained.lambdaS);
    assert.equal(scored.restorations?.samples.length, 2);
  });

  test('CLI train-prior --condition-on-slice trains a conditioned prior, and --fine-tune continues it with its architecture', async () => {
    const tiny = ['--d-model', '8', '--layers', '1', '--heads', '2', '--feed-forward', '16', '--backend', 'wasm'];
    await cli('train-prior', modelDir(), dataDir(), '--epochs', '1', '--condition-on-slice', ...tiny);
    assert.equal(readPriorManifest(modelDir()).config.conditionOnSlicePosition, true);
    const { stdout } = await cli('train-prior', modelDir(), dataDir(), '--fine-tune', '--epochs', '1', '--d-model', '16', '--backend', 'wasm');
    assert.match(stdout, /^Fine-tuned the prior 1 epoch on 7 sequences/);
    const manifest = readPriorManifest(modelDir());
    assert.deepEqual([manifest.config.conditionOnSlicePosition, manifest.config.dModel], [true, 8]);
    assert.ok(Number.isFinite(manifest.calibration.lambdaS));
  });

  test('CLI train-prior writes prior/manifest.json with the flags and the calibration', async () => {
    const { stdout } = await cli(
      'train-prior',
      modelDir(),
      dataDir(),
      '--epochs',
      '1',
      '--d-model',
      '8',
      '--layers',
      '1',
      '--heads',
      '2',
      '--feed-forward',
      '16',
      '--backend',
      'wasm',
      '--json',
    );
    const result = JSON.parse(stdout);
    assert.equal(result.epochsCompleted, 1);
    const manifest = readPriorManifest(modelDir());
    assert.deepEqual([manifest.config.dModel, manifest.config.layers, manifest.config.heads, manifest.config.feedForward], [8, 1, 2, 16]);
    assert.equal(manifest.training.epochs, 1);
    assert.equal(manifest.calibration.lambdaS, result.lambdaS);
    assert.equal(manifest.calibration.lambdaP, result.lambdaP);
  });

  test('CLI score <folder> prints the LSR sample score as a second column; --lambda-s fixes its threshold', async () => {
    const rows = async (...flags: string[]) => {
      const { stdout } = await cli('score', modelDir(), dataDir(), '--processes', '1', '--backend', 'wasm', ...flags);
      return stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/));
    };
    const calibrated = await rows();
    assert.equal(calibrated.length, 8);
    assert.ok(calibrated.every(([score, priorScore, file]) => Number(score) >= 0 && Number(priorScore) >= 0 && file.endsWith('.png')));
    // No token NLL is above 1e9: every sample score is 0.
    assert.ok((await rows('--lambda-s', '1e9')).every(([, priorScore]) => Number(priorScore) === 0));
  });
});
