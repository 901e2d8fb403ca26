// "Delete model" (context menu of the models view): after a modal confirmation, deletes the model
// folder. deleteModelFolder (modelCatalog.ts) refuses anything but a model folder of the models folder.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { deleteModelFolder } from '../modelCatalog';
import type { Services } from '../services';
import { workspaceModelsRoot } from '../workspaceModels';
import { ensureTrusted, reportFailure } from './commandSupport';
import { type ModelArgument, modelDirOf } from './pickModel';

export async function deleteModel(services: Services, model?: ModelArgument): Promise<void> {
  if (!ensureTrusted('Deleting a model') || model === undefined) return;
  const dir = modelDirOf(model);
  const root = workspaceModelsRoot(vscode.Uri.file(dir));
  if (!root) return;
  const action = 'Delete';
  const answer = await vscode.window.showWarningMessage(
    `Delete the model ${basename(dir)}?`,
    { modal: true, detail: `The folder ${dir} and everything in it will be deleted.` },
    action,
  );
  if (answer !== action) return;
  try {
    await deleteModelFolder(root, dir);
    services.log.info(`Deleted the model folder ${dir}`);
  } catch (error) {
    reportFailure(`Deleting ${basename(dir)}`, error, services.log);
  } finally {
    services.modelsView.refresh();
    await services.statusBar.refreshModel();
  }
}
