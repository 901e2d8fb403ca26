// The backbone options of methods.md §1: the EMA codebook update (one step by hand), the
// continuous-Bernoulli log-normalizer (hand-computed values), BatchNorm's weights and modes, the
// presets, and that old manifests' configurations (without the new fields) mean the old behaviour.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { MODEL_OPTION_DEFAULTS, resolveVqVaeConfig, type VqVaeConfig } from '../../models/vqvae/config';
import { emaCodebookStep } from '../../models/vqvae/emaCodebook';
import { VqVae } from '../../models/vqvae/model';
import { PRESET_NAMES, PRESETS } from '../../models/vqvae/presets';
import { continuousBernoulliLogNormalizer, continuousBernoulliMean, continuousBernoulliNll } from '../../models/vqvae/reconstructionLoss';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { validateVqVaeConfig } from '../../models/vqvae/validateConfig';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 };

before(async () => {
  await selectBackend('wasm');
});

const close = (actual: ArrayLike<number>, expected: number[], tolerance: number, what: string): void => {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${e}`));
};

test('one EMA step moves each code to the decayed average of its assigned encodings', () => {
  // K = 2 codes in 2D, decay 0.5, state N = [1, 1], m = e = [(0,0), (1,1)].
  // Encodings (2,0), (0,2) go to code 0, (4,4) to code 1: n = [2, 1], sums = [(2,2), (4,4)].
  //   N = 0.5 [1, 1] + 0.5 [2, 1] = [1.5, 1];  m = 0.5 [(0,0), (1,1)] + 0.5 [(2,2), (4,4)] = [(1,1), (2.5,2.5)]
  //   e = m / N = [(2/3, 2/3), (2.5, 2.5)]  (Laplace smoothing changes it by ~1e-5)
  // Code 0 moved from (0,0) towards its encodings' mean (1,1); code 1 from (1,1) towards (4,4).
  const state = {
    clusterSize: tf.tensor1d([1, 1]),
    embedSum: tf.tensor2d([
      [0, 0],
      [1, 1],
    ]),
  };
  const z = tf.tensor2d([
    [2, 0],
    [0, 2],
    [4, 4],
  ]);
  const step = emaCodebookStep(state, z, tf.tensor1d([0, 0, 1], 'int32'), 0.5);
  close(step.clusterSize.dataSync(), [1.5, 1], 1e-6, 'N');
  close(step.embedSum.dataSync(), [1, 1, 2.5, 2.5], 1e-6, 'm');
  close(step.codebook.dataSync(), [2 / 3, 2 / 3, 2.5, 2.5], 1e-4, 'e');
});

test('with EMA updates the codebook is no trainable variable, and a training forward+update moves it', () => {
  const model = VqVae.create({ ...TINY, codebookUpdate: 'ema', emaDecay: 0.9 }, 1);
  const codebook = model.getWeights()['quantizer/codebook'];
  assert.ok(!model.trainableVariables().includes(codebook as tf.Variable));
  assert.ok('quantizer/ema_cluster_size' in model.getWeights() && 'quantizer/ema_embed_sum' in model.getWeights());
  const before = codebook.dataSync().slice();
  tf.tidy(() => {
    const out = model.forward(tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D, { training: true });
    model.updateCodebookEma(out.zE, out.indices);
  });
  assert.notDeepEqual(model.getWeights()['quantizer/codebook'].dataSync(), before);
  model.dispose();
});

test('continuous-Bernoulli log C(lambda) matches 2 artanh(1-2 lambda)/(1-2 lambda), and log 2 at 1/2', () => {
  // By hand: log C(0.5) = log 2; C(0.25) = 2 artanh(0.5)/0.5 = 2.197225; C(0.1) = C(0.9) = 2 artanh(0.8)/0.8 = 2.746531;
  // C(0.49) = 2 artanh(0.02)/0.02 = 2.000267 (series branch); C(0.01) = 2 artanh(0.98)/0.98 = 4.688898.
  const lambdas = [0.5, 0.25, 0.1, 0.9, 0.49, 0.01];
  const expected = [Math.log(2), 0.787195, 1.010339, 1.010339, 0.693281, 1.545198];
  close(continuousBernoulliLogNormalizer(tf.tensor1d(lambdas)).dataSync(), expected, 2e-5, 'log C');
  // The gradient is finite everywhere, also at 1/2 where the closed form is 0/0 (and 0 there by symmetry).
  const gradient = tf
    .grad((l: tf.Tensor) => tf.sum(continuousBernoulliLogNormalizer(l)))(tf.tensor1d([0.5, 0.3]))
    .dataSync();
  assert.ok(Math.abs(gradient[0]) < 1e-3 && Number.isFinite(gradient[1]), `gradient ${gradient}`);
  // NLL of x = 1 under lambda = 0.25: -(log 0.25 + log C(0.25)).
  close(continuousBernoulliNll(tf.tensor1d([1]), tf.tensor1d([0.25])).dataSync(), [-(Math.log(0.25) + 0.787195)], 2e-5, 'NLL');
});

test('the model uses the continuous-Bernoulli NLL as its reconstruction term when configured', () => {
  const model = VqVae.create({ ...TINY, reconstructionLoss: 'continuous-bernoulli' }, 1);
  tf.tidy(() => {
    const x = tf.randomUniform([1, 16, 16, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const out = model.forward(x);
    assert.ok(Math.abs(model.loss(x, out).reconstruction.dataSync()[0] - continuousBernoulliNll(x, out.reconstruction).dataSync()[0]) < 1e-6);
  });
  model.dispose();
});

test('continuous-Bernoulli mean: lambda/(2 lambda - 1) + 1/(2 artanh(1 - 2 lambda)), 1/2 at 1/2, series near 1/2', () => {
  // Computed by hand from the closed form (Python math.atanh): the mean lies between lambda and 1/2.
  const lambdas = [0.5, 0.75, 0.25, 0.51, 0.99, 0.01];
  const expected = [0.5, 0.5897607734, 0.4102392266, 0.503333689, 0.7925819014, 0.2074180986];
  close(
    tf.tidy(() => continuousBernoulliMean(tf.tensor1d(lambdas)).dataSync()),
    expected,
    2e-5,
    'mean',
  );
});

test('scoring a continuous-Bernoulli model shows the distribution mean as reconstruction, an L1 model its output', async () => {
  const image = {
    dims: [16, 16, 1] as [number, number, number],
    spacing: [1, 1, 1] as [number, number, number],
    data: Float32Array.from({ length: 256 }, (_, i) => (i % 16) / 15),
  };
  for (const reconstructionLoss of ['continuous-bernoulli', 'l1'] as const) {
    const model = VqVae.create({ ...TINY, reconstructionLoss }, 1);
    const scored = await scoreVolume(model, image);
    const decoded = tf.tidy(() => model.forward(tf.tensor4d(scored.image.data, [1, 16, 16, 1])).reconstruction.dataSync());
    const expected = reconstructionLoss === 'l1' ? Array.from(decoded) : Array.from(tf.tidy(() => continuousBernoulliMean(tf.tensor1d(decoded)).dataSync()));
    close(scored.maps.reconstruction.data, expected, 1e-5, `${reconstructionLoss} reconstruction`);
    model.dispose();
  }
});

test('BatchNorm adds gamma/beta and running statistics; training moves the running statistics, inference uses them', () => {
  const model = VqVae.create({ ...TINY, batchNorm: true }, 1);
  const names = Object.keys(model.getWeights()).filter((n) => n.includes('batchnorm'));
  assert.deepEqual(names, [
    'encoder/down0/batchnorm/gamma',
    'encoder/down0/batchnorm/beta',
    'encoder/down0/batchnorm/running_mean',
    'encoder/down0/batchnorm/running_variance',
    'encoder/down1/batchnorm/gamma',
    'encoder/down1/batchnorm/beta',
    'encoder/down1/batchnorm/running_mean',
    'encoder/down1/batchnorm/running_variance',
    'decoder/up0/batchnorm/gamma',
    'decoder/up0/batchnorm/beta',
    'decoder/up0/batchnorm/running_mean',
    'decoder/up0/batchnorm/running_variance',
  ]);
  // Running statistics are state, not trainable.
  assert.equal(model.trainableVariables().length, Object.keys(model.getWeights()).length - 6);
  const runningMean = (): Float32Array => model.getWeights()['encoder/down0/batchnorm/running_mean'].dataSync() as Float32Array;
  const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const inference = (): Float32Array => tf.tidy(() => model.forward(x).reconstruction.dataSync() as Float32Array);
  const [meanBefore, reconstructionBefore] = [runningMean().slice(), inference()];
  assert.deepEqual(inference(), reconstructionBefore, 'inference changes nothing');
  tf.tidy(() => {
    model.forward(x, { training: true });
  });
  assert.notDeepEqual(runningMean(), meanBefore, 'a training forward moves the running mean');
  assert.notDeepEqual(inference(), reconstructionBefore);
  model.dispose();
});

test('a configuration without the new fields means loss-updated codebook, no BatchNorm, L1', () => {
  assert.deepEqual(resolveVqVaeConfig(TINY), { ...TINY, ...MODEL_OPTION_DEFAULTS });
  assert.deepEqual(MODEL_OPTION_DEFAULTS, { codebookUpdate: 'loss', emaDecay: 0.99, batchNorm: false, reconstructionLoss: 'l1', aspect: 'stretch' });
  assert.throws(() => validateVqVaeConfig({ ...TINY, aspect: 'crop' as 'pad' }), /aspect must be "pad" or "stretch", got "crop"/);
  assert.throws(
    () => validateVqVaeConfig({ ...TINY, codebookUpdate: 'kmeans' as 'ema', emaDecay: 1 }),
    /codebookUpdate must be "loss" or "ema".*emaDecay must be in \(0, 1\), got 1/,
  );
  assert.throws(
    () => validateVqVaeConfig({ ...TINY, reconstructionLoss: 'l2' as 'l1' }),
    /reconstructionLoss must be "l1" or "continuous-bernoulli", got "l2"/,
  );
});

test("every preset is a valid configuration with a description; the paper sizes are the papers'", () => {
  for (const name of PRESET_NAMES) {
    validateVqVaeConfig(PRESETS[name].config);
    assert.ok(PRESETS[name].description.length > 10);
  }
  const { inputSize, channels, codebookSize, codebookDim } = PRESETS['lsr-paper'].config;
  assert.deepEqual([inputSize / 2 ** channels.length, codebookSize, codebookDim], [20, 128, 256]); // 20x20 tokens for 160x160
  assert.deepEqual([PRESETS['lsgs-paper'].config.codebookSize, PRESETS['lsgs-paper'].config.codebookDim, PRESETS['lsgs-paper'].config.beta], [1024, 512, 1]);
  assert.deepEqual([PRESETS['gangloff-paper'].config.codebookSize, PRESETS['gangloff-paper'].config.codebookDim], [512, 256]);
});
