// One training as the panel shows it, built from the worker's progress events (TrainProgress): the loss
// of every step on one step axis, the end of every epoch with its losses, and the status line's facts.
// A run can have several phases whose epochs count from 1 again (the fine-tune after the aggregated
// codebook, the prior's ILTM retraining): each continues the step axis where the previous one ended.
// A resumed training starts at its checkpoint's step. Plain code with an injectable clock, unit-tested.

import type { TrainProgress } from '../../models/worker/protocol';
import type { EpochPoint, StepPoint, TrainingOutcome, TrainingSnapshot, TrainingStatus } from '../../webview/training/trainingProtocol';

/**
 * Time left at the pace so far: elapsed x (planned - done) / done, over the steps of this run only (a
 * resumed training's earlier steps took no time here). Undefined before the first step or when done.
 */
export function remainingSeconds(elapsedSeconds: number, stepsDone: number, stepsPlanned: number): number | undefined {
  if (stepsDone <= 0 || stepsPlanned <= stepsDone) return undefined;
  return (elapsedSeconds * (stepsPlanned - stepsDone)) / stepsDone;
}

/** What one progress event added: a step point, or an epoch point. */
export type RunAddition = { step: StepPoint } | { epoch: EpochPoint };

export class TrainingRun {
  readonly steps: StepPoint[] = [];
  readonly epochs: EpochPoint[] = [];
  status?: TrainingStatus;
  ended?: { outcome: TrainingOutcome; message: string };
  private readonly startedAt: number;
  /** The current phase: where it starts on the step axis, its steps done so far (as the training counts them), and when and at which count this run joined it. */
  private phase = { offset: 0, stepsDone: 0, firstStepsDone: 0, startedAt: 0 };

  constructor(
    readonly title: string,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  add(progress: TrainProgress): RunAddition {
    const stepsDone = (progress.epoch - 1) * progress.stepsPerEpoch + progress.step;
    const isStep = !progress.checkpointed;
    // The first step, or the count went back: a new phase starts after the last step drawn.
    const newPhase = isStep && (this.steps.length === 0 || stepsDone <= this.phase.stepsDone);
    if (newPhase) this.phase = { offset: this.steps.at(-1)?.step ?? 0, stepsDone, firstStepsDone: stepsDone - 1, startedAt: this.now() };
    this.phase.stepsDone = stepsDone;
    const step = this.phase.offset + stepsDone;
    const phaseSeconds = (this.now() - this.phase.startedAt) / 1000;
    const plannedSteps = progress.epochs * progress.stepsPerEpoch;
    this.status = {
      epoch: progress.epoch,
      epochs: progress.epochs,
      step: progress.step,
      stepsPerEpoch: progress.stepsPerEpoch,
      elapsedSeconds: (this.now() - this.startedAt) / 1000,
      remainingSeconds: remainingSeconds(phaseSeconds, stepsDone - this.phase.firstStepsDone, plannedSteps - this.phase.firstStepsDone),
      plannedEndStep: this.phase.offset + plannedSteps,
      learningRate: progress.learningRate ?? this.status?.learningRate,
      bestEpoch: progress.bestEpoch ?? (newPhase ? undefined : this.status?.bestEpoch),
    };
    if (isStep) {
      const point = { step, loss: progress.loss };
      this.steps.push(point);
      return { step: point };
    }
    const point: EpochPoint = {
      epoch: progress.epoch,
      step,
      loss: progress.loss,
      ...(progress.validationLoss !== undefined && { validationLoss: progress.validationLoss }),
    };
    this.epochs.push(point);
    return { epoch: point };
  }

  end(outcome: TrainingOutcome, message: string): void {
    this.ended = { outcome, message };
  }

  snapshot(): TrainingSnapshot {
    return { title: this.title, steps: this.steps, epochs: this.epochs, status: this.status, ended: this.ended };
  }
}
