// "Evaluate model on labelled folder" (palette, or the Explorer's context menu on a folder or a CSV):
// evaluates a workspace model on scans with ground-truth masks (methods.md §8) in the worker (method
// evaluate), which writes report.json, report.md, the ROC / PR plots and example overlays into
// `<model>/evaluations/<test set>-<time>/` (or a folder the caller names, always inside the workspace);
// then the metrics table goes to the log and report.md opens in the Markdown preview.

import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { metricsTable } from '../../models/evaluate/markdownReport';
import { EVALUATIONS_FOLDER, REPORT_MARKDOWN } from '../../models/evaluate/writeReport';
import type { CountProgress, EvaluateResult, EvaluationOptions } from '../../models/worker/protocol';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import { requireInsideWorkspace } from '../workspacePaths';
import { workspaceRootFor } from '../workspaceModels';
import { ensureTrusted, reportFailure, reportFraction } from './commandSupport';
import { type ModelArgument, modelFromArgumentOrPick } from './pickModel';

/** What automation can pass instead of answering the pickers, and the CLI's limits. */
export interface EvaluateCommandOptions extends EvaluationOptions {
  model?: ModelArgument;
  /** The report folder (default: a new one in the model's evaluations folder). */
  outDir?: vscode.Uri;
}

/** Evaluates a model on `testSet` (a folder or a CSV; asked for when not given); undefined when it did not finish. */
export async function evaluateModel(services: Services, testSet?: vscode.Uri, options: EvaluateCommandOptions = {}): Promise<EvaluateResult | undefined> {
  if (!ensureTrusted('Evaluating a model')) return undefined;
  const root = workspaceRootFor(testSet);
  if (!root) {
    void vscode.window.showWarningMessage('Open a workspace folder to evaluate a model: the report is written inside it.');
    return undefined;
  }
  const modelDir = await modelFromArgumentOrPick(options.model, 'Evaluate which model?');
  if (!modelDir) return undefined;
  testSet ??= await pickTestSet(root);
  if (!testSet) return undefined;
  const name = basename(testSet.fsPath);
  try {
    const outDir = requireInsideWorkspace(root, options.outDir?.fsPath ?? defaultReportFolder(modelDir, name), 'The evaluation report folder');
    const { limit, maxPixels, minLesionArea, maxFpr } = options;
    const { scoring } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, testSet));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${basename(modelDir)} on ${name}`, cancellable: true },
      (progress, token) => {
        const report = reportFraction(progress);
        const onProgress = (p: CountProgress) => report(p.done / p.total, `${p.done}/${p.total} scans${p.file ? ` · ${basename(p.file)}` : ''}`);
        const params = { modelDir, target: testSet.fsPath, outDir, options: { limit, maxPixels, minLesionArea, maxFpr }, scoring };
        return services.client.request('evaluate', params, { token, onProgress });
      },
    );
    logMetrics(services.log, result);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(result.outDir, REPORT_MARKDOWN)));
    return result;
  } catch (error) {
    reportFailure(`Evaluating ${basename(modelDir)} on ${name}`, error, services.log);
    return undefined;
  }
}

/** `<model>/evaluations/<test set name>-<local time, to the second>`. */
function defaultReportFolder(modelDir: string, testSetName: string): string {
  const now = new Date();
  const stamp = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19).replace(/:/g, '-');
  return join(modelDir, EVALUATIONS_FOLDER, `${testSetName.replace(/\.csv$/i, '')}-${stamp}`);
}

/** A labelled folder, or a CSV test set, from a dialog. */
async function pickTestSet(root: string): Promise<vscode.Uri | undefined> {
  const folder = {
    label: 'A labelled folder…',
    detail: 'Scans with their ground-truth masks, found by name (e.g. <name>_mask.png, masks/<name>.png, *mask*.nii.gz)',
  };
  const csv = { label: 'A test set CSV…', detail: 'Columns image, mask, label, defect_type; paths relative to the CSV' };
  const picked = await vscode.window.showQuickPick([folder, csv], { title: 'Evaluate on' });
  if (!picked) return undefined;
  const chosen = await vscode.window.showOpenDialog({
    title: picked === folder ? 'The labelled folder' : 'The test set CSV',
    canSelectFolders: picked === folder,
    canSelectFiles: picked === csv,
    canSelectMany: false,
    filters: picked === csv ? { 'Test set': ['csv'] } : undefined,
    defaultUri: vscode.Uri.file(root),
    openLabel: 'Evaluate',
  });
  return chosen?.[0];
}

function logMetrics(log: vscode.LogOutputChannel, { outDir, summary }: EvaluateResult): void {
  const { counts } = summary;
  log.info(
    `Evaluation of ${summary.model.dir} on ${summary.testSet}: ${counts.scans} scans (${counts.scansWithMask} with a mask), ${counts.samples} samples (${counts.anomalousSamples} anomalous)`,
  );
  for (const line of metricsTable(summary)) log.info(line);
  for (const { file, reason } of summary.skipped) log.warn(`  skipped ${file}: ${reason}`);
  log.info(`Report: ${join(outDir, REPORT_MARKDOWN)}`);
}
