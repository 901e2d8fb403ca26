// The one typed protocol between the extension host and the training panel webview (a live view of a
// VQ-VAE or prior training: loss curves, epoch, ETA, a Cancel button). The host owns the run's data:
// it answers the page's 'ready' with everything so far ('snapshot'), then sends the new points in
// batches ('update', a few per second at most) and one 'ended'. Messages from the page are checked by
// parseTrainingPanelMessage before the host acts on them.

import { isCount } from '../messageChecks';

/** One training step: its loss, at its position on the run's step axis (1-based, across epochs and phases). */
export interface StepPoint {
  step: number;
  loss: number;
}

/** The end of one epoch: the step it ended on, its mean training loss and, with a validation split, its validation loss. */
export interface EpochPoint {
  /** The epoch number as the training counts it (phases such as a fine-tune after the aggregated codebook count from 1 again). */
  epoch: number;
  step: number;
  loss: number;
  validationLoss?: number;
}

/** Where the training stands: what the status line shows. */
export interface TrainingStatus {
  epoch: number;
  epochs: number;
  /** The step within the epoch (1-based) and the steps of an epoch. */
  step: number;
  stepsPerEpoch: number;
  elapsedSeconds: number;
  /** The estimated time left of the current phase; absent until it can be estimated. */
  remainingSeconds?: number;
  /** Where the step axis ends: the step the current phase is planned to end on. */
  plannedEndStep: number;
  learningRate?: number;
  /** The best epoch so far, as the training reports it (the one the model folder holds). */
  bestEpoch?: number;
}

export type TrainingOutcome = 'finished' | 'cancelled' | 'failed';

/** The run as a whole: what a reopened page needs to draw everything again. */
export interface TrainingSnapshot {
  title: string;
  steps: StepPoint[];
  epochs: EpochPoint[];
  status?: TrainingStatus;
  ended?: { outcome: TrainingOutcome; message: string };
}

export type HostToTrainingPanel =
  | { type: 'snapshot'; snapshot: TrainingSnapshot }
  /** New points since the last message, and the status after them. */
  | { type: 'update'; steps: StepPoint[]; epochs: EpochPoint[]; status: TrainingStatus }
  | { type: 'ended'; outcome: TrainingOutcome; message: string }
  /** Automation (tests): press the page's Cancel button, as a user would. */
  | { type: 'pressCancel' };

/** What the page drew, reported after each draw (for tests and automation). */
export interface TrainingDrawReport {
  /** Training-loss points the curve holds (one per step received) and the vertices drawn for them after downsampling. */
  lossPoints: number;
  drawnLossVertices: number;
  /** Validation-loss points (one per epoch with a validation loss), epoch markers drawn, and the markers labelled with their epoch. */
  validationPoints: number;
  epochMarkers: number;
  epochLabels: number;
  /** The status line under the chart (e.g. "Epoch 3/10 …", "Finished: …"). */
  statusText: string;
  /** Canvas pixels painted (alpha > 0): 0 would mean an empty chart. */
  paintedPixels: number;
}

export type TrainingPanelToHost = { type: 'ready' } | { type: 'cancel' } | { type: 'drawn'; report: TrainingDrawReport };

/** The report's fields when they are all there and well-typed, else undefined. */
function parseDrawReport(value: unknown): TrainingDrawReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { lossPoints, drawnLossVertices, validationPoints, epochMarkers, epochLabels, paintedPixels, statusText } = value as Record<string, unknown>;
  const counts = [lossPoints, drawnLossVertices, validationPoints, epochMarkers, epochLabels, paintedPixels];
  if (!counts.every(isCount) || typeof statusText !== 'string') return undefined;
  return { lossPoints, drawnLossVertices, validationPoints, epochMarkers, epochLabels, paintedPixels, statusText } as TrainingDrawReport;
}

/** The message if it is one the page may send (webview content is untrusted input), else undefined. */
export function parseTrainingPanelMessage(value: unknown): TrainingPanelToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'cancel':
      return { type: message.type };
    case 'drawn': {
      const report = parseDrawReport(message.report);
      return report && { type: 'drawn', report };
    }
    default:
      return undefined;
  }
}
