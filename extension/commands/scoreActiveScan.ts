// "Score active scan": scores the scan shown in the active scan viewer (or the active text editor's
// file) with the active model, shows the anomaly maps in its viewer and the score in a message.
// Also run by the viewer's Score button and its editor title action, with the scan's URI.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { AnyMapName, CountProgress, ScanScore } from '../../models/worker/protocol';
import { mostAnomalousSlice } from '../../webview/viewerState';
import { type NormalRank, normalRankText } from '../../models/scoring/normalRange';
import { unlikeTrainingText } from '../../models/scoring/trainingFit';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import { activeModelFor } from '../workspaceModels';
import { ensureTrusted, reportFailure, reportFraction } from './commandSupport';

export interface ActiveScanScore {
  file: string;
  score: number;
  sliceScores: number[];
  /** The maps scoring produced: the VQ-VAE's, and the prior's when the model has one. */
  maps: AnyMapName[];
  /** The LSR sample score, with a calibrated prior. */
  priorScore?: number;
  /** What makes the scan unlike the model's training data (models/scoring/trainingFit.ts); empty: nothing. */
  warnings: string[];
  /** Where the score lies among the model's normal validation scans (models/scoring/normalRange.ts); absent without them. */
  normalRank?: NormalRank;
}

/** Scores `scan` (default: the active editor's scan); undefined when there was nothing to score or it failed. */
export async function scoreActiveScan(services: Services, scan?: vscode.Uri): Promise<ActiveScanScore | undefined> {
  if (!ensureTrusted('Scoring')) return undefined;
  scan ??= services.scanViewer.activeDocument()?.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!scan || scan.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open a scan (.nii, .nii.gz, .png, .jpg, .jpeg) in the scan viewer first, then score it.');
    return undefined;
  }
  const file = scan;
  try {
    const modelDir = await activeModelFor(file);
    const viewer = services.scanViewer.documentFor(file);
    const { scoring } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, file));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scoring ${basename(file.fsPath)}`, cancellable: true },
      (progress, token) => {
        const report = reportFraction(progress);
        const onProgress = (p: CountProgress) => report(p.done / p.total, `${p.done}/${p.total} slices`);
        // Open in the viewer: it shows the maps too. Otherwise only the score is wanted.
        return viewer
          ? viewer.score(modelDir, { token, onProgress })
          : services.client.request('scoreScan', { modelDir, file: file.fsPath, scoring }, { token, onProgress });
      },
    );
    announceScore(services, result, modelDir);
    const maps = Object.keys(result.maps) as AnyMapName[];
    return {
      file: result.file,
      score: result.score,
      sliceScores: result.sliceScores,
      maps,
      priorScore: result.priorScores?.score,
      warnings: result.warnings ?? [],
      ...(result.normalRank && { normalRank: result.normalRank }),
    };
  } catch (error) {
    reportFailure(`Scoring ${basename(file.fsPath)}`, error, services.log);
    return undefined;
  }
}

function announceScore(services: Services, result: ScanScore, modelDir: string): void {
  const slices = result.sliceScores.length;
  const worst = mostAnomalousSlice(result.sliceScores);
  const where = slices > 1 && worst !== undefined ? `; most anomalous slice ${worst + 1} of ${slices}` : '';
  const prior = result.priorScores ? `; prior score ${result.priorScores.score.toFixed(1)}` : '';
  const normal = result.normalRank ? `, ${normalRankText(result.normalRank)}` : '';
  const message = `Anomaly score of ${basename(result.file)}: ${result.score.toFixed(4)}${normal} (model ${basename(modelDir)}${where}${prior}).`;
  services.log.info(message);
  const warnings = result.warnings ?? [];
  if (warnings.length === 0) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const unlike = `${unlikeTrainingText(basename(result.file), warnings)}. Its maps may mark normal tissue.`;
  services.log.warn(unlike);
  void vscode.window.showWarningMessage(`${message} ${unlike}`);
}
