// How training progress reads in the notification: the line "Epoch e/E · loss 0.0123" and the fraction
// of the bar. Plain functions of one progress event (epochs and steps count from 1), unit-tested.

import type { TrainProgress } from '../../models/worker/protocol';

export function trainingMessage(progress: TrainProgress): string {
  return `Epoch ${progress.epoch}/${progress.epochs} · loss ${progress.loss.toFixed(4)}`;
}

/** Steps done over all steps of all epochs: ((epoch - 1) * stepsPerEpoch + step) / (epochs * stepsPerEpoch). */
export function trainingFraction(progress: TrainProgress): number {
  const done = (progress.epoch - 1) * progress.stepsPerEpoch + progress.step;
  return done / (progress.epochs * progress.stepsPerEpoch);
}
