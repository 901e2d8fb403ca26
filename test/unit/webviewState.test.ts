// The viewer's state rules and what it decides to draw: slice choice, saved-state checks, the
// overlay choice per state, message checks, the canvas fit and the slice chart's hit test.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid, MapName } from '../../models/worker/protocol';
import { fitToBox } from '../../webview/geometry';
import { loadOverlays, loadScan, sliceRequestFor } from '../../webview/scene';
import { sliceAtPosition } from '../../webview/sliceChart';
import { clampSlice, DEFAULT_STATE, middleSlice, mostAnomalousSlice, pageStep, parseViewerState } from '../../webview/viewerState';

const zeros = (dims: [number, number, number]): Grid => ({ dims, data: new Float32Array(dims[0] * dims[1] * dims[2]) });

test('most anomalous slice: the highest score, the first on ties, ignoring NaN; none without scores', () => {
  assert.equal(mostAnomalousSlice([0.1, 0.5, 0.5, 0.2]), 1);
  assert.equal(mostAnomalousSlice([NaN, 0.3, 0.1]), 1);
  assert.equal(mostAnomalousSlice([]), undefined);
});

test('slices are clamped to the volume; the middle of 155 slices is 77; pages are a tenth of the volume', () => {
  assert.equal(clampSlice(-3, 10), 0);
  assert.equal(clampSlice(12, 10), 9);
  assert.equal(clampSlice(4.4, 10), 4);
  assert.equal(middleSlice(155), 77);
  assert.equal(middleSlice(1), 0);
  assert.equal(pageStep(155), 16);
  assert.equal(pageStep(3), 1);
});

test('a saved state is accepted only when every field is valid', () => {
  assert.deepEqual(parseViewerState({ ...DEFAULT_STATE, slice: 5 }), { ...DEFAULT_STATE, slice: 5 });
  assert.equal(parseViewerState(undefined), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, overlay: 'heatmap' }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, opacity: 1.5 }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, slice: -1 }), undefined);
  assert.equal(parseViewerState({ slice: 0 }), undefined);
});

test('what is drawn: scan alone, scan + map, or the reconstruction in gray in place of the scan', () => {
  const scan = loadScan({ type: 'scan', name: 'a.nii.gz', image: zeros([2, 2, 3]), spacing: [1, 1, 1] });
  const maps = { reconstruction: zeros([2, 2, 3]), residual: zeros([2, 2, 3]), alignment: zeros([2, 2, 3]) };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 0.1, sliceScores: [0, 1, 0], model: 'm' }, scan);
  const state = { ...DEFAULT_STATE, slice: 2 };

  const before = sliceRequestFor(scan, undefined, state);
  assert.equal(before.shown, 'none');
  assert.equal(before.request.base, scan.image);
  assert.equal(before.request.overlay, undefined);

  const off = sliceRequestFor(scan, overlays, { ...state, overlayOn: false });
  assert.equal(off.shown, 'none');
  assert.equal(off.request.overlay, undefined);

  const alignment = sliceRequestFor(scan, overlays, { ...state, overlay: 'alignment', opacity: 0.3 });
  assert.equal(alignment.shown, 'alignment');
  assert.equal(alignment.request.overlay?.map, maps.alignment);
  assert.equal(alignment.request.overlay?.opacity, 0.3);
  assert.equal(alignment.request.slice, 2);

  const reconstruction = sliceRequestFor(scan, overlays, { ...state, overlay: 'reconstruction' as MapName });
  assert.equal(reconstruction.shown, 'reconstruction');
  assert.equal(reconstruction.request.base, maps.reconstruction);
  assert.equal(reconstruction.request.overlay, undefined);
});

test('bad grids are refused with a message naming the scan and the problem', () => {
  assert.throws(
    () => loadScan({ type: 'scan', name: 'b.png', image: { dims: [2, 2, 1], data: new Float32Array(3) }, spacing: [1, 1, 1] }),
    /Scan b\.png: dims 2x2x1 do not match its 3 values/,
  );
  const scan = loadScan({ type: 'scan', name: 'c.nii', image: zeros([2, 2, 2]), spacing: [1, 1, 1] });
  const maps = { reconstruction: zeros([2, 2, 2]), residual: zeros([2, 2, 1]), alignment: zeros([2, 2, 2]) };
  assert.throws(
    () => loadOverlays({ type: 'overlays', maps, score: 0, sliceScores: [0, 0], model: 'm' }, scan),
    /The residual map of c\.nii is 2x2x1 but the scan is 2x2x2/,
  );
});

test('the canvas fits the box with the physical aspect of the voxels', () => {
  // 80 x 64 voxels of 1 x 1.5 mm -> 80 x 96 mm; a 1000 x 600 box limits the height: scale 6.25.
  assert.deepEqual(fitToBox({ width: 80, height: 64 }, [1, 1.5, 1], { width: 1000, height: 600 }), { width: 500, height: 600 });
  // Missing or bad spacings count as 1.
  assert.deepEqual(fitToBox({ width: 10, height: 20 }, [0, NaN, 1], { width: 100, height: 100 }), { width: 50, height: 100 });
});

test('a click on the slice chart selects the slice under it', () => {
  assert.equal(sliceAtPosition(0, 100, 24), 0);
  assert.equal(sliceAtPosition(50, 100, 24), 12);
  assert.equal(sliceAtPosition(100, 100, 24), 23);
  assert.equal(sliceAtPosition(-5, 100, 24), 0);
});
