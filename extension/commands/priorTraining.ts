// What "Train latent prior" asks the worker for and what it tells the user afterwards: plain functions
// of the settings and of the worker's result, unit-tested.

import { basename } from 'node:path';
import type { TrainPriorParams, TrainPriorResult } from '../../models/worker/protocol';
import type { Settings } from '../settings';

/** The KDE settings (`vqAnomaly.scoring.prior.kde*`) that ILTM's KDE maps use too. */
const ILTM_KDE_FIELDS = ['kdeSamplings', 'kdeDropoutDecodes', 'kdeThreshold', 'kdeEps'] as const;

/** The worker's parameters from the settings; ILTM only when `iltmIterations` > 0; `fineTune` starts from the saved prior. */
export function trainPriorParams(modelDir: string, folder: string, settings: Settings, iltmIterations: number, fineTune = false): TrainPriorParams {
  const maps = settings.scoring.priorMaps ?? {};
  // Unset fields stay absent (not undefined), so that the worker's defaults apply.
  const kde = Object.fromEntries(ILTM_KDE_FIELDS.flatMap((field) => (maps[field] === undefined ? [] : [[field, maps[field]]])));
  return {
    modelDir,
    folder,
    prior: settings.prior.architecture,
    training: settings.prior.training,
    ...(iltmIterations > 0 && { iltm: { iterations: iltmIterations, kde } }),
    ...(fineTune && { fineTune }),
  };
}

/** The summary line: epochs, loss, the thresholds, and with ILTM the masked-token count of each iteration. */
export function priorTrainedMessage(folderName: string, result: TrainPriorResult, verb: 'trained' | 'fine-tuned' = 'trained'): string {
  const iltm = result.iltm?.length
    ? ` ILTM masked ${result.iltm.map((it) => `${it.maskedTokens} tokens at t = ${it.threshold.toPrecision(3)}`).join(', then ')}.`
    : '';
  return (
    `Latent prior of ${basename(result.modelDir)} ${verb} on ${result.sequences} slices of ${folderName}: ` +
    `${result.epochsCompleted} epochs, final loss ${result.finalLoss.toFixed(4)}; ` +
    `lambda_s = ${result.lambdaS.toFixed(3)}, lambda_p = ${result.lambdaP.toFixed(3)}.${iltm}`
  );
}
