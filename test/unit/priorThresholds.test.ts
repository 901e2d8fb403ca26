// Fixed LSR thresholds (`vqAnomaly.prior.lambdaS` / `lambdaP`, CLI --lambda-s / --lambda-p) instead of the
// calibrated ones (methods.md §6): lambda_s sets which token NLLs the sample score sums, lambda_p which
// tokens the restoration resamples.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readSettings, type SettingsSource } from '../../extension/settings';
import { normalizeVolume } from '../../models/io/normalize';
import { resizeBilinear } from '../../models/io/resize';
import type { Volume } from '../../models/io/volume';
import { sampleScore } from '../../models/prior/nll';
import { sequenceNll } from '../../models/prior/sequenceNll';
import { encodeTokens } from '../../models/prior/tokens';
import { PriorTransformer } from '../../models/prior/transformer';
import { selectBackend } from '../../models/runtime/backend';
import { priorThresholds } from '../../models/scoring/priorMaps';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { VqVae } from '../../models/vqvae/model';
import { calibration, TINY_PRIOR_CONFIG, TINY_VQVAE } from './priorFixtures';

let model: VqVae;
let prior: PriorTransformer;
before(async () => {
  await selectBackend('wasm');
  model = VqVae.create(TINY_VQVAE, 3);
  prior = PriorTransformer.create(TINY_PRIOR_CONFIG, 2);
});
after(() => {
  model.dispose();
  prior.dispose();
});

/** A 16x16 image (the model's size: no resizing) of a seeded positive pattern. */
const image: Volume = {
  dims: [16, 16, 1],
  spacing: [1, 1, 1],
  data: Float32Array.from({ length: 256 }, (_, i) => 10 + ((i * 7919) % 97)),
  rowOrder: 'top-down',
};

test('a fixed threshold replaces the calibrated one; without either there is none', () => {
  assert.deepEqual(priorThresholds(calibration(7, 5), {}), { lambdaS: 7, lambdaP: 5 });
  assert.deepEqual(priorThresholds(calibration(7, 5), { lambdaS: 3 }), { lambdaS: 3, lambdaP: 5 });
  assert.deepEqual(priorThresholds(undefined, { lambdaP: 4 }), { lambdaS: undefined, lambdaP: 4 });
  assert.deepEqual(priorThresholds(undefined, {}), { lambdaS: undefined, lambdaP: undefined });
});

test('AS_sample sums the NLLs above lambda_s: a hand-computed case', () => {
  // nll 1, 5, 8, 3: above 4 are 5 and 8; above 6 only 8; above 9 none.
  assert.equal(sampleScore([1, 5, 8, 3], 4), 13);
  assert.equal(sampleScore([1, 5, 8, 3], 6), 8);
  assert.equal(sampleScore([1, 5, 8, 3], 9), 0);
});

test('a fixed lambda_s sets the sample score of a scan: the sum of its token NLLs above it', async () => {
  const [tokens] = await encodeTokens(model, [resizeBilinear(normalizeVolume(image), 16, 16, 16, 16)]);
  const [nll] = await sequenceNll(prior, [tokens]);
  const sorted = [...nll].sort((a, b) => a - b);
  const lambdaS = (sorted[7] + sorted[8]) / 2; // half of the 16 tokens lie above
  const expected = sorted.slice(8).reduce((a, b) => a + b, 0);
  const scored = await scoreVolume(model, image, {
    prior: { prior, calibration: calibration(0, 1) },
    priorMaps: { lambdaS, restorationSamples: 0, kdeSamplings: 0 },
  });
  assert.equal(scored.priorScores?.lambdaS, lambdaS);
  assert.ok(Math.abs(scored.priorScores!.score - expected) < 1e-4, `${scored.priorScores!.score} = ${expected}`);
  // A fixed lambda_s needs no calibration.
  const uncalibrated = await scoreVolume(model, image, { prior: { prior }, priorMaps: { lambdaS, restorationSamples: 0, kdeSamplings: 0 } });
  assert.ok(Math.abs(uncalibrated.priorScores!.score - expected) < 1e-4);
});

test('a fixed lambda_p above every NLL leaves all tokens alone: each restoration is the reconstruction', async () => {
  const options = { restorationSamples: 3, kdeSamplings: 0 };
  // Calibrated lambda_p = 0 resamples every token ...
  const resampled = await scoreVolume(model, image, { prior: { prior, calibration: calibration(0, 0) }, priorMaps: options });
  const reconstruction = resampled.maps.reconstruction.data;
  const differs = (data: Float32Array) => data.some((v, i) => Math.abs(v - reconstruction[i]) > 1e-5);
  assert.ok(
    resampled.restorations!.samples.some((s) => differs(s.data)),
    'with lambda_p = 0 some restoration differs',
  );
  // ... a fixed lambda_p above every NLL resamples none.
  const kept = await scoreVolume(model, image, { prior: { prior, calibration: calibration(0, 0) }, priorMaps: { ...options, lambdaP: 1e9 } });
  assert.equal(kept.restorations!.samples.length, 3);
  assert.ok(
    kept.restorations!.samples.every((s) => !differs(s.data)),
    'every restoration is the reconstruction',
  );
});

test('the settings pass numeric prior.lambdaS / prior.lambdaP to scoring, null means the calibrated value', () => {
  const source = (values: Record<string, unknown>): SettingsSource => ({
    get: ((key: string, fallback?: unknown) => (key in values ? values[key] : fallback)) as SettingsSource['get'],
    inspect: (() => undefined) as SettingsSource['inspect'],
  });
  assert.deepEqual(readSettings(source({ 'prior.lambdaS': 7, 'prior.lambdaP': null })).scoring.priorMaps, { lambdaS: 7 });
  assert.deepEqual(readSettings(source({ 'prior.lambdaS': null, 'prior.lambdaP': 5 })).scoring.priorMaps, { lambdaP: 5 });
  assert.deepEqual(readSettings(source({})).scoring.priorMaps, {});
});
