// "Export folder scores" (palette, or the action offered after "Score folder"): writes the scores of the
// last scored folder, most anomalous first, as CSV (`file,score`) or JSON (by the file's extension)
// into a file inside the workspace. Paths in the file are relative to the workspace folder.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ScoreFolderResult } from '../../models/worker/protocol';
import { scoresFileText } from '../scoresExport';
import type { Services } from '../services';
import { requireInsideWorkspace } from '../workspacePaths';
import { workspaceRootFor } from '../workspaceModels';
import { ensureTrusted, reportFailure } from './commandSupport';

/** Writes `scores` into `target` (asked for when not given); resolves with the file written, or undefined. */
export async function exportScores(services: Services, scores: ScoreFolderResult | undefined, target?: vscode.Uri): Promise<string | undefined> {
  if (!ensureTrusted('Exporting scores')) return undefined;
  const root = workspaceRootFor();
  if (!scores || !root) {
    void vscode.window.showWarningMessage('Score a folder of the workspace first (VQ Anomaly: Score folder), then export its scores.');
    return undefined;
  }
  target ??= await vscode.window.showSaveDialog({
    title: 'Export the folder scores',
    defaultUri: vscode.Uri.file(join(root, 'anomaly-scores.csv')),
    filters: { CSV: ['csv'], JSON: ['json'] },
  });
  if (!target) return undefined;
  try {
    const file = requireInsideWorkspace(root, target.fsPath, 'The scores file');
    await writeFile(
      file,
      scoresFileText(file, scores, (scan) => vscode.workspace.asRelativePath(scan, false)),
    );
    services.log.info(`Wrote ${scores.scores.length} scores to ${file}`);
    return file;
  } catch (error) {
    reportFailure('Exporting the scores', error, services.log);
    return undefined;
  }
}
