// The "VQ Anomaly Models" view in the Explorer: the workspace's models, newest first, with their date;
// the active one (the one scoring uses) is marked. Clicking a model shows its details; its context
// menu selects, shows or deletes it. Refreshed when a manifest.json changes, when the model settings
// change and after the commands that add or remove models; each refresh also sets the context keys of
// the Explorer's folder submenu (folderMenu.ts).

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { priorManifestPath } from '../models/prior/priorCheckpoint';
import { COMMANDS, MODEL_ITEM, MODELS_VIEW } from './commandIds';
import { FOLDER_MENU_KEYS, folderMenuContext } from './folderMenu';
import { type ModelEntry, codebookUsageText, configSummary, shortDate } from './modelCatalog';
import { NoModelError } from './modelLocator';
import { SETTINGS_SECTION, readSettings } from './settings';
import { activeModelFor, listWorkspaceModels, workspaceRootFor } from './workspaceModels';

export class ModelsView implements vscode.TreeDataProvider<ModelEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  /** The active model folder, as found by the last getChildren. */
  private activeDir: string | undefined;

  constructor() {
    const manifests = vscode.workspace.createFileSystemWatcher('**/manifest.json');
    this.disposables = [
      this.changed,
      manifests,
      manifests.onDidCreate(() => this.refresh()),
      manifests.onDidChange(() => this.refresh()),
      manifests.onDidDelete(() => this.refresh()),
      vscode.window.registerTreeDataProvider(MODELS_VIEW, this),
    ];
    void this.updateFolderMenu();
  }

  refresh(): void {
    this.changed.fire();
    void this.updateFolderMenu();
  }

  /** Sets the folder submenu's context keys from the workspace's models; resolves once they are set (tests). */
  async updateFolderMenu(): Promise<void> {
    const root = workspaceRootFor();
    const { modelsFolder } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
    const models = root ? await listWorkspaceModels() : [];
    const context = folderMenuContext(models, root ?? '', modelsFolder, (dir) => existsSync(priorManifestPath(dir)));
    for (const [field, key] of Object.entries(FOLDER_MENU_KEYS)) {
      await vscode.commands.executeCommand('setContext', key, context[field as keyof typeof FOLDER_MENU_KEYS]);
    }
  }

  async getChildren(parent?: ModelEntry): Promise<ModelEntry[]> {
    if (parent) return [];
    this.activeDir = await activeModelFor().catch((error: unknown) => {
      if (error instanceof NoModelError) return undefined;
      throw error;
    });
    return listWorkspaceModels();
  }

  getTreeItem(entry: ModelEntry): vscode.TreeItem {
    const active = entry.dir === this.activeDir;
    const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
    item.description = `${shortDate(entry.manifest.created)}${active ? ' · active' : ''}`;
    item.tooltip = [entry.dir, configSummary(entry.manifest.config), codebookUsageText(entry.manifest)].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon(active ? 'pass-filled' : 'circuit-board');
    item.contextValue = MODEL_ITEM;
    item.command = { command: COMMANDS.openModelDetails, title: 'Show model details', arguments: [entry] };
    return item;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
