// The training panel's host side without VS Code: how progress events become the curves' points on one
// step axis (phases, resume), the status with its time estimate, and the throttle of update messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remainingSeconds, TrainingRun } from '../../extension/trainingPanel/trainingRun';
import { type Timers, UpdateThrottle } from '../../extension/trainingPanel/updateThrottle';
import type { TrainProgress } from '../../models/worker/protocol';

/** The progress events of `epochs` epochs of `steps` steps from epoch `first`: losses 1/step, epoch ends with validation 2/epoch. */
function progressOf(epochs: number, steps: number, first = 1): TrainProgress[] {
  const events: TrainProgress[] = [];
  for (let epoch = first; epoch <= epochs; epoch++) {
    for (let step = 1; step <= steps; step++) events.push({ epoch, epochs, step, stepsPerEpoch: steps, loss: 1 / step, learningRate: 0.01 });
    events.push({ epoch, epochs, step: steps, stepsPerEpoch: steps, loss: 0.5, checkpointed: true, validationLoss: 2 / epoch, bestEpoch: epoch });
  }
  return events;
}

test('every step becomes one loss point and every epoch end one epoch point with its validation loss', () => {
  const run = new TrainingRun('Training train', () => 0);
  for (const p of progressOf(2, 3)) run.add(p);
  assert.deepEqual(
    run.steps.map((p) => p.step),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(
    run.steps.map((p) => p.loss),
    [1, 1 / 2, 1 / 3, 1, 1 / 2, 1 / 3],
  );
  assert.deepEqual(run.epochs, [
    { epoch: 1, step: 3, loss: 0.5, validationLoss: 2 },
    { epoch: 2, step: 6, loss: 0.5, validationLoss: 1 },
  ]);
  assert.equal(run.status?.bestEpoch, 2);
  assert.equal(run.status?.learningRate, 0.01);
  assert.equal(run.status?.plannedEndStep, 6);
});

test('a second phase (epochs counting from 1 again) continues the step axis', () => {
  const run = new TrainingRun('Training train', () => 0);
  for (const p of progressOf(2, 3)) run.add(p); // steps 1..6
  for (const p of progressOf(1, 3)) run.add({ ...p, bestEpoch: undefined }); // the fine-tune phase: 1 epoch of 3 steps
  assert.deepEqual(
    run.steps.map((p) => p.step),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(
    run.epochs.map((e) => [e.epoch, e.step]),
    [
      [1, 3],
      [2, 6],
      [1, 9],
    ],
  );
  assert.equal(run.status?.plannedEndStep, 9);
  assert.equal(run.status?.bestEpoch, undefined, "the first phase's best epoch does not carry over");
});

test('a resumed training starts at its checkpoint on the step axis, and its ETA counts only its own steps', () => {
  let now = 0;
  const run = new TrainingRun('Training train', () => now);
  // Resumed after epoch 2 of 4, 5 steps per epoch: its first step is step 11 of 20.
  const events = progressOf(4, 5, 3)
    .filter((p) => !p.checkpointed)
    .slice(0, 5); // epoch 3, steps 1..5
  run.add(events[0]);
  now = 10_000;
  for (const p of events.slice(1)) run.add(p);
  assert.deepEqual(
    run.steps.map((p) => p.step),
    [11, 12, 13, 14, 15],
  );
  // 5 of this run's 10 steps in 10 s: 10 s left (the 10 steps before the resume took no time here).
  assert.deepEqual([run.status?.step, run.status?.plannedEndStep, run.status?.remainingSeconds], [5, 20, 10]);
});

test('the time left is elapsed x (planned - done) / done, and undefined before the first step or at the end', () => {
  assert.equal(remainingSeconds(30, 10, 40), 90);
  assert.equal(remainingSeconds(30, 0, 40), undefined);
  assert.equal(remainingSeconds(30, 40, 40), undefined);
});

test('the ETA of a running training uses the pace of its steps so far', () => {
  let now = 0;
  const run = new TrainingRun('Training train', () => now);
  const events = progressOf(2, 5).filter((p) => !p.checkpointed);
  run.add(events[0]); // the phase starts at t = 0 with step 1 (counted as done: 1 step in 0 s)
  now = 4000;
  for (const p of events.slice(1, 5)) run.add(p); // 5 steps done at t = 4 s
  // 4 s for 5 of 10 steps: 4 x 5 / 5 = 4 s left.
  assert.equal(run.status?.remainingSeconds, 4);
  assert.equal(run.status?.elapsedSeconds, 4);
});

test('the throttle flushes once per interval however many changes come, and at once on demand', () => {
  const scheduled: (() => void)[] = [];
  const timers: Timers = { setTimeout: (callback) => scheduled.push(callback), clearTimeout: () => scheduled.splice(0) };
  let flushes = 0;
  const throttle = new UpdateThrottle(() => flushes++, 100, timers);
  for (let i = 0; i < 1000; i++) throttle.changed();
  assert.equal(scheduled.length, 1, 'one timer for 1000 changes');
  assert.equal(flushes, 0);
  scheduled.shift()!();
  assert.equal(flushes, 1);
  throttle.changed();
  assert.equal(scheduled.length, 1, 'the next change schedules the next flush');
  throttle.flushNow();
  assert.equal(flushes, 2);
  assert.equal(scheduled.length, 0, 'flushNow cancels the scheduled flush');
});
