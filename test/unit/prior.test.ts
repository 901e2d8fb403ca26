// Training the prior: learning a toy token distribution, the saved folder and its exact round trip,
// progress and cancel, ILTM masks, the LSGS bidirectional training, and encoding slices to tokens.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BadInputError } from '../../models/io/errors';
import type { TrainProgress } from '../../models/worker/protocol';
import { nllMap } from '../../models/prior/nll';
import { loadPrior, priorDir } from '../../models/prior/priorCheckpoint';
import type { PriorTrainingConfig } from '../../models/prior/priorTrainingConfig';
import { sequenceNll } from '../../models/prior/sequenceNll';
import { encodeTokens } from '../../models/prior/tokens';
import { trainPrior } from '../../models/prior/trainPrior';
import { PriorTransformer } from '../../models/prior/transformer';
import type { PriorConfig } from '../../models/prior/transformerConfig';
import { selectBackend } from '../../models/runtime/backend';
import { VqVae } from '../../models/vqvae/model';

const TINY: PriorConfig = {
  vocabSize: 8,
  sequenceLength: 16,
  dModel: 16,
  layers: 2,
  heads: 2,
  feedForward: 32,
  dropout: 0,
  conditionOnSlicePosition: false,
  attention: 'causal',
};
const TRAINING: PriorTrainingConfig = { epochs: 8, batchSize: 8, learningRate: 1e-2, seed: 1, replacedFraction: 0.1, focalBeta: 0.01 };

// Toy distribution: ramps s_i = (k + i) mod 8 with a random start k. Only s_0 is uncertain, so a prior
// that learned it has mean NLL ln(8) / 16 = 0.13, against about ln(8) = 2.08 untrained.
const RAMPS = Array.from({ length: 32 }, (_, s) => Int32Array.from({ length: 16 }, (_, i) => ((s % 8) + i) % 8));

let workDir: string;
before(async () => {
  await selectBackend('wasm');
  workDir = await fs.mkdtemp(join(tmpdir(), 'prior-test-'));
});
after(async () => {
  await fs.rm(workDir, { recursive: true, force: true });
});

const modelDir = async (name: string): Promise<string> => {
  const dir = join(workDir, name);
  await fs.mkdir(dir, { recursive: true });
  return dir;
};

/** Mean NLL of the sequences under the prior (no dropout). */
function meanNll(prior: PriorTransformer, sequences: Int32Array[]): number {
  return tf.tidy(() => {
    const tokens = tf.tensor2d(Int32Array.from(sequences.flatMap((s) => [...s])), [sequences.length, sequences[0].length], 'int32');
    return tf.mean(nllMap(prior.forward(tokens), tokens)).dataSync()[0];
  });
}

function logitsOf(prior: PriorTransformer, sequences: Int32Array[]): Float32Array {
  return tf.tidy(
    () => prior.forward(tf.tensor2d(Int32Array.from(sequences.flatMap((s) => [...s])), [sequences.length, 16], 'int32')).dataSync() as Float32Array,
  );
}

test('training on ramps lowers the mean NLL below half, saves prior/, and loads back to identical logits', async () => {
  const dir = await modelDir('ramps');
  const progress: TrainProgress[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const untrained = PriorTransformer.create(TINY, TRAINING.seed); // the initial weights of the training below
  const initialNll = meanNll(untrained, RAMPS);
  untrained.dispose();

  const result = await trainPrior(RAMPS, TINY, TRAINING, { modelDir: dir, backendName: 'wasm', onProgress: (p) => progress.push(p) });
  const finalNll = meanNll(result.prior, RAMPS);
  assert.ok(initialNll > 1.5, `untrained NLL ${initialNll} is near ln 8`);
  assert.ok(finalNll < initialNll / 2, `final NLL ${finalNll} is not below half of ${initialNll}`);
  assert.equal(result.epochsCompleted, 8);
  assert.equal(result.cancelled, false);
  assert.equal(progress.filter((p) => p.checkpointed).length, 8);
  assert.equal(progress.filter((p) => !p.checkpointed).length, 8 * 4); // 32 sequences in batches of 8

  // Batched NLL maps (batches of 5 over 32 sequences) agree with the direct computation, and in every
  // map the start s_0, the only uncertain token of a ramp, is the least likely.
  const maps = await sequenceNll(result.prior, RAMPS, undefined, 5);
  assert.equal(maps.length, 32);
  const mapsMean = maps.reduce((sum, m) => sum + m.reduce((a, b) => a + b, 0), 0) / (32 * 16);
  assert.ok(Math.abs(mapsMean - finalNll) < 1e-5, `${mapsMean} vs ${finalNll}`);
  for (const map of maps) assert.equal(map.indexOf(Math.max(...map)), 0);

  const { prior: loaded, manifest } = await loadPrior(dir);
  assert.deepEqual(logitsOf(loaded, RAMPS.slice(0, 3)), logitsOf(result.prior, RAMPS.slice(0, 3)));
  assert.deepEqual(manifest.config, TINY);
  assert.equal(manifest.training.epochsCompleted, 8);
  assert.equal(manifest.training.lossHistory.length, 8);
  assert.equal(manifest.training.sequences, 32);
  assert.deepEqual((await fs.readdir(priorDir(dir))).sort(), ['manifest.json', 'weights.bin']);
  loaded.dispose();
  result.prior.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'training, saving and loading leave no tensors behind');
});

test('the same seed trains the same prior', async () => {
  const short = { ...TRAINING, epochs: 1 };
  const a = await trainPrior(RAMPS, TINY, short, { modelDir: await modelDir('seed-a'), backendName: 'wasm' });
  const b = await trainPrior(RAMPS, TINY, short, { modelDir: await modelDir('seed-b'), backendName: 'wasm' });
  assert.deepEqual(logitsOf(a.prior, RAMPS.slice(0, 2)), logitsOf(b.prior, RAMPS.slice(0, 2)));
  a.prior.dispose();
  b.prior.dispose();
});

test('a cancel stops before the next step; the folder keeps the last completed epoch', async () => {
  const dir = await modelDir('cancel');
  let steps = 0;
  const result = await trainPrior(
    RAMPS,
    TINY,
    { ...TRAINING, epochs: 3 },
    {
      modelDir: dir,
      backendName: 'wasm',
      onProgress: (p) => {
        if (!p.checkpointed) steps++;
      },
      isCancelled: () => steps >= 6, // during epoch 2 (4 steps per epoch)
    },
  );
  assert.equal(result.cancelled, true);
  assert.equal(result.epochsCompleted, 1);
  assert.equal(steps, 6);
  const { prior, manifest } = await loadPrior(dir);
  assert.equal(manifest.training.epochsCompleted, 1);
  prior.dispose();
  result.prior.dispose();
});

test('ILTM masks: tokens masked everywhere have no influence on training', async () => {
  // The two sets differ only at position 5, which is masked: the trained priors must be identical.
  const masks = RAMPS.map(() => Uint8Array.from({ length: 16 }, (_, i) => (i === 5 ? 0 : 1)));
  const garbled = RAMPS.map((s) => s.map((t, i) => (i === 5 ? (t + 3) % 8 : t)));
  const short = { ...TRAINING, epochs: 1 };
  const a = await trainPrior(RAMPS, TINY, short, { modelDir: await modelDir('mask-a'), backendName: 'wasm', tokenMasks: masks });
  const b = await trainPrior(garbled, TINY, short, { modelDir: await modelDir('mask-b'), backendName: 'wasm', tokenMasks: masks });
  assert.deepEqual(logitsOf(a.prior, RAMPS.slice(0, 2)), logitsOf(b.prior, RAMPS.slice(0, 2)));
  a.prior.dispose();
  b.prior.dispose();
});

// The bidirectional prior must infer a tampered token from its neighbours: its loss plateaus near
// 2 x ln 8 (two tampered positions) for some 20 epochs before it drops.
test('bidirectional (LSGS) training with the focal loss lowers the loss and records the mode', async () => {
  const dir = await modelDir('bidirectional');
  const config: PriorConfig = { ...TINY, attention: 'bidirectional' };
  const result = await trainPrior(RAMPS, config, { ...TRAINING, epochs: 40, learningRate: 3e-3 }, { modelDir: dir, backendName: 'wasm' });
  const { manifest, prior } = await loadPrior(dir);
  const history = manifest.training.lossHistory;
  assert.equal(manifest.config.attention, 'bidirectional');
  assert.ok(history[history.length - 1] < history[0] / 2, `loss history ${history.join(', ')}`);
  prior.dispose();
  result.prior.dispose();
});

test('wrong inputs are refused with messages that name the problem', async () => {
  const dir = await modelDir('refused');
  await assert.rejects(trainPrior([], TINY, TRAINING, { modelDir: dir, backendName: 'wasm' }), BadInputError);
  await assert.rejects(
    trainPrior([new Int32Array(15)], TINY, TRAINING, { modelDir: dir, backendName: 'wasm' }),
    /sequence 0 has 15 tokens, the prior models 16/,
  );
  await assert.rejects(trainPrior([new Int32Array(16).fill(8)], TINY, TRAINING, { modelDir: dir, backendName: 'wasm' }), /token outside \[0, 8\)/);
  await assert.rejects(trainPrior(RAMPS, TINY, { ...TRAINING, focalBeta: 2 }, { modelDir: dir, backendName: 'wasm' }), /focalBeta must be in \[0, 1\]/);
  await assert.rejects(loadPrior(dir), (error: Error) => error instanceof BadInputError && /holds no trained prior/.test(error.message));
});

test('encodeTokens gives each slice its code indices in raster order, without leaks', async () => {
  const model = VqVae.create({ inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 }, 1);
  const slices = Array.from({ length: 3 }, (_, k) => Float32Array.from({ length: 256 }, (_, i) => ((i * (k + 1)) % 17) / 16));
  const tensorsBefore = tf.memory().numTensors;
  const sequences = await encodeTokens(model, slices, 2); // batches of 2 and 1
  assert.equal(tf.memory().numTensors, tensorsBefore);
  const expected = tf.tidy(() => model.forward(tf.tensor4d(slices[2], [1, 16, 16, 1])).indices.dataSync());
  assert.equal(sequences.length, 3);
  assert.equal(sequences[2].length, 16); // 4x4 latent grid
  assert.deepEqual([...sequences[2]], [...expected]);
  await assert.rejects(encodeTokens(model, [new Float32Array(10)]), /slice 0 has 10 values, expected 16x16/);
  model.dispose();
});
