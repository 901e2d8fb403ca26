// "Fine-tune a model on folder": starts from a model of the workspace (its weights and configuration)
// and trains it on another folder, into `<models folder>/<folder name>-finetuned`.

import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { TrainResult } from '../../models/worker/protocol';
import type { Services } from '../services';
import { workspaceModelsRoot } from '../workspaceModels';
import { ensureTrusted, pickFolder } from './commandSupport';
import { type ModelArgument, modelFromArgumentOrPick } from './pickModel';
import { trainOnFolder } from './trainOnFolder';

const FINE_TUNED_SUFFIX = '-finetuned';

/**
 * From the Explorer the argument is the folder to train on (the model is then picked); from the palette
 * both are asked for; automation may pass both.
 */
export async function fineTuneModel(services: Services, folder?: vscode.Uri, model?: ModelArgument): Promise<TrainResult | undefined> {
  if (!ensureTrusted('Fine-tuning')) return undefined;
  const from = await modelFromArgumentOrPick(model, 'Fine-tune which model?');
  if (!from) return undefined;
  folder ??= await pickFolder(`Fine-tune ${basename(from)} on folder`);
  if (!folder) return undefined;
  const root = workspaceModelsRoot(folder);
  if (!root) {
    void vscode.window.showErrorMessage('Open a folder as workspace first: models are saved inside it (setting vqAnomaly.modelsFolder).');
    return undefined;
  }
  const modelDir = join(root, `${basename(folder.fsPath)}${FINE_TUNED_SUFFIX}`);
  return trainOnFolder(services, folder, { fineTuneFrom: from, modelDir });
}
