// How training reads in the notification: the progress line "Epoch e/E · loss 0.0123", the fraction of
// the bar, and the summary once it finished. Plain functions (epochs and steps count from 1), unit-tested.

import type { TrainProgress, TrainResult } from '../../models/worker/protocol';

export function trainingMessage(progress: TrainProgress): string {
  return `Epoch ${progress.epoch}/${progress.epochs} · loss ${progress.loss.toFixed(4)}`;
}

/** Steps done over all steps of all epochs: ((epoch - 1) * stepsPerEpoch + step) / (epochs * stepsPerEpoch). */
export function trainingFraction(progress: TrainProgress): number {
  const done = (progress.epoch - 1) * progress.stepsPerEpoch + progress.step;
  return done / (progress.epochs * progress.stepsPerEpoch);
}

/** The finish message: it names the saved epoch (the best, not necessarily the last) and that epoch's loss. */
export function trainedSummary(result: TrainResult, folderName: string, savedTo: string): string {
  const epochs = `${result.epochsCompleted} epoch${result.epochsCompleted === 1 ? '' : 's'}`;
  const validation = result.validationImages > 0 ? ` (${result.validationImages} more for validation)` : '';
  return (
    `Model trained on ${result.trainImages} images of ${folderName}${validation}: ${epochs}; saved epoch ${result.bestEpoch} ` +
    `(${result.bestLossOn} loss ${result.bestLoss.toFixed(4)}). Saved to ${savedTo}.`
  );
}
