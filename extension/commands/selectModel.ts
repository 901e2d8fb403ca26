// "Select active model" (palette, or the models view): makes a model of the workspace the one scoring
// uses, by writing the workspace setting vqAnomaly.activeModel (relative to the workspace folder when
// it lies inside). The status bar and the models view follow the setting.

import { join, relative } from 'node:path';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { MODEL_MANIFEST } from '../modelLocator';
import { SETTINGS_SECTION } from '../settings';
import { isInsideFolder } from '../../models/io/insideFolder';
import { workspaceRootFor } from '../workspaceModels';
import { ensureTrusted } from './commandSupport';
import { type ModelArgument, modelFromArgumentOrPick } from './pickModel';

/** Selects `model` (picked when not given); resolves with the model folder, or undefined when none was selected. */
export async function selectModel(model?: ModelArgument): Promise<string | undefined> {
  if (!ensureTrusted('Selecting a model')) return undefined;
  const dir = await modelFromArgumentOrPick(model, 'Select the model that scores scans');
  if (!dir) return undefined;
  if (!existsSync(join(dir, MODEL_MANIFEST))) {
    void vscode.window.showErrorMessage(`${dir} is not a model folder (it has no ${MODEL_MANIFEST}).`);
    return undefined;
  }
  const root = workspaceRootFor(vscode.Uri.file(dir));
  const setting = root && isInsideFolder(root, dir) ? relative(root, dir) : dir;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('activeModel', setting, vscode.ConfigurationTarget.Workspace);
  return dir;
}
