// The extension's settings (`vqAnomaly.*` in VS Code), read into the model's own configuration types.
// The model configuration is the preset (`model.preset`, models/vqvae/presets.ts) with every model
// setting the user set explicitly (in any scope) on top; the training, data, scoring and latent prior
// settings map one to one onto fields of TrainingConfig, DatasetOptions, the scoring options (with the
// prior's PriorMapOptions under `scoring.prior.*`), PriorConfig and PriorTrainingConfig, with the code's
// defaults (package.json repeats them; test/unit/manifest.test.ts keeps the two equal). The worker
// validates the values before use.

import type * as vscode from 'vscode';
import type { ScanSelection } from '../models/io/dataset';
import type { Normalization } from '../models/io/normalize';
import type { PriorTrainingConfig } from '../models/prior/priorTrainingConfig';
import { CPU_PRIOR_ARCHITECTURE, type PriorConfig } from '../models/prior/transformerConfig';
import type { BackendPreference } from '../models/runtime/backendNames';
import type { Modality } from '../models/scoring/modality';
import type { Polarity, PostProcessing } from '../models/scoring/postProcessing';
import type { PriorMapOptions } from '../models/scoring/priorMaps';
import {
  DEFAULT_TRAINING,
  MODEL_OPTION_DEFAULTS,
  SMALL_PRESET,
  TRAINING_OPTION_DEFAULTS,
  type AugmentConfig,
  type TrainingConfig,
  type VqVaeConfig,
} from '../models/vqvae/config';
import { PRESETS, isPresetName, type PresetName } from '../models/vqvae/presets';
import type { Recipe } from '../models/vqvae/recipes';
import type { ScoringParameters } from '../models/worker/protocol';

export const SETTINGS_SECTION = 'vqAnomaly';
export const DEFAULT_MODELS_FOLDER = '.anomaly-models';
export const DEFAULT_PRESET: PresetName = 'cpu-small';
/** ILTM is off unless asked for: it only helps when the training folder holds anomalies (methods.md §7). */
export const DEFAULT_ILTM_ITERATIONS = 0;
/** The wasm backend's threads: 0 = one per core (models/runtime/wasmThreads.ts). */
export const DEFAULT_WASM_THREADS = 0;
/** Folder scoring's worker processes: 0 = one per core (on the wasm and cpu backends; models/pool/processCount.ts). */
export const DEFAULT_SCORING_PROCESSES = 0;

/** The prior's architecture settings: every PriorConfig field but those that follow the VQ-VAE's token grid. */
export type PriorArchitecture = Pick<PriorConfig, 'dModel' | 'layers' | 'heads' | 'feedForward' | 'dropout' | 'attention' | 'conditionOnSlicePosition'>;
/** The worker's default architecture (models/prior/transformerConfig.ts priorConfigFor): the CPU size, causal, unconditioned. */
export const DEFAULT_PRIOR_ARCHITECTURE: PriorArchitecture = { ...CPU_PRIOR_ARCHITECTURE, attention: 'causal', conditionOnSlicePosition: false };

// The prior's training and map settings, by field. Their defaults live in modules that load tfjs
// (priorTrainingConfig.ts, priorMaps.ts), which the extension host does not: an unset field is left
// out and the worker applies its default (package.json declares the same ones, so in VS Code every
// field is set). test/unit/extensionSettings.test.ts checks that these lists name every field.
export const PRIOR_TRAINING_FIELDS = [
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'replacedFraction',
  'focalBeta',
] as const satisfies readonly (keyof PriorTrainingConfig)[];
export const PRIOR_MAP_FIELDS = [
  'restorationSamples',
  'restorationReference',
  'kdeSamplings',
  'kdeDropoutDecodes',
  'kdeThreshold',
  'kdeEps',
  'seed',
] as const satisfies readonly (keyof PriorMapOptions)[];

/** The model settings a preset stands for: every field of a VqVaeConfig, each one a `model.<field>` setting. */
const MODEL_FIELDS = [...Object.keys(SMALL_PRESET), ...Object.keys(MODEL_OPTION_DEFAULTS)] as (keyof VqVaeConfig)[];

/** The subset of VS Code's WorkspaceConfiguration the settings are read through (a plain object in unit tests). */
export type SettingsSource = Pick<vscode.WorkspaceConfiguration, 'get' | 'inspect'>;

export interface Settings {
  /** Which tfjs backend the worker uses ('auto' tries the fastest available first). */
  backend: BackendPreference;
  /** The wasm backend's threads; 0 = one per core. */
  wasmThreads: number;
  /** Where models are saved, relative to the workspace folder (or absolute). */
  modelsFolder: string;
  /** The model used for scoring; '' means the most recently trained one. */
  activeModel: string;
  preset: PresetName;
  model: VqVaeConfig;
  training: TrainingConfig;
  /** Folder of labelled anomalies for ss-VQ-VAE, relative to the workspace folder (or absolute); '' = the `anomalous/` convention. */
  anomalousFolder: string;
  /** Which files of a training folder are scans, and how they are normalized. */
  data: ScanSelection & { normalization: Normalization };
  scoring: ScoringParameters;
  /** Worker processes that score a folder (ScoreFolderParams.processes): 0 = one per core, 1 = in the model worker. */
  scoringProcesses: number;
  /** The latent prior: its architecture, its training, and the ILTM iterations (0 = off). */
  prior: { architecture: PriorArchitecture; training: Partial<PriorTrainingConfig>; iltmIterations: number };
}

/** Reads `vqAnomaly.*` from a configuration (vscode.workspace.getConfiguration(SETTINGS_SECTION)). */
export function readSettings(config: SettingsSource): Settings {
  const preset = config.get<string>('model.preset', DEFAULT_PRESET);
  const presetName = isPresetName(preset) ? preset : DEFAULT_PRESET;
  return {
    backend: config.get<BackendPreference>('backend', 'auto'),
    wasmThreads: config.get<number>('wasmThreads', DEFAULT_WASM_THREADS),
    modelsFolder: config.get<string>('modelsFolder', DEFAULT_MODELS_FOLDER).trim() || DEFAULT_MODELS_FOLDER,
    activeModel: config.get<string>('activeModel', '').trim(),
    preset: presetName,
    model: presetWithOverrides(presetName, explicitModelSettings(config)),
    training: readTraining(config),
    anomalousFolder: config.get<string>('training.anomalousFolder', '').trim(),
    data: {
      include: config.get<string[]>('data.include', []),
      exclude: config.get<string[]>('data.exclude', []),
      maskPatterns: config.get<string[]>('data.maskPatterns', []),
      normalization: config.get<Normalization>('data.normalization', 'percentile'),
    },
    // Unset (undefined) means the worker's own default, which package.json shows.
    scoring: {
      ssimWindowSize: config.get<number>('scoring.ssimWindowSize'),
      dilationSize: config.get<number>('scoring.dilationSize'),
      priorMaps: { ...valuesSet<PriorMapOptions>(config, 'scoring.prior', PRIOR_MAP_FIELDS), ...fixedLambdas(config) },
      ...readPostProcessing(config),
    },
    scoringProcesses: config.get<number>('scoring.processes', DEFAULT_SCORING_PROCESSES),
    prior: {
      architecture: withDefaults(config, 'prior', DEFAULT_PRIOR_ARCHITECTURE),
      training: valuesSet<PriorTrainingConfig>(config, 'prior', PRIOR_TRAINING_FIELDS),
      iltmIterations: config.get<number>('prior.iltmIterations', DEFAULT_ILTM_ITERATIONS),
    },
  };
}

/** The preset's configuration with the explicitly set model settings on top. */
export function presetWithOverrides(preset: PresetName, overrides: Partial<VqVaeConfig>): VqVaeConfig {
  return { ...PRESETS[preset].config, ...overrides };
}

/** The `model.<field>` settings that the user set in some scope (a default does not override the preset). */
export function explicitModelSettings(config: SettingsSource): Partial<VqVaeConfig> {
  const set = MODEL_FIELDS.flatMap((field) => {
    const value = explicitValue(config, `model.${field}`);
    return value === undefined ? [] : [[field, value]];
  });
  return Object.fromEntries(set) as Partial<VqVaeConfig>;
}

/** The most specific value set by the user (folder, workspace, then user settings); undefined when only the default applies. */
function explicitValue(config: SettingsSource, key: string): unknown {
  const inspected = config.inspect(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

function readTraining(config: SettingsSource): TrainingConfig {
  const { augment: augmentDefaults, ...options } = TRAINING_OPTION_DEFAULTS;
  const augmentEntries = Object.entries(augmentDefaults).map(([field, value]) => [field, config.get(`training.augment.${field}`, value)]);
  return {
    ...withDefaults(config, 'training', DEFAULT_TRAINING),
    ...withDefaults(config, 'training', options),
    augment: Object.fromEntries(augmentEntries) as AugmentConfig,
  };
}

/**
 * The post-processing settings (`scoring.modality`, `scoring.polarity`, `scoring.erosion`,
 * `scoring.medianSize`, `scoring.hyperintensityPercentile`): 'auto' and null leave the field to the
 * scan's modality (models/scoring/modality.ts defaultPostProcessing); a hyperintensity percentile of 0 turns the prior off.
 */
function readPostProcessing(config: SettingsSource): { modality?: Modality; postProcessing?: Partial<PostProcessing> } {
  const modality = config.get<Modality | 'auto'>('scoring.modality', 'auto');
  const polarity = config.get<Polarity | 'auto'>('scoring.polarity', 'auto');
  const number = (key: string) => config.get<number | null>(`scoring.${key}`) ?? undefined;
  const percentile = number('hyperintensityPercentile');
  const fields: Partial<PostProcessing> = {
    polarity: polarity === 'auto' ? undefined : polarity,
    erosion: number('erosion'),
    medianSize: number('medianSize'),
    hyperintensityPercentile: percentile === undefined ? undefined : percentile > 0 ? percentile : null,
  };
  const postProcessing = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<PostProcessing>;
  return {
    ...(modality === 'auto' ? {} : { modality }),
    ...(Object.keys(postProcessing).length > 0 ? { postProcessing } : {}),
  };
}

/** The fixed thresholds `prior.lambdaS` / `prior.lambdaP` that are numbers; null (the default) = the prior's calibrated ones. */
function fixedLambdas(config: SettingsSource): Pick<PriorMapOptions, 'lambdaS' | 'lambdaP'> {
  const fields = (['lambdaS', 'lambdaP'] as const).flatMap((field) => {
    const value = config.get<number | null>(`prior.${field}`);
    return typeof value === 'number' ? [[field, value]] : [];
  });
  return Object.fromEntries(fields);
}

/** Each field of `defaults`, overridden by the setting `<prefix>.<field>` where one is set. */
function withDefaults<T extends object>(config: SettingsSource, prefix: string, defaults: T): T {
  const entries = Object.entries(defaults).map(([field, value]) => [field, config.get(`${prefix}.${field}`, value)]);
  return Object.fromEntries(entries) as T;
}

/** The settings `<prefix>.<field>` that have a value (set, or declared in package.json), by field. */
function valuesSet<T>(config: SettingsSource, prefix: string, fields: readonly (keyof T & string)[]): Partial<T> {
  const entries = fields.flatMap((field) => {
    const value = config.get(`${prefix}.${field}`);
    return value === undefined ? [] : [[field, value]];
  });
  return Object.fromEntries(entries) as Partial<T>;
}

/**
 * The settings with a recipe (models/vqvae/recipes.ts) in place of the defaults: every training field
 * and the normalization that the user did not set in some scope takes the recipe's value.
 */
export function withRecipe(settings: Settings, config: SettingsSource, recipe: Recipe): Settings {
  const unset = (key: string) => explicitValue(config, key) === undefined;
  const training = Object.fromEntries(
    Object.entries({ ...settings.training }).map(([field, value]) => {
      const fromRecipe = (recipe.training as unknown as Record<string, unknown>)[field];
      return [field, fromRecipe !== undefined && field !== 'augment' && unset(`training.${field}`) ? fromRecipe : value];
    }),
  ) as unknown as TrainingConfig;
  const normalization = unset('data.normalization') ? recipe.normalization : settings.data.normalization;
  return { ...settings, training, data: { ...settings.data, normalization } };
}
