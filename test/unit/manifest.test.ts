// The extension manifest (package.json) agrees with the code: settings and their defaults, commands,
// menus, views and custom editors.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import manifest from '../../package.json';
import { COMMANDS, IMAGE_SCAN_VIEWER, MODEL_ITEM, MODELS_VIEW, SCAN_VIEWER } from '../../extension/commandIds';
import { DEFAULT_ILTM_ITERATIONS, DEFAULT_MODELS_FOLDER, DEFAULT_PRESET, DEFAULT_SCORING_PROCESSES } from '../../extension/settings';
import { DEFAULT_PRIOR_TRAINING } from '../../models/prior/priorTrainingConfig';
import { priorConfigFor } from '../../models/prior/transformerConfig';
import { BACKEND_ORDER } from '../../models/runtime/backendNames';
import { MODALITIES } from '../../models/scoring/modality';
import { POLARITIES } from '../../models/scoring/postProcessing';
import { DEFAULT_PRIOR_MAP_OPTIONS } from '../../models/scoring/priorMaps';
import { DEFAULT_SSIM_OPTIONS } from '../../models/scoring/ssim';
import { DEFAULT_DILATION_SIZE } from '../../models/scoring/ssimAlignment';
import { DEFAULT_TRAINING, MODEL_OPTION_DEFAULTS, TRAINING_OPTION_DEFAULTS } from '../../models/vqvae/config';
import { PRESET_NAMES, PRESETS } from '../../models/vqvae/presets';

interface SettingSchema {
  default: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  markdownDescription?: string;
}
const settings = manifest.contributes.configuration.properties as Record<string, SettingSchema>;

/** The defaults of the settings `vqAnomaly.<prefix>.*`, by the rest of their key. */
function defaultsOf(prefix: string): Record<string, unknown> {
  const fields = Object.keys(settings).filter((key) => key.startsWith(`vqAnomaly.${prefix}.`));
  return Object.fromEntries(fields.map((key) => [key.slice(`vqAnomaly.${prefix}.`.length), settings[key].default]));
}

test('the model settings are the default preset’s fields plus the model options, with the code’s defaults', () => {
  const { preset, ...fields } = defaultsOf('model');
  assert.equal(preset, DEFAULT_PRESET);
  assert.deepEqual(fields, { ...MODEL_OPTION_DEFAULTS, ...PRESETS[DEFAULT_PRESET].config });
});

test('the preset setting offers every preset with its description', () => {
  const schema = settings['vqAnomaly.model.preset'];
  assert.deepEqual(schema.enum, PRESET_NAMES);
  assert.deepEqual(
    schema.enumDescriptions,
    PRESET_NAMES.map((name) => PRESETS[name].description),
  );
});

test('every training setting has the code’s default, augmentations one setting each', () => {
  const { anomalousFolder, ...fields } = defaultsOf('training');
  assert.equal(anomalousFolder, '');
  const { augment, ...options } = TRAINING_OPTION_DEFAULTS;
  const augmentSettings = Object.fromEntries(Object.entries(augment).map(([field, value]) => [`augment.${field}`, value]));
  assert.deepEqual(fields, { ...DEFAULT_TRAINING, ...options, ...augmentSettings });
});

test('data and scoring settings default to every scan file and the scoring code’s parameters', () => {
  assert.deepEqual(defaultsOf('data'), { include: [], exclude: [], maskPatterns: [], normalization: 'percentile' });
  const priorMapSettings = Object.fromEntries(Object.entries(DEFAULT_PRIOR_MAP_OPTIONS).map(([field, value]) => [`prior.${field}`, value]));
  assert.deepEqual(defaultsOf('scoring'), {
    ssimWindowSize: DEFAULT_SSIM_OPTIONS.windowSize,
    dilationSize: DEFAULT_DILATION_SIZE,
    processes: DEFAULT_SCORING_PROCESSES,
    // The post-processing settings default to the scan modality's choice (models/scoring/modality.ts).
    modality: 'auto',
    polarity: 'auto',
    erosion: null,
    medianSize: null,
    hyperintensityPercentile: null,
    ...priorMapSettings,
  });
  assert.deepEqual(settings['vqAnomaly.scoring.modality'].enum, ['auto', ...MODALITIES]);
  assert.deepEqual(settings['vqAnomaly.scoring.polarity'].enum, ['auto', ...POLARITIES]);
});

test('the prior settings are the worker’s default architecture and training, with ILTM off', () => {
  // The fields that follow the VQ-VAE's token grid are no settings; the fixed LSR thresholds default to null (the calibrated ones).
  const { vocabSize, sequenceLength, ...architecture } = priorConfigFor({ vocabSize: 8, latentSize: 4 });
  assert.deepEqual(defaultsOf('prior'), { ...architecture, ...DEFAULT_PRIOR_TRAINING, iltmIterations: DEFAULT_ILTM_ITERATIONS, lambdaS: null, lambdaP: null });
  assert.deepEqual(settings['vqAnomaly.prior.attention'].enum, ['causal', 'bidirectional']);
});

test('the backend setting offers auto and every backend, the models folder defaults as the code does', () => {
  assert.deepEqual(settings['vqAnomaly.backend'].enum, ['auto', ...BACKEND_ORDER]);
  assert.equal(settings['vqAnomaly.backend'].default, 'auto');
  assert.equal(settings['vqAnomaly.modelsFolder'].default, DEFAULT_MODELS_FOLDER);
});

test('every setting is documented', () => {
  for (const [key, setting] of Object.entries(settings)) assert.ok(setting.markdownDescription, `${key} has no markdownDescription`);
});

test('the contributed commands are the registered ones, and menus only use those', () => {
  const declared = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...declared].sort(), Object.values(COMMANDS).sort());
  const submenus = manifest.contributes.submenus.map((s) => s.id);
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) {
      if ('submenu' in entry) assert.ok(submenus.includes(entry.submenu), `${menu} uses the undeclared submenu ${entry.submenu}`);
      else assert.ok(declared.includes(entry.command), `${menu} uses the undeclared ${entry.command}`);
    }
  }
});

test('Train latent prior is offered in the folder submenu of trusted workspaces with a model, and in their palette', () => {
  const { menus } = manifest.contributes;
  assert.equal(menus['explorer/context'][0].when, '(explorerResourceIsFolder || resourceExtname == .csv) && isWorkspaceTrusted');
  assert.equal(menus['vqAnomaly.folderMenu'].find((e) => e.command === COMMANDS.trainPrior)?.when, 'explorerResourceIsFolder && vqAnomaly.hasModels');
  assert.equal(menus.commandPalette.find((e) => e.command === COMMANDS.trainPrior)?.when, 'isWorkspaceTrusted');
});

test('every command that writes files, settings or runs models is disabled in untrusted workspaces', () => {
  // Opening a mask over a scan reads a file as the viewer itself does in Restricted Mode; it writes nothing and runs no model.
  const readOnly: string[] = [COMMANDS.showLog, COMMANDS.openModelDetails, COMMANDS.refreshModels, COMMANDS.openOverlay];
  for (const command of manifest.contributes.commands) {
    if (!readOnly.includes(command.command)) assert.equal(command.enablement, 'isWorkspaceTrusted', `${command.command} is enabled in Restricted Mode`);
  }
});

test('the models view is in the Explorer and its item menus act on model items', () => {
  assert.deepEqual(
    manifest.contributes.views.explorer.map((v) => v.id),
    [MODELS_VIEW],
  );
  const itemMenus = manifest.contributes.menus['view/item/context'];
  assert.ok(itemMenus.length > 0);
  for (const entry of itemMenus) assert.match(entry.when, new RegExp(`view == ${MODELS_VIEW} && viewItem == ${MODEL_ITEM}`));
  assert.deepEqual([...new Set(itemMenus.map((e) => e.command))].sort(), [COMMANDS.deleteModel, COMMANDS.openModelDetails, COMMANDS.selectModel].sort());
});

test('the scan viewer is the default editor for NIfTI and an option for PNG/JPEG', () => {
  const editors = manifest.contributes.customEditors.map((e) => ({
    viewType: e.viewType,
    priority: e.priority,
    patterns: e.selector.map((s) => s.filenamePattern),
  }));
  assert.deepEqual(editors, [
    { viewType: SCAN_VIEWER, priority: 'default', patterns: ['*.nii', '*.nii.gz'] },
    { viewType: IMAGE_SCAN_VIEWER, priority: 'option', patterns: ['*.png', '*.jpg', '*.jpeg'] },
  ]);
});
