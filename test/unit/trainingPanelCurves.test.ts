// The training panel's pure parts: thinning a long loss curve for drawing, the smoothed line, the axes,
// the status line's durations and texts, and the check of the messages the page sends to the host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisFraction, axisTicks, lossAxis, spacedIndices } from '../../webview/training/chartScale';
import { downsampleMinMax } from '../../webview/training/downsample';
import { smoothLosses } from '../../webview/training/smoothing';
import { endedText, runningText } from '../../webview/training/statusText';
import { formatDuration } from '../../webview/training/trainingTime';
import { parseTrainingPanelMessage } from '../../webview/training/trainingProtocol';

const points = (losses: number[]) => losses.map((loss, i) => ({ step: i + 1, loss }));

test('min-max downsampling keeps the lowest and highest point of each bucket, in order', () => {
  // 12 points into 3 buckets of 4: [5 1 9 4] [2 2 2 2] [7 3 8 0].
  const curve = points([5, 1, 9, 4, 2, 2, 2, 2, 7, 3, 8, 0]);
  assert.deepEqual(
    downsampleMinMax(curve, 3).map((p) => [p.step, p.loss]),
    [
      [2, 1],
      [3, 9], // bucket 1: min at step 2, max at step 3
      [5, 2], // bucket 2: flat, one point
      [11, 8],
      [12, 0], // bucket 3: max before min
    ],
  );
});

test('downsampling leaves short curves unchanged and bounds long ones by 2 points per bucket', () => {
  const short = points([3, 2, 1, 0.5]);
  assert.deepEqual(downsampleMinMax(short, 2), short);
  const long = points(Array.from({ length: 50_000 }, (_, i) => Math.sin(i) + 2));
  const thinned = downsampleMinMax(long, 400);
  assert.ok(thinned.length <= 800 && thinned.length > 400, `${thinned.length} vertices`);
  assert.ok(
    thinned.every((p, i) => i === 0 || p.step > thinned[i - 1].step),
    'steps stay in order',
  );
  assert.equal(Math.max(...thinned.map((p) => p.loss)), Math.max(...long.map((p) => p.loss)), 'the highest spike survives');
});

test('the debiased moving average starts at the first value and follows by weight w', () => {
  // w = 0.5: m1 = 0.5*4 = 2 -> 2/(1-0.5) = 4; m2 = 0.5*2 + 0.5*2 = 2 -> 2/(1-0.25) = 8/3; m3 = 0.5*2 + 0.5*8 = 5 -> 5/0.875.
  const smooth = smoothLosses([4, 2, 8], 0.5);
  assert.equal(smooth[0], 4);
  assert.ok(Math.abs(smooth[1] - 8 / 3) < 1e-12);
  assert.ok(Math.abs(smooth[2] - 5 / 0.875) < 1e-12);
  assert.deepEqual(
    smoothLosses([3, 3, 3], 0.9).map((v) => v.toFixed(12)),
    ['3.000000000000', '3.000000000000', '3.000000000000'],
  );
});

test('the loss axis is logarithmic over a span of 10 or more, linear otherwise', () => {
  const log = lossAxis([0.01, 0.1, 1]);
  assert.deepEqual(log, { min: 0.01, max: 1, log: true });
  assert.ok(Math.abs(axisFraction(log, 0.1) - 0.5) < 1e-12, '0.1 lies half way between 0.01 and 1 on a log axis');
  assert.deepEqual(
    axisTicks(log, 3).map((t) => t.toPrecision(3)),
    ['0.0100', '0.100', '1.00'],
  );
  const linear = lossAxis([2, 4, Number.NaN, 3]);
  assert.deepEqual(linear, { min: 2, max: 4, log: false });
  assert.equal(axisFraction(linear, 3.5), 0.75);
  assert.deepEqual(axisTicks(linear, 3), [2, 3, 4]);
  const flat = lossAxis([5, 5]);
  assert.ok(flat.min < 5 && flat.max > 5, 'a single value gets a range around it');
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(42.4), '0:42');
  assert.equal(formatDuration(725), '12:05');
  assert.equal(formatDuration(3723), '1:02:03');
  assert.equal(formatDuration(-3), '0:00');
});

test('the status line shows epoch, step, times, learning rate and best epoch while running, and the outcome after', () => {
  const status = {
    epoch: 3,
    epochs: 10,
    step: 12,
    stepsPerEpoch: 40,
    elapsedSeconds: 42,
    remainingSeconds: 70,
    plannedEndStep: 400,
    learningRate: 0.001,
    bestEpoch: 2,
  };
  assert.equal(runningText(status), 'Epoch 3/10 · step 12/40 · 0:42 elapsed · ETA 1:10 · lr 1.00e-3 · best epoch 2');
  assert.equal(
    runningText({ ...status, remainingSeconds: undefined, learningRate: undefined, bestEpoch: undefined }),
    'Epoch 3/10 · step 12/40 · 0:42 elapsed',
  );
  assert.equal(endedText('finished', 'Model trained.'), 'Finished: Model trained.');
  assert.equal(endedText('cancelled', 'Kept epoch 1.'), 'Cancelled (last checkpoint kept): Kept epoch 1.');
  assert.equal(endedText('failed', 'Out of memory'), 'Failed: Out of memory');
});

test('the host accepts only well-formed messages from the page', () => {
  const report = {
    lossPoints: 20,
    drawnLossVertices: 20,
    validationPoints: 2,
    epochMarkers: 2,
    epochLabels: 2,
    statusText: 'Finished: ok',
    paintedPixels: 1234,
  };
  assert.deepEqual(parseTrainingPanelMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseTrainingPanelMessage({ type: 'cancel', extra: 1 }), { type: 'cancel' });
  assert.deepEqual(parseTrainingPanelMessage({ type: 'drawn', report }), { type: 'drawn', report });
  for (const bad of [
    null,
    'ready',
    {},
    { type: 'train' },
    { type: 'drawn' },
    { type: 'drawn', report: { ...report, lossPoints: -1 } },
    { type: 'drawn', report: { ...report, paintedPixels: 1.5 } },
    { type: 'drawn', report: { ...report, statusText: 3 } },
  ]) {
    assert.equal(parseTrainingPanelMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('epoch labels are thinned so that no two are closer than the gap, from the first epoch on', () => {
  assert.deepEqual(spacedIndices([10, 20, 40, 50, 80, 95], 28), [0, 2, 4]);
  assert.deepEqual(spacedIndices([0, 30, 60], 28), [0, 1, 2], 'all fit');
  assert.deepEqual(spacedIndices([], 28), []);
});
