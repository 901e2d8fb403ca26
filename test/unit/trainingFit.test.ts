import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataProfile, fitWarnings, foregroundFraction, scanFit, shapeWarnings, sliceFit, type DataProfile } from '../../models/scoring/trainingFit';
import type { ModelHealth } from '../../models/vqvae/modelHealth';

const HEALTH: ModelHealth = { reconstructionL1: 0.02, constantL1: 0.08, codesInUse: 100, codebookSize: 128, checkedOn: 'validation', problems: [] };
const FLAIR_PROFILE: DataProfile = { modality: 'flair', foregroundFraction: [0.05, 0.35] };
const CONFIG = { inputSize: 64, aspect: 'pad' as const };
const model = { config: CONFIG, data: { profile: FLAIR_PROFILE }, health: HEALTH };

describe('the figures of a scan', () => {
  it('counts the pixels strictly above the foreground threshold 0.05', () => {
    assert.equal(foregroundFraction(Float32Array.from([0, 0.06, 0.04, 1])), 0.5);
  });

  it("takes a slice's mean |x - x̂| and a scan's mean over slices and median foreground fraction", () => {
    assert.deepEqual(sliceFit(Float32Array.from([0, 1, 0.5, 0.5]), Float32Array.from([0.5, 0.5, 0.5, 0.5])), { l1: 0.25, foregroundFraction: 0.75 });
    const slices = [
      { l1: 0.1, foregroundFraction: 0.9 },
      { l1: 0.3, foregroundFraction: 0.1 },
      { l1: 0.2, foregroundFraction: 0.5 },
    ];
    const fit = scanFit('t1', [182, 218], slices);
    assert.equal(fit.modality, 't1');
    assert.deepEqual(fit.size, [182, 218]);
    assert.equal(fit.foregroundFraction, 0.5);
    assert.ok(Math.abs(fit.reconstructionL1 - 0.2) < 1e-12);
  });

  it("profiles the training data by its files' most common modality and its slices' 5-95 % foreground range", () => {
    // 21 slices with foreground fractions 0, 1/20, ..., 1: the 5th percentile is 1/20, the 95th 19/20.
    const slices = Array.from({ length: 21 }, (_, k) => Float32Array.from({ length: 20 }, (_, i) => (i < k ? 1 : 0)));
    const profile = dataProfile(['a/p1_FLAIR.nii.gz', 'a/p2_flair.nii', 'a/p3_T1.nii.gz'], slices);
    assert.equal(profile.modality, 'flair');
    assert.ok(
      Math.abs(profile.foregroundFraction[0] - 0.05) < 1e-6 && Math.abs(profile.foregroundFraction[1] - 0.95) < 1e-6,
      String(profile.foregroundFraction),
    );
    assert.equal(dataProfile(['tiles/a.png', 'tiles/b.jpg'], slices).modality, 'image');
  });
});

const fit = { modality: 'flair' as const, size: [182, 218] as [number, number], foregroundFraction: 0.3, reconstructionL1: 0.03 };

describe('fitWarnings', () => {
  it('says nothing for a scan like the training data, or for an old model without profile and health', () => {
    assert.deepEqual(fitWarnings(model, fit), []);
    assert.deepEqual(fitWarnings({ config: CONFIG, data: {} }, { ...fit, modality: 't1', foregroundFraction: 0.9, reconstructionL1: 1 }), []);
  });

  it('names another MRI contrast, but not a 2D model scoring the volumes its slices came from', () => {
    assert.deepEqual(fitWarnings(model, { ...fit, modality: 't1' }), ['the model was trained on FLAIR scans, this one is T1 by its file name']);
    assert.deepEqual(fitWarnings({ ...model, data: { profile: { ...FLAIR_PROFILE, modality: 'image' } } }, { ...fit, modality: 'volume' }), []);
  });

  it('flags a foreground more than 10 points outside the training range (a skull), and not one within the margin', () => {
    assert.deepEqual(fitWarnings(model, { ...fit, foregroundFraction: 0.44 }), []);
    assert.deepEqual(fitWarnings(model, { ...fit, foregroundFraction: 0.48 }), [
      'its foreground covers 48 % of a slice, against 5 %-35 % in the training data (a skull or background the training scans did not have, or another field of view)',
    ]);
  });

  it("flags a reconstruction error more than twice the model's validation error", () => {
    assert.deepEqual(fitWarnings(model, { ...fit, reconstructionL1: 0.04 }), []);
    assert.deepEqual(fitWarnings(model, { ...fit, reconstructionL1: 0.066 }), [
      'the model reconstructs it 3.3x worse than its validation images (L1 0.0660 vs 0.0200)',
    ]);
  });
});

describe('shapeWarnings', () => {
  it('says nothing for a slice at most 4x smaller than the input and at most 4:1', () => {
    assert.deepEqual(shapeWarnings([16, 16], CONFIG), []);
    assert.deepEqual(shapeWarnings([400, 100], CONFIG), []);
  });

  it('flags a 1x1 image: enlarged 64x to a 64 px input', () => {
    assert.deepEqual(shapeWarnings([1, 1], CONFIG), ["it is 1x1 pixels, enlarged 64x to the model's 64x64 input: its maps cannot show detail"]);
    assert.deepEqual(shapeWarnings([15, 10], CONFIG), ["it is 15x10 pixels, enlarged 4x to the model's 64x64 input: its maps cannot show detail"]);
  });

  it('flags a 1000x10 image: padded, its 10 px side spans 10/1000 * 64 = 0.6 input pixels; stretched 100x by an older model', () => {
    assert.deepEqual(shapeWarnings([1000, 10], CONFIG), [
      "its 1000x10 pixels (100:1) are padded to the model's square input, where its short side spans 0.6 of 64 pixels",
    ]);
    assert.deepEqual(shapeWarnings([10, 1000], { inputSize: 64 }), [
      "its 10x1000 pixels (100:1) are stretched 100x along one side to the model's square input",
    ]);
  });

  it('is part of fitWarnings, before the other reasons', () => {
    assert.deepEqual(fitWarnings(model, { ...fit, size: [1000, 10], reconstructionL1: 0.066 }), [
      "its 1000x10 pixels (100:1) are padded to the model's square input, where its short side spans 0.6 of 64 pixels",
      'the model reconstructs it 3.3x worse than its validation images (L1 0.0660 vs 0.0200)',
    ]);
  });
});
