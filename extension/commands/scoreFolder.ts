// "Score folder" (palette with a folder picker, or the Explorer's context menu on a folder): scores
// every scan of the folder with the active model in the worker (spread over `scoring.processes` worker
// processes), logs the ranking and offers it in a Quick Pick, most anomalous first, volumes and images
// ranked apart (their scores are not comparable); picking a scan opens it in the scan viewer.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { normalRankText } from '../../models/scoring/normalRange';
import { KIND_TITLES, groupByKind } from '../../models/scoring/ranking';
import type { CountProgress, ScoreFolderParams, ScoreFolderResult } from '../../models/worker/protocol';
import { SCAN_VIEWER } from '../commandIds';
import { scoreLogLines } from '../scoreLog';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import { activeModelFor } from '../workspaceModels';
import { ensureTrusted, pickFolder, reportFailure, reportFraction } from './commandSupport';

/** Scores every scan of `folder` (asked for when not given); undefined when it did not finish. */
export async function scoreFolder(services: Services, folder?: vscode.Uri): Promise<ScoreFolderResult | undefined> {
  if (!ensureTrusted('Scoring')) return undefined;
  folder ??= await pickFolder('Score every scan of a folder');
  if (!folder) return undefined;
  const name = basename(folder.fsPath);
  try {
    const modelDir = await activeModelFor(folder);
    const result = await scoreFolderWithProgress(services, folder, modelDir);
    logScores(services.log, folder, modelDir, result);
    if (result.scores.length === 0) void vscode.window.showWarningMessage(`No scan of ${name} could be scored (see the VQ Anomaly log).`);
    else void showScoresPick(name, result);
    return result;
  } catch (error) {
    reportFailure(`Scoring ${name}`, error, services.log);
    return undefined;
  }
}

/**
 * Scores every scan of `folder` with the model in `modelDir` in the worker (over `scoring.processes`
 * processes), with a cancellable progress notification; `extra` adds request fields (thumbnails).
 */
export function scoreFolderWithProgress(
  services: Services,
  folder: vscode.Uri,
  modelDir: string,
  extra: Pick<ScoreFolderParams, 'thumbnailSize'> = {},
): Thenable<ScoreFolderResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Scoring ${basename(folder.fsPath)}`, cancellable: true },
    (progress, token) => {
      const report = reportFraction(progress);
      const onProgress = (p: CountProgress) => report(p.done / p.total, `${p.done}/${p.total}${p.file ? ` · ${basename(p.file)}` : ''}`);
      const { scoring, scoringProcesses } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, folder));
      const params: ScoreFolderParams = { modelDir, folder: folder.fsPath, scoring, processes: scoringProcesses, ...extra };
      return services.client.request('scoreFolder', params, { token, onProgress });
    },
  );
}

/** The ranking in the log, most anomalous first, and the skipped files with the reason; long lists summarised (scoreLog.ts). */
export function logScores(log: vscode.LogOutputChannel, folder: vscode.Uri, modelDir: string, result: ScoreFolderResult): void {
  log.info(`Scores of ${folder.fsPath} with model ${modelDir}, most anomalous first:`);
  for (const { level, text } of scoreLogLines(result, (file) => vscode.workspace.asRelativePath(file))) log[level](text);
}

/** The ranking as a Quick Pick; not awaited by the command, which resolves as soon as scoring is done. */
async function showScoresPick(folderName: string, result: ScoreFolderResult): Promise<void> {
  const items: (vscode.QuickPickItem & { file?: string })[] = groupByKind(result.scores).flatMap((group) => [
    { label: KIND_TITLES[group.kind], kind: vscode.QuickPickItemKind.Separator },
    ...group.scores.map(({ file, score, normalRank }) => ({
      label: vscode.workspace.asRelativePath(file),
      description: `score ${score.toFixed(4)}${normalRank ? ` · ${normalRankText(normalRank)}` : ''}`,
      file,
    })),
  ]);
  const skipped = result.skipped.length > 0 ? ` · ${result.skipped.length} skipped (see the log)` : '';
  const picked = await vscode.window.showQuickPick(items, {
    title: `Anomaly scores of ${folderName}, most anomalous first${skipped}`,
    placeHolder: 'Pick a scan to open it in the scan viewer',
    matchOnDescription: true,
  });
  if (picked?.file) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(picked.file), SCAN_VIEWER);
}
