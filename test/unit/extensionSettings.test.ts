// extension/settings.ts: the preset with explicitly set model settings on top, and the training, data,
// scoring and latent prior settings, read through a fake WorkspaceConfiguration; and the worker
// parameters "Train latent prior" makes of them.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priorTrainedMessage, trainPriorParams } from '../../extension/commands/priorTraining';
import { DEFAULT_PRIOR_ARCHITECTURE, PRIOR_MAP_FIELDS, PRIOR_TRAINING_FIELDS, type SettingsSource, readSettings } from '../../extension/settings';
import { DEFAULT_PRIOR_TRAINING } from '../../models/prior/priorTrainingConfig';
import { DEFAULT_PRIOR_MAP_OPTIONS } from '../../models/scoring/priorMaps';
import { DEFAULT_TRAINING, TRAINING_OPTION_DEFAULTS } from '../../models/vqvae/config';
import { PRESETS } from '../../models/vqvae/presets';

/**
 * A configuration where `user` and `workspace` hold explicitly set values by key; get() falls back to
 * `defaults` (what package.json declares) and then to the caller's default, as VS Code's does.
 */
function fakeConfig(options: { user?: Record<string, unknown>; workspace?: Record<string, unknown>; defaults?: Record<string, unknown> }): SettingsSource {
  const { user = {}, workspace = {}, defaults = {} } = options;
  const get = (key: string, fallback?: unknown) => workspace[key] ?? user[key] ?? defaults[key] ?? fallback;
  const inspect = (key: string) => ({ key, defaultValue: defaults[key], globalValue: user[key], workspaceValue: workspace[key] });
  return { get, inspect } as SettingsSource;
}

describe('readSettings', () => {
  it('uses the chosen preset as the model configuration when no model setting is set', () => {
    // The package.json defaults of the model settings (cpu-small's values) must not override the preset.
    const defaults = { 'model.inputSize': 64, 'model.codebookSize': 128, 'model.reconstructionLoss': 'l1' };
    const settings = readSettings(fakeConfig({ workspace: { 'model.preset': 'gangloff-paper' }, defaults }));
    assert.equal(settings.preset, 'gangloff-paper');
    assert.deepEqual(settings.model, PRESETS['gangloff-paper'].config);
  });

  it('lets explicitly set model settings override the preset, the workspace value over the user value', () => {
    const settings = readSettings(
      fakeConfig({
        user: { 'model.preset': 'lsr-paper', 'model.codebookSize': 64, 'model.batchNorm': true },
        workspace: { 'model.codebookSize': 32 },
      }),
    );
    assert.deepEqual(settings.model, { ...PRESETS['lsr-paper'].config, codebookSize: 32, batchNorm: true });
  });

  it('falls back to the default preset for an unknown preset name', () => {
    const settings = readSettings(fakeConfig({ workspace: { 'model.preset': 'no-such-preset' } }));
    assert.equal(settings.preset, 'cpu-small');
    assert.deepEqual(settings.model, PRESETS['cpu-small'].config);
  });

  it('reads every training option and the augmentations into one TrainingConfig', () => {
    const settings = readSettings(
      fakeConfig({
        workspace: { 'training.epochs': 3, 'training.lrSchedule': 'cosine', 'training.augment.flip': true, 'training.augment.noise': 0.02 },
      }),
    );
    assert.deepEqual(settings.training, {
      ...DEFAULT_TRAINING,
      ...TRAINING_OPTION_DEFAULTS,
      epochs: 3,
      lrSchedule: 'cosine',
      augment: { ...TRAINING_OPTION_DEFAULTS.augment, flip: true, noise: 0.02 },
    });
  });

  it('reads the data selection, the anomalous folder and the scoring parameters', () => {
    const settings = readSettings(
      fakeConfig({
        workspace: { 'data.include': ['*.png'], 'data.maskPatterns': ['labels/**'], 'training.anomalousFolder': ' defects ', 'scoring.ssimWindowSize': 11 },
      }),
    );
    assert.deepEqual(settings.data, { include: ['*.png'], exclude: [], maskPatterns: ['labels/**'], normalization: 'percentile' });
    assert.equal(settings.anomalousFolder, 'defects');
    assert.deepEqual(settings.scoring, { ssimWindowSize: 11, dilationSize: undefined, priorMaps: {} });
  });

  it("leaves post-processing to the scan's modality by default and passes the fields set, with percentile 0 turning the prior off", () => {
    const declared = {
      'scoring.modality': 'auto',
      'scoring.polarity': 'auto',
      'scoring.erosion': null,
      'scoring.medianSize': null,
      'scoring.hyperintensityPercentile': null,
    };
    const byDefault = readSettings(fakeConfig({ defaults: declared }));
    assert.equal(byDefault.scoring.modality, undefined);
    assert.equal(byDefault.scoring.postProcessing, undefined);
    const set = readSettings(
      fakeConfig({
        defaults: declared,
        workspace: { 'scoring.modality': 't1', 'scoring.polarity': 'both', 'scoring.medianSize': 0, 'scoring.hyperintensityPercentile': 0 },
      }),
    );
    assert.equal(set.scoring.modality, 't1');
    assert.deepEqual(set.scoring.postProcessing, { polarity: 'both', medianSize: 0, hyperintensityPercentile: null });
    const percentile = readSettings(fakeConfig({ defaults: declared, workspace: { 'scoring.hyperintensityPercentile': 90, 'scoring.erosion': 1 } }));
    assert.deepEqual(percentile.scoring.postProcessing, { erosion: 1, hyperintensityPercentile: 90 });
  });

  it('reads the prior architecture with the worker defaults, and only the prior training and map settings that have a value', () => {
    const settings = readSettings(
      fakeConfig({
        workspace: {
          'prior.dModel': 16,
          'prior.layers': 1,
          'prior.attention': 'bidirectional',
          'prior.epochs': 2,
          'prior.focalBeta': 0.5,
          'prior.iltmIterations': 3,
          'scoring.prior.kdeSamplings': 4,
          'scoring.prior.restorationReference': 'reconstruction',
        },
      }),
    );
    assert.deepEqual(settings.prior, {
      architecture: { ...DEFAULT_PRIOR_ARCHITECTURE, dModel: 16, layers: 1, attention: 'bidirectional' },
      // Unset fields are left out (not undefined), so that the worker's defaults apply.
      training: { epochs: 2, focalBeta: 0.5 },
      iltmIterations: 3,
    });
    assert.deepEqual(settings.scoring.priorMaps, { kdeSamplings: 4, restorationReference: 'reconstruction' });
  });

  it('turns ILTM off and reads every prior setting declared in package.json', () => {
    // As in VS Code, where package.json declares every field with the worker's default.
    const defaults = {
      ...Object.fromEntries(Object.entries(DEFAULT_PRIOR_TRAINING).map(([field, value]) => [`prior.${field}`, value])),
      ...Object.fromEntries(Object.entries(DEFAULT_PRIOR_MAP_OPTIONS).map(([field, value]) => [`scoring.prior.${field}`, value])),
    };
    const settings = readSettings(fakeConfig({ defaults }));
    assert.equal(settings.prior.iltmIterations, 0);
    assert.deepEqual(settings.prior.training, DEFAULT_PRIOR_TRAINING);
    assert.deepEqual(settings.scoring.priorMaps, DEFAULT_PRIOR_MAP_OPTIONS);
  });

  it('lists every field of the prior training and map options', () => {
    assert.deepEqual([...PRIOR_TRAINING_FIELDS].sort(), Object.keys(DEFAULT_PRIOR_TRAINING).sort());
    assert.deepEqual([...PRIOR_MAP_FIELDS].sort(), Object.keys(DEFAULT_PRIOR_MAP_OPTIONS).sort());
  });
});

describe('trainPriorParams', () => {
  const settingsWith = (workspace: Record<string, unknown>) => readSettings(fakeConfig({ workspace }));

  it('passes the prior settings and leaves ILTM out when its iterations are 0', () => {
    const settings = settingsWith({ 'prior.heads': 2, 'prior.batchSize': 4, 'scoring.prior.kdeSamplings': 3 });
    assert.deepEqual(trainPriorParams('/ws/.anomaly-models/train', '/ws/train', settings, 0), {
      modelDir: '/ws/.anomaly-models/train',
      folder: '/ws/train',
      prior: { ...DEFAULT_PRIOR_ARCHITECTURE, heads: 2 },
      training: { batchSize: 4 },
    });
  });

  it('runs ILTM with the KDE settings of the scoring that are set, and no other map setting', () => {
    const settings = settingsWith({ 'scoring.prior.kdeSamplings': 3, 'scoring.prior.kdeThreshold': 0.01, 'scoring.prior.restorationSamples': 2 });
    const params = trainPriorParams('/m', '/f', settings, 2);
    assert.deepEqual(params.iltm, { iterations: 2, kde: { kdeSamplings: 3, kdeThreshold: 0.01 } });
  });
  it('summarizes the result with the thresholds and the masked tokens of each ILTM iteration', () => {
    const result = {
      modelDir: '/ws/.anomaly-models/train',
      epochsCompleted: 2,
      finalLoss: 3.14159,
      sequences: 40,
      cancelled: false,
      lambdaS: 5.4321,
      lambdaP: 4,
      iltm: [
        { threshold: 0.005, maskedTokens: 120 },
        { threshold: 0.0043, maskedTokens: 119 },
      ],
    };
    assert.equal(
      priorTrainedMessage('brains', result),
      'Latent prior of train trained on 40 slices of brains: 2 epochs, final loss 3.1416; lambda_s = 5.432, lambda_p = 4.000. ' +
        'ILTM masked 120 tokens at t = 0.00500, then 119 tokens at t = 0.00430.',
    );
    assert.doesNotMatch(priorTrainedMessage('brains', { ...result, iltm: undefined }), /ILTM/);
  });
});
