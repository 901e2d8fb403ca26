// The extension's settings (`vqAnomaly.*` in VS Code), read into the model's own configuration types.
// Every model and training setting maps one to one onto a field of VqVaeConfig / TrainingConfig, with
// the same defaults (SMALL_PRESET, DEFAULT_TRAINING); the worker validates the values before use.

import type * as vscode from 'vscode';
import type { BackendPreference } from '../models/runtime/backendNames';
import { DEFAULT_TRAINING, SMALL_PRESET, type TrainingConfig, type VqVaeConfig } from '../models/vqvae/config';

export const SETTINGS_SECTION = 'vqAnomaly';
export const DEFAULT_MODELS_FOLDER = '.anomaly-models';

export interface Settings {
  /** Which tfjs backend the worker uses ('auto' tries the fastest available first). */
  backend: BackendPreference;
  /** Where models are saved, relative to the workspace folder (or absolute). */
  modelsFolder: string;
  /** The model used for scoring; '' means the most recently trained one. */
  activeModel: string;
  model: VqVaeConfig;
  training: TrainingConfig;
}

/** Reads `vqAnomaly.*` from a configuration (vscode.workspace.getConfiguration(SETTINGS_SECTION)). */
export function readSettings(config: vscode.WorkspaceConfiguration): Settings {
  return {
    backend: config.get<BackendPreference>('backend', 'auto'),
    modelsFolder: config.get<string>('modelsFolder', DEFAULT_MODELS_FOLDER).trim() || DEFAULT_MODELS_FOLDER,
    activeModel: config.get<string>('activeModel', '').trim(),
    model: withDefaults(config, 'model', SMALL_PRESET),
    training: withDefaults(config, 'training', DEFAULT_TRAINING),
  };
}

/** Each field of `defaults`, overridden by the setting `<prefix>.<field>` where one is set. */
function withDefaults<T extends object>(config: vscode.WorkspaceConfiguration, prefix: string, defaults: T): T {
  const entries = Object.entries(defaults).map(([field, value]) => [field, config.get(`${prefix}.${field}`, value)]);
  return Object.fromEntries(entries) as T;
}
