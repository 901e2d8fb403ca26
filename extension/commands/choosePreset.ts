// "Choose model preset": a Quick Pick of the model presets with their descriptions; sets the workspace
// setting vqAnomaly.model.preset. Warns when explicit model settings override parts of the preset.

import * as vscode from 'vscode';
import { PRESET_NAMES, PRESETS, isPresetName, type PresetName } from '../../models/vqvae/presets';
import { SETTINGS_SECTION, explicitModelSettings, readSettings } from '../settings';
import { ensureTrusted } from './commandSupport';

/** Sets `preset` (picked when not given); resolves with the preset set, or undefined. */
export async function choosePreset(preset?: string): Promise<PresetName | undefined> {
  if (!ensureTrusted('Choosing a preset')) return undefined;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const current = readSettings(config).preset;
  const chosen = preset ?? (await pickPreset(current));
  if (chosen === undefined) return undefined;
  if (!isPresetName(chosen)) {
    void vscode.window.showErrorMessage(`Unknown model preset "${chosen}" (presets: ${PRESET_NAMES.join(', ')}).`);
    return undefined;
  }
  await config.update('model.preset', chosen, vscode.ConfigurationTarget.Workspace);
  const overridden = Object.keys(explicitModelSettings(config));
  if (overridden.length > 0) {
    const names = overridden.map((field) => `vqAnomaly.model.${field}`).join(', ');
    void vscode.window.showInformationMessage(`Model preset ${chosen} set. These settings still override it: ${names}.`);
  }
  return chosen;
}

async function pickPreset(current: PresetName): Promise<string | undefined> {
  const items = PRESET_NAMES.map((name) => ({ label: name, description: name === current ? 'current' : '', detail: PRESETS[name].description }));
  return (await vscode.window.showQuickPick(items, { title: 'Model preset for training' }))?.label;
}
