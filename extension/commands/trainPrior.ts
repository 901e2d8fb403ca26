// "Train latent prior" (Explorer context menu on a folder, or the palette with a folder picker): trains
// the transformer prior of a VQ-VAE (methods.md §5) on the tokens of the folder's scans in the model
// worker, into `<model>/prior/`, with a cancellable progress notification; the worker then calibrates
// the LSR thresholds lambda_s / lambda_p (§6). With `vqAnomaly.prior.iltmIterations` > 0 it refines the
// prior by Iterative Latent Token Masking (§7). Scoring with that model then adds the prior's maps.
// "Fine-tune latent prior on folder" (fineTunePrior.ts) runs the same flow from the saved prior.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { TrainPriorResult, TrainProgress } from '../../models/worker/protocol';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import type { TrainingPanel } from '../trainingPanel/trainingPanel';
import { CancelledError } from '../workerErrors';
import { activeModelFor } from '../workspaceModels';
import { ensureTrusted, pickFolder, reportFailure, reportFraction } from './commandSupport';
import { priorTrainedMessage, trainPriorParams } from './priorTraining';
import { trainingFraction, trainingMessage } from './trainingProgressText';

/** What automation may choose instead of the settings: the model (default: the active one) and the ILTM iterations. */
export interface TrainPriorOptions {
  modelDir?: string;
  iltmIterations?: number;
  /** Start from the model's saved prior instead of a new one (the worker refuses a model without one). */
  fineTune?: boolean;
}

/** Trains the prior of a model on `folder` (asked for when not given); resolves with the result, or undefined if it did not finish. */
export async function trainPrior(services: Services, folder?: vscode.Uri, options: TrainPriorOptions = {}): Promise<TrainPriorResult | undefined> {
  const action = options.fineTune ? 'Fine-tuning the latent prior' : 'Training the latent prior';
  if (!ensureTrusted(action)) return undefined;
  folder ??= await pickFolder(options.fineTune ? 'Fine-tune the latent prior on folder' : 'Train the latent prior on folder');
  if (!folder) return undefined;
  const target = folder;
  /** Opened once the training is about to start (not for a missing model). */
  let panel: TrainingPanel | undefined;
  try {
    const modelDir = options.modelDir ?? (await activeModelFor(target));
    const settings = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, target));
    const params = trainPriorParams(modelDir, target.fsPath, settings, options.iltmIterations ?? settings.prior.iltmIterations, options.fineTune);
    services.log.info(
      `${action} of ${modelDir} on ${params.folder}: prior ${JSON.stringify(params.prior)}, ` +
        `training ${JSON.stringify(params.training)}${params.iltm ? `, ILTM ${JSON.stringify(params.iltm)}` : ''}`,
    );
    const shown = (panel = services.trainingPanels.start(`Training prior on ${basename(target.fsPath)}`));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${action} of ${basename(modelDir)} on ${basename(target.fsPath)}`, cancellable: true },
      (progress, token) => {
        const report = reportFraction(progress);
        const onProgress = (p: TrainProgress) => {
          report(trainingFraction(p), trainingMessage(p));
          shown.progress(p);
        };
        return services.client.request('trainPrior', params, { onProgress, token: shown.cancellation(token) });
      },
    );
    shown.end('finished', announceTrained(services, target, result, options.fineTune ? 'fine-tuned' : 'trained'));
    return result;
  } catch (error) {
    if (error instanceof CancelledError) panel?.end('cancelled', announceCancelled(services));
    else {
      reportFailure(action, error, services.log);
      panel?.failed(error);
    }
    return undefined;
  }
}

/** Tells the user, and returns the message for the training panel. */
function announceTrained(services: Services, folder: vscode.Uri, result: TrainPriorResult, verb: 'trained' | 'fine-tuned'): string {
  const message = priorTrainedMessage(basename(folder.fsPath), result, verb);
  services.log.info(message);
  void vscode.window.showInformationMessage(message);
  return message;
}

/** After its first epoch the worker keeps the last completed one in `<model>/prior/`, without thresholds. */
function announceCancelled(services: Services): string {
  const message =
    'Training the latent prior was cancelled. A prior cancelled after its first epoch has no thresholds ' +
    '(no restoration map and no prior score when scoring) until it is trained to the end.';
  services.log.info(message);
  void vscode.window.showInformationMessage(message);
  return message;
}
