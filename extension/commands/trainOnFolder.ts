// "Train anomaly model" (Explorer context menu on a folder, or the palette with a folder picker): trains
// a VQ-VAE on every scan of the folder in the model worker, into `<workspace>/<modelsFolder>/<folder>`,
// with a cancellable progress notification. A checkpoint is written after every epoch, so a cancel
// keeps the last completed epoch. "Resume training" and "Fine-tune" run it with their TrainingMode.

import { basename, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TrainParams, TrainProgress, TrainResult } from '../../models/worker/protocol';
import { COMMANDS } from '../commandIds';
import type { Services } from '../services';
import { recipeForFiles } from '../recipeChoice';
import { SETTINGS_SECTION, readSettings, withRecipe, type Settings } from '../settings';
import { RECIPES } from '../../models/vqvae/recipes';
import { CancelledError } from '../workerErrors';
import { trainingModelDir, workspaceRootFor } from '../workspaceModels';
import { ensureTrusted, pickFolder, reportFailure, reportFraction } from './commandSupport';
import { trainedSummary, trainingFraction, trainingMessage } from './trainingProgressText';

/** How a training starts: from scratch (the default), from its own last checkpoint, or from another model. */
export interface TrainingMode {
  /** Continue the training checkpointed in the model folder. */
  resume?: boolean;
  /** Start from this model's weights and configuration. */
  fineTuneFrom?: string;
  /** The model folder to write, instead of `<models folder>/<folder name>`. */
  modelDir?: string;
}

/** Trains on `folder` (asked for when not given); resolves with the result, or undefined if it did not finish. */
export async function trainOnFolder(services: Services, folder?: vscode.Uri, mode: TrainingMode = {}): Promise<TrainResult | undefined> {
  if (!ensureTrusted('Training')) return undefined;
  folder ??= await pickFolder(mode.resume ? 'Resume training on folder' : 'Train anomaly model on folder');
  if (!folder) return undefined;
  const modelDir = mode.modelDir ?? trainingModelDir(folder);
  if (!modelDir) {
    void vscode.window.showErrorMessage('Open a folder as workspace first: models are saved inside it (setting vqAnomaly.modelsFolder).');
    return undefined;
  }
  const settings = await settingsForFolder(services, folder);
  const anomalousFolder = settings.anomalousFolder ? resolve(workspaceRootFor(folder) ?? '', settings.anomalousFolder) : undefined;
  const params: TrainParams = {
    folder: folder.fsPath,
    modelDir,
    model: settings.model,
    training: settings.training,
    data: settings.data,
    anomalousFolder,
    resume: mode.resume,
    fineTuneFrom: mode.fineTuneFrom,
  };
  const activity = mode.resume ? 'Resuming training' : mode.fineTuneFrom ? `Fine-tuning ${basename(mode.fineTuneFrom)}` : 'Training anomaly model';
  services.log.info(
    `${activity} on ${params.folder} into ${modelDir}: model ${JSON.stringify(params.model)} (preset ${settings.preset}), ` +
      `training ${JSON.stringify(params.training)}, data ${JSON.stringify(params.data)}`,
  );

  /** Epochs whose checkpoint is written: what a cancel keeps. */
  let epochsCheckpointed = 0;
  const title = `${activity} on ${basename(folder.fsPath)}`;
  const panel = services.trainingPanels.start(`Training ${basename(folder.fsPath)}`);
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const report = reportFraction(progress);
      const onProgress = (p: TrainProgress) => {
        if (p.checkpointed) epochsCheckpointed = p.epoch;
        report(trainingFraction(p), trainingMessage(p));
        panel.progress(p);
      };
      return services.client.request('train', params, { onProgress, token: panel.cancellation(token) });
    });
    if (result.cancelled) panel.end('cancelled', announceCancelled(services, modelDir, result.epochsCompleted, settings.training.epochs));
    else panel.end('finished', announceTrained(services, folder, result));
    return result;
  } catch (error) {
    if (error instanceof CancelledError) panel.end('cancelled', announceCancelled(services, modelDir, epochsCheckpointed, settings.training.epochs));
    else {
      reportFailure('Training', error, services.log);
      panel.failed(error);
    }
    return undefined;
  } finally {
    services.modelsView.refresh();
    await services.statusBar.refreshModel();
  }
}

/** Tells the user, and returns the summary for the training panel. */
function announceTrained(services: Services, folder: vscode.Uri, result: TrainResult): string {
  const summary = trainedSummary(result, basename(folder.fsPath), vscode.workspace.asRelativePath(result.modelDir));
  services.log.info(summary);
  const scoreAction = 'Score Folder';
  const problems = result.health?.problems ?? [];
  if (problems.length > 0) {
    const warning = `The model may not be usable: ${problems.join('; ')}.`;
    services.log.warn(warning);
    void vscode.window.showWarningMessage(`${summary} ${warning}`, scoreAction).then((choice) => {
      if (choice === scoreAction) void vscode.commands.executeCommand(COMMANDS.scoreFolder, folder);
    });
    return `${summary} ${warning}`;
  }
  void vscode.window.showInformationMessage(summary, scoreAction).then((choice) => {
    if (choice === scoreAction) void vscode.commands.executeCommand(COMMANDS.scoreFolder, folder);
  });
  return summary;
}

/** Cancelled: the model folder keeps the last checkpoint (the last epoch that finished), if any. */
function announceCancelled(services: Services, modelDir: string, epochsCompleted: number, epochs: number): string {
  const message =
    epochsCompleted > 0
      ? `Training cancelled. The last good checkpoint was kept: ${epochsCompleted} of ${epochs} epochs completed, ` +
        `in ${vscode.workspace.asRelativePath(modelDir)}.`
      : 'Training cancelled before its first epoch finished: no new checkpoint was written.';
  services.log.info(message);
  void vscode.window.showInformationMessage(message);
  return message;
}

/** Files looked at to tell which recipe a folder looks like. */
const RECIPE_SAMPLE_FILES = 500;

/**
 * The training settings for `folder`: the user's, with the recipe the folder looks like (recipeChoice.ts)
 * in place of the defaults they did not set. Deterministic for a folder, so that a resume gets the same.
 */
async function settingsForFolder(services: Services, folder: vscode.Uri): Promise<Settings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder);
  const settings = readSettings(config);
  const pattern = new vscode.RelativePattern(folder, '**/*.{nii,nii.gz,png,jpg,jpeg,NII,PNG,JPG,JPEG}');
  const files = await vscode.workspace.findFiles(pattern, '**/.anomaly-models/**', RECIPE_SAMPLE_FILES);
  const recipe = recipeForFiles(files.map((uri) => uri.fsPath));
  if (!recipe) return settings;
  services.log.info(`${basename(folder.fsPath)} looks like ${RECIPES[recipe].description}: the ${recipe} recipe fills the training settings you have not set`);
  return withRecipe(settings, config, RECIPES[recipe]);
}
