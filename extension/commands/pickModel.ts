// How the model commands get their model: from their argument (a path, a URI, or an item of the models
// view) or else from a Quick Pick of the workspace's models (name, date, configuration, codebook usage).

import * as vscode from 'vscode';
import { type ModelEntry, codebookUsageText, configSummary, shortDate } from '../modelCatalog';
import { listWorkspaceModels } from '../workspaceModels';

/** What a model command accepts as its argument: a model folder path or URI, or a models-view item. */
export type ModelArgument = string | vscode.Uri | Pick<ModelEntry, 'dir'>;

/** The model folder of `argument`, or the one picked from the list; undefined when none was picked. */
export async function modelFromArgumentOrPick(argument: ModelArgument | undefined, title: string): Promise<string | undefined> {
  if (argument !== undefined) return modelDirOf(argument);
  const models = await listWorkspaceModels();
  if (models.length === 0) {
    void vscode.window.showWarningMessage('No trained model in this workspace. Right-click a folder → Train anomaly model.');
    return undefined;
  }
  const items = models.map((entry) => ({
    label: entry.name,
    description: shortDate(entry.manifest.created),
    detail: [configSummary(entry.manifest.config), codebookUsageText(entry.manifest)].filter(Boolean).join(' · '),
    dir: entry.dir,
  }));
  return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true }))?.dir;
}

/** The model folder an argument names. */
export function modelDirOf(argument: ModelArgument): string {
  if (typeof argument === 'string') return argument;
  return argument instanceof vscode.Uri ? argument.fsPath : argument.dir;
}
