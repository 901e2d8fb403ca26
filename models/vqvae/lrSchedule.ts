// The learning rate at each training step (0-based `step` of `totalSteps`):
//   constant: lr
//   cosine:   lr * (1 + cos(pi * step / totalSteps)) / 2        (Loshchilov & Hutter 2017, without restarts)
//   step:     lr * 0.1^(milestones passed), milestones at 50 % and 75 % of the steps (the usual multi-step decay)
// with a linear warm-up over the first `warmupSteps` steps: the rate is multiplied by (step + 1) / warmupSteps there.
import type { LrSchedule } from './config';

const STEP_MILESTONES = [0.5, 0.75];
const STEP_FACTOR = 0.1;

export function learningRateAt(schedule: LrSchedule, baseRate: number, step: number, totalSteps: number, warmupSteps = 0): number {
  const warmup = step < warmupSteps ? (step + 1) / warmupSteps : 1;
  return warmup * scheduledRate(schedule, baseRate, step, totalSteps);
}

function scheduledRate(schedule: LrSchedule, baseRate: number, step: number, totalSteps: number): number {
  const progress = totalSteps > 0 ? step / totalSteps : 0;
  switch (schedule) {
    case 'constant':
      return baseRate;
    case 'cosine':
      return (baseRate * (1 + Math.cos(Math.PI * progress))) / 2;
    case 'step':
      return baseRate * STEP_FACTOR ** STEP_MILESTONES.filter((milestone) => progress >= milestone).length;
  }
}
