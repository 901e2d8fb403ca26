// The VS Code side of ./modelLocator.ts: which workspace folder a file belongs to, and from that, where
// a training folder's model goes and which model scores a file, under the current settings.

import * as vscode from 'vscode';
import { type ModelEntry, listModels } from './modelCatalog';
import { findActiveModel, modelDirForFolder, modelsRoot } from './modelLocator';
import { SETTINGS_SECTION, readSettings } from './settings';

/** The workspace folder holding `uri` (or, for files outside the workspace, the first one). */
export function workspaceRootFor(uri?: vscode.Uri): string | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

/** The model folder that training on `folder` writes; undefined when no workspace folder is open. */
export function trainingModelDir(folder: vscode.Uri): string | undefined {
  const root = workspaceRootFor(folder);
  if (!root) return undefined;
  const { modelsFolder } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, folder));
  return modelDirForFolder(root, modelsFolder, folder.fsPath);
}

/** The model that scores `uri` (a scan or a folder); throws NoModelError when there is none. */
export function activeModelFor(uri?: vscode.Uri): Promise<string> {
  const { modelsFolder, activeModel } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, uri ?? null));
  return findActiveModel({ workspaceRoot: workspaceRootFor(uri), modelsFolder, activeModel });
}

/** The models folder of the workspace folder holding `uri` (default: the first); undefined when no folder is open. */
export function workspaceModelsRoot(uri?: vscode.Uri): string | undefined {
  const root = workspaceRootFor(uri);
  if (!root) return undefined;
  const { modelsFolder } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, uri ?? null));
  return modelsRoot(root, modelsFolder);
}

/** The models of the first workspace folder, newest first. */
export async function listWorkspaceModels(): Promise<ModelEntry[]> {
  const root = workspaceModelsRoot();
  return root ? listModels(root) : [];
}
