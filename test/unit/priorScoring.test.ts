// Scoring with a latent prior (methods.md §6): the NLL map and LSR sample scores, the restoration and
// KDE maps in the scan's grid, and the restorations to browse.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { toModelInput } from '../../models/io/modelGrid';
import { normalizeVolume } from '../../models/io/normalize';
import { resizeBilinear } from '../../models/io/resize';
import type { Volume } from '../../models/io/volume';
import { sampleScore } from '../../models/prior/nll';
import type { PriorCalibration } from '../../models/prior/priorCheckpoint';
import { sequenceNll } from '../../models/prior/sequenceNll';
import { encodeTokens } from '../../models/prior/tokens';
import { PriorTransformer } from '../../models/prior/transformer';
import { selectBackend } from '../../models/runtime/backend';
import { scoreVolume } from '../../models/scoring/scoreScan';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';
import { CancelledError } from '../../models/worker/cancelled';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };
const LATENT = 4;

let model: VqVae;
let prior: PriorTransformer;

before(async () => {
  await selectBackend('wasm');
  model = VqVae.create(TINY, 3);
  prior = PriorTransformer.create(
    {
      vocabSize: 8,
      sequenceLength: LATENT * LATENT,
      dModel: 8,
      layers: 1,
      heads: 2,
      feedForward: 16,
      dropout: 0,
      conditionOnSlicePosition: false,
      attention: 'causal',
    },
    2,
  );
});

after(() => {
  model.dispose();
  prior.dispose();
});

const calibration = (lambdaS: number, lambdaP: number): PriorCalibration => ({
  lambdaS,
  lambdaP,
  percentileS: 98,
  percentileP: 90,
  source: 'held-out',
  sequences: 10,
});
const FEW_SAMPLES = { restorationSamples: 4, kdeSamplings: 3, kdeDropoutDecodes: 2 };

/** A width x height x depth volume of a seeded positive pattern; the slices in `empty` are 0. */
function syntheticVolume(width: number, height: number, depth: number, empty: number[] = []): Volume {
  const data = new Float32Array(width * height * depth);
  for (let i = 0; i < data.length; i++) data[i] = empty.includes(Math.floor(i / (width * height))) ? 0 : 10 + ((i * 7919) % 97);
  return { dims: [width, height, depth], spacing: [1, 1, 1], data, rowOrder: 'top-down' };
}

test('a 2D image: the nll map is the prior NLL of its tokens upsampled, with its LSR sample score, leaking no tensor', async () => {
  const volume = syntheticVolume(24, 20, 1);
  const before = tf.memory().numTensors;
  // raw: the maps as computed, without the 2D median of the post-processing stage.
  const result = await scoreVolume(model, volume, { prior: { prior, calibration: calibration(2, 1.5) }, priorMaps: FEW_SAMPLES, raw: true });
  assert.equal(tf.memory().numTensors, before);

  const [tokens] = await encodeTokens(model, [toModelInput(normalizeVolume(volume), 24, 20, 16, 'stretch')]);
  const [nll] = await sequenceNll(prior, [tokens]);
  const expected = resizeBilinear(nll, LATENT, LATENT, 24, 20);
  assert.ok(result.maps.nll, 'an nll map');
  assert.deepEqual(result.maps.nll.dims, [24, 20, 1]);
  assert.ok(result.maps.nll.data.every((v, i) => Math.abs(v - expected[i]) < 1e-5));
  assert.deepEqual(result.priorScores, { sliceScores: [sampleScore(nll, 2)], score: sampleScore(nll, 2), lambdaS: 2 });

  for (const name of ['restoration', 'kde'] as const) assert.deepEqual(result.maps[name]?.dims, [24, 20, 1], name);
  assert.ok(result.maps.restoration?.data.every((v) => v >= 0));
  assert.equal(result.restorations?.samples.length, 4);
  assert.ok(result.restorations?.samples.every((s) => s.data.length === 24 * 20));
});

test('with no token above lambda_p, every restoration is the reconstruction', async () => {
  const result = await scoreVolume(model, syntheticVolume(16, 16, 1), { prior: { prior, calibration: calibration(2, Infinity) }, priorMaps: FEW_SAMPLES });
  const reconstruction = result.maps.reconstruction.data;
  for (const grid of [result.restorations!.mean, ...result.restorations!.samples]) {
    assert.ok(grid.data.every((v, i) => Math.abs(v - reconstruction[i]) < 1e-5));
  }
});

test('a volume: prior maps in its grid, 0 on slices without foreground; no restoration map or LSR scores without a calibration', async () => {
  const volume = syntheticVolume(12, 10, 3, [0]);
  const calibrated = await scoreVolume(model, volume, { prior: { prior, calibration: calibration(2, 1.5) }, priorMaps: FEW_SAMPLES });
  for (const name of ['nll', 'restoration', 'kde'] as const) {
    const map = calibrated.maps[name];
    assert.deepEqual(map?.dims, [12, 10, 3], name);
    assert.ok(
      map?.data.subarray(0, 120).every((v) => v === 0),
      `${name} is 0 on the empty slice`,
    );
  }
  assert.equal(calibrated.priorScores?.sliceScores.length, 3);
  assert.equal(calibrated.priorScores?.sliceScores[0], 0);
  assert.equal(calibrated.restorations?.samples.length, 4, 'kept for a volume of at most 16 scored slices');

  const uncalibrated = await scoreVolume(model, volume, { prior: { prior }, priorMaps: FEW_SAMPLES });
  assert.deepEqual(
    Object.keys(uncalibrated.maps)
      .filter((n) => ['nll', 'restoration', 'kde'].includes(n))
      .sort(),
    ['kde', 'nll'],
  );
  assert.equal(uncalibrated.priorScores, undefined);
  assert.equal(uncalibrated.restorations, undefined);
});

test('a cancel during the prior maps stops scoring with a CancelledError, leaking no tensor', async () => {
  const before = tf.memory().numTensors;
  let checks = 0;
  const isCancelled = () => ++checks > 1; // the batch check passes, the first slice's check cancels
  await assert.rejects(
    scoreVolume(model, syntheticVolume(16, 16, 1), { prior: { prior, calibration: calibration(2, 1.5) }, priorMaps: FEW_SAMPLES, isCancelled }),
    CancelledError,
  );
  assert.equal(tf.memory().numTensors, before);
});

test('a prior of another token grid than the model is refused with a clear message', async () => {
  const other = PriorTransformer.create(
    {
      vocabSize: 16,
      sequenceLength: LATENT * LATENT,
      dModel: 8,
      layers: 1,
      heads: 2,
      feedForward: 16,
      dropout: 0,
      conditionOnSlicePosition: false,
      attention: 'causal',
    },
    2,
  );
  await assert.rejects(
    scoreVolume(model, syntheticVolume(16, 16, 1), { prior: { prior: other } }),
    /prior models 16 tokens of 16 codes, but the model gives 16 tokens of 8 codes/,
  );
  other.dispose();
});
