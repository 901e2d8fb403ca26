// "Export anomaly maps" (scan viewer title bar, or the palette): writes maps of a scan as files beside
// the models: NIfTI scans give `<stem>_<map>.nii.gz` in the scan's own grid, PNG/JPEG images give
// `<stem>_<map>.png` heatmaps. The worker scores the scan and writes the files (method exportMaps);
// the folder is `<models folder>/../anomaly-exports/` or one the user chooses, always inside the workspace.
// A model with a latent prior offers the prior's maps (nll, restoration, kde) too.

import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { METHODS, methodTooltip } from '../../models/scoring/methods';
import { type AnyMapName, type ExportMapsResult, MAP_NAMES, PRIOR_MAP_NAMES } from '../../models/worker/protocol';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import { requireInsideWorkspace } from '../workspacePaths';
import { activeModelFor, workspaceModelsRoot, workspaceRootFor } from '../workspaceModels';
import { ensureTrusted, reportFailure, reportFraction } from './commandSupport';

const EXPORTS_FOLDER_NAME = 'anomaly-exports';

/** What automation can pass instead of answering the pickers. */
export interface ExportOptions {
  maps?: AnyMapName[];
  folder?: vscode.Uri;
}

/** Exports maps of `scan` (default: the scan in the active viewer); resolves with the files written, or undefined. */
export async function exportOverlays(services: Services, scan?: vscode.Uri, options: ExportOptions = {}): Promise<ExportMapsResult | undefined> {
  if (!ensureTrusted('Exporting maps')) return undefined;
  scan ??= services.scanViewer.activeDocument()?.uri;
  const root = scan && workspaceRootFor(scan);
  if (!scan || scan.scheme !== 'file' || !root) {
    void vscode.window.showWarningMessage('Open a scan of the workspace in the scan viewer first, then export its maps.');
    return undefined;
  }
  const file = scan;
  try {
    const modelDir = await activeModelFor(file);
    const maps = options.maps ?? (await pickMaps(hasPrior(modelDir)));
    if (!maps || maps.length === 0) return undefined;
    const folder = options.folder ?? (await pickExportFolder(file));
    if (!folder) return undefined;
    const target = requireInsideWorkspace(root, folder.fsPath, 'The export folder');
    const { scoring } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, file));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting the maps of ${basename(file.fsPath)}`, cancellable: true },
      (progress, token) => {
        const report = reportFraction(progress);
        const params = { modelDir, file: file.fsPath, folder: target, maps, scoring };
        return services.client.request('exportMaps', params, { token, onProgress: (p) => report(p.done / p.total, `${p.done}/${p.total} slices`) });
      },
    );
    const message = `Exported ${result.files.length} maps of ${basename(file.fsPath)} to ${vscode.workspace.asRelativePath(target)}.`;
    services.log.info(`${message} ${result.files.join(', ')}`);
    void vscode.window.showInformationMessage(message);
    return result;
  } catch (error) {
    reportFailure(`Exporting the maps of ${basename(file.fsPath)}`, error, services.log);
    return undefined;
  }
}

/** True when the model folder holds a latent prior: models/prior/priorCheckpoint.ts writes `prior/manifest.json` (that module loads tfjs, the extension host does not). */
function hasPrior(modelDir: string): boolean {
  return existsSync(join(modelDir, 'prior', 'manifest.json'));
}

async function pickMaps(withPrior: boolean): Promise<AnyMapName[] | undefined> {
  const names: AnyMapName[] = withPrior ? [...MAP_NAMES, ...PRIOR_MAP_NAMES] : [...MAP_NAMES];
  const items = names.map((name) => ({ label: METHODS[name].label, detail: methodTooltip(name), picked: name === 'residual', name }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Export which maps?', canPickMany: true });
  return picked?.map((item) => item.name);
}

/** The default folder beside the models folder, or one chosen in a dialog. */
async function pickExportFolder(scan: vscode.Uri): Promise<vscode.Uri | undefined> {
  const modelsRoot = workspaceModelsRoot(scan);
  const defaultFolder = modelsRoot ? vscode.Uri.file(join(dirname(modelsRoot), EXPORTS_FOLDER_NAME)) : undefined;
  const choose = { label: 'Choose a folder…', detail: 'Inside the workspace' };
  const items = defaultFolder ? [{ label: vscode.workspace.asRelativePath(defaultFolder), detail: 'The default export folder' }, choose] : [choose];
  const picked = await vscode.window.showQuickPick(items, { title: 'Export the maps into' });
  if (!picked) return undefined;
  if (picked !== choose) return defaultFolder;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: vscode.Uri.file(workspaceRootFor(scan) ?? ''),
    openLabel: 'Export Here',
  });
  return chosen?.[0];
}
