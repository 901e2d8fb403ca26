// The viewer's state rules and what it decides to draw: slice choice, saved-state checks, the
// overlay choice per state, message checks, the canvas fit and the slice chart's hit test.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid, MapName } from '../../models/worker/protocol';
import { HOT, VIRIDIS } from '../../webview/colormap';
import { fitToBox } from '../../webview/geometry';
import { contourValue, loadOverlays, loadScan, sliceRequestFor } from '../../webview/scene';
import { sliceAtPosition } from '../../webview/sliceChart';
import {
  centreVoxel,
  clampIndex,
  clampPosition,
  DEFAULT_STATE,
  mostAnomalousSlice,
  nextMostAnomalousSlice,
  pageStep,
  parseViewerState,
  shownSlice,
  withSlice,
  type ViewerState,
} from '../../webview/viewerState';

const zeros = (dims: [number, number, number]): Grid => ({ dims, data: new Float32Array(dims[0] * dims[1] * dims[2]) });

test('most anomalous slice: the highest score, the first on ties, ignoring NaN; none without scores', () => {
  assert.equal(mostAnomalousSlice([0.1, 0.5, 0.5, 0.2]), 1);
  assert.equal(mostAnomalousSlice([NaN, 0.3, 0.1]), 1);
  assert.equal(mostAnomalousSlice([]), undefined);
});

test('next most anomalous slice: down the ranking by score from the current slice, wrapping to the top', () => {
  const scores = [0.1, 0.5, 0.3, NaN, 0.5];
  // Ranking: 1 (0.5), 4 (0.5, later index), 2 (0.3), 0 (0.1); slice 3 has no score.
  assert.equal(nextMostAnomalousSlice(scores, 1), 4);
  assert.equal(nextMostAnomalousSlice(scores, 4), 2);
  assert.equal(nextMostAnomalousSlice(scores, 0), 1);
  assert.equal(nextMostAnomalousSlice(scores, 3), 1);
  assert.equal(nextMostAnomalousSlice([], 0), undefined);
});

test('the crosshair is clamped to the volume; each view shows the slice through it; pages are a tenth of the slices', () => {
  assert.equal(clampIndex(-3, 10), 0);
  assert.equal(clampIndex(12, 10), 9);
  assert.equal(clampIndex(4.4, 10), 4);
  assert.deepEqual(clampPosition([-1, 7, 2.6], [4, 5, 6]), [0, 4, 3]);
  assert.deepEqual(centreVoxel([155, 190, 1]), [77, 95, 0]);
  const position: [number, number, number] = [3, 4, 5];
  assert.equal(shownSlice({ view: 'axial', position }), 5);
  assert.equal(shownSlice({ view: 'coronal', position }), 4);
  assert.equal(shownSlice({ view: 'sagittal', position }), 3);
  assert.deepEqual(withSlice(position, 'coronal', 9), [3, 9, 5]);
  assert.equal(pageStep(155), 16);
  assert.equal(pageStep(3), 1);
});

test('a saved state is accepted only when every field is valid', () => {
  const saved = {
    ...DEFAULT_STATE,
    view: 'coronal',
    position: [1, 2, 5],
    colormaps: { residual: 'viridis' },
    contour: 0.4,
    compare: true,
    zoom: 2,
    pan: [0.1, -0.2],
    windowLevel: { level: 50, width: 100 },
  };
  assert.deepEqual(parseViewerState(saved), saved);
  assert.equal(parseViewerState(undefined), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, overlay: 'heatmap' }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, opacity: 1.5 }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, position: [0, -1, 0] }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, view: 'oblique' }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, colormaps: { residual: 'rainbow' } }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, zoom: 100 }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, windowLevel: { level: 1, width: 0 } }), undefined);
  // A state saved by the first viewer version (slice instead of a crosshair) is dropped.
  assert.equal(parseViewerState({ slice: 0, overlay: 'residual', overlayOn: true, opacity: 0.6, hadOverlays: false }), undefined);
});

test('what is drawn: scan alone, scan + map, or the reconstruction in gray in place of the scan', () => {
  const scan = loadScan({ type: 'scan', name: 'a.nii.gz', image: zeros([2, 2, 3]), spacing: [1, 1, 1] });
  const maps = {
    reconstruction: zeros([2, 2, 3]),
    residual: zeros([2, 2, 3]),
    alignment: zeros([2, 2, 3]),
    ssim: zeros([2, 2, 3]),
    ssimAlignment: zeros([2, 2, 3]),
  };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 0.1, sliceScores: [0, 1, 0], model: 'm' }, scan);
  const state: ViewerState = { ...DEFAULT_STATE, position: [0, 0, 2] };

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
  assert.equal(alignment.request.overlay?.colormap, HOT, 'hot by default');
  assert.equal(alignment.request.overlay?.contourAt, undefined, 'no contour at threshold 0');
  assert.equal(alignment.request.slice, 2);
  assert.equal(alignment.request.view, 'axial');

  const reconstruction = sliceRequestFor(scan, overlays, { ...state, overlay: 'reconstruction' as MapName });
  assert.equal(reconstruction.shown, 'reconstruction');
  assert.equal(reconstruction.request.base, maps.reconstruction);
  assert.equal(reconstruction.request.overlay, undefined);
});

test('per-map colormap, contour value, coronal slice, dragged contrast and the side-by-side reconstruction pane', () => {
  const scan = loadScan({ type: 'scan', name: 'a.nii.gz', image: zeros([2, 2, 3]), spacing: [1, 1, 1] });
  const maps = {
    reconstruction: zeros([2, 2, 3]),
    residual: zeros([2, 2, 3]),
    alignment: zeros([2, 2, 3]),
    ssim: zeros([2, 2, 3]),
    ssimAlignment: zeros([2, 2, 3]),
  };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 0.1, sliceScores: [0, 1, 0], model: 'm' }, scan);
  overlays.colourWindows.residual = { low: 2, high: 6 };
  const state: ViewerState = {
    ...DEFAULT_STATE,
    view: 'coronal',
    position: [0, 1, 2],
    colormaps: { residual: 'viridis' },
    contour: 0.25,
    compare: true,
    windowLevel: { level: 10, width: 4 },
  };
  const left = sliceRequestFor(scan, overlays, state, 'scan');
  assert.equal(left.request.view, 'coronal');
  assert.equal(left.request.slice, 1, 'the coronal view shows slice y = 1');
  assert.equal(left.request.overlay?.colormap, VIRIDIS);
  assert.equal(left.request.overlay?.contourAt, 3, '2 + 0.25 * (6 - 2)');
  assert.deepEqual(left.request.baseWindow, { low: 8, high: 12 });
  const right = sliceRequestFor(scan, overlays, state, 'reconstruction');
  assert.equal(right.request.base, maps.reconstruction);
  assert.equal(right.request.overlay?.map, maps.residual);
  assert.equal(contourValue({ low: 1, high: 3 }, 0.5), 2);
});

test('bad grids are refused with a message naming the scan and the problem', () => {
  assert.throws(
    () => loadScan({ type: 'scan', name: 'b.png', image: { dims: [2, 2, 1], data: new Float32Array(3) }, spacing: [1, 1, 1] }),
    /Scan b\.png: dims 2x2x1 do not match its 3 values/,
  );
  const scan = loadScan({ type: 'scan', name: 'c.nii', image: zeros([2, 2, 2]), spacing: [1, 1, 1] });
  const maps = {
    reconstruction: zeros([2, 2, 2]),
    residual: zeros([2, 2, 1]),
    alignment: zeros([2, 2, 2]),
    ssim: zeros([2, 2, 2]),
    ssimAlignment: zeros([2, 2, 2]),
  };
  assert.throws(
    () => loadOverlays({ type: 'overlays', maps, score: 0, sliceScores: [0, 0], model: 'm' }, scan),
    /The residual map of c\.nii is 2x2x1 but the scan is 2x2x2/,
  );
});

test('the canvas fits the box with the physical aspect of the voxels', () => {
  // 80 x 64 voxels of 1 x 1.5 mm -> 80 x 96 mm; a 1000 x 600 box limits the height: scale 6.25.
  assert.deepEqual(fitToBox({ width: 80, height: 64 }, [1, 1.5], { width: 1000, height: 600 }), { width: 500, height: 600 });
  // Missing or bad spacings count as 1.
  assert.deepEqual(fitToBox({ width: 10, height: 20 }, [0, NaN], { width: 100, height: 100 }), { width: 50, height: 100 });
});

test('a click on the slice chart selects the slice under it', () => {
  assert.equal(sliceAtPosition(0, 100, 24), 0);
  assert.equal(sliceAtPosition(50, 100, 24), 12);
  assert.equal(sliceAtPosition(100, 100, 24), 23);
  assert.equal(sliceAtPosition(-5, 100, 24), 0);
});
