// The panel's status line: where the training stands while it runs, and how it ended afterwards.

import { formatDuration } from './trainingTime';
import type { TrainingOutcome, TrainingStatus } from './trainingProtocol';

const OUTCOME_LABELS: Record<TrainingOutcome, string> = {
  finished: 'Finished',
  cancelled: 'Cancelled (last checkpoint kept)',
  failed: 'Failed',
};

/** "Epoch 3/10 · step 12/40 · 0:42 elapsed · ETA 1:10 · lr 1.00e-3 · best epoch 2". */
export function runningText(status: TrainingStatus): string {
  return [
    `Epoch ${status.epoch}/${status.epochs}`,
    `step ${status.step}/${status.stepsPerEpoch}`,
    `${formatDuration(status.elapsedSeconds)} elapsed`,
    ...(status.remainingSeconds === undefined ? [] : [`ETA ${formatDuration(status.remainingSeconds)}`]),
    ...(status.learningRate === undefined ? [] : [`lr ${status.learningRate.toExponential(2)}`]),
    ...(status.bestEpoch === undefined ? [] : [`best epoch ${status.bestEpoch}`]),
  ].join(' · ');
}

/** "Finished: …", "Cancelled (last checkpoint kept): …", "Failed: …", followed by the host's message. */
export function endedText(outcome: TrainingOutcome, message: string): string {
  return `${OUTCOME_LABELS[outcome]}: ${message}`;
}
