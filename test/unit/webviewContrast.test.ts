// The viewer's contrast and threshold controls: the contour threshold's key steps, the window presets,
// the overlay range a user sets, and the error text the page may be shown (no absolute paths).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { withoutAbsolutePaths } from '../../extension/scanEditor/webviewText';
import { valueRange } from '../../webview/render';
import { loadOverlays, loadScan, sliceRequestFor } from '../../webview/scene';
import { contourShown, DEFAULT_STATE, parseViewerState, stepContour } from '../../webview/viewerState';
import { levelOfWindow, presetOf } from '../../webview/windowLevel';

test('ten steps up then ten down leave the contour threshold at exactly 0 (off, nothing drawn)', () => {
  let contour = 0;
  for (let i = 0; i < 10; i++) contour = stepContour(contour, 1);
  assert.equal(contour, 0.5);
  for (let i = 0; i < 10; i++) contour = stepContour(contour, -1);
  assert.equal(contour, 0);
  assert.equal(contourShown(contour), false);
  // The old rule, contour ± 0.05 in floating point, left a sliver above 0 that still drew a contour.
  let drifted = 0;
  for (let i = 0; i < 10; i++) drifted = Math.min(1, drifted + 0.05);
  for (let i = 0; i < 10; i++) drifted = Math.max(0, drifted - 0.05);
  assert.ok(drifted > 0, `floating point drifts to ${drifted}`);
  assert.equal(stepContour(0.98, 1), 1, 'clamped at the top');
  assert.equal(stepContour(0.37, 1), 0.4, 'a slider value snaps to the 5 % grid');
  assert.equal(stepContour(0, -1), 0);
});

test('a threshold that rounds to 0 % draws no contour, as its label says', () => {
  const dims: [number, number, number] = [2, 2, 1];
  const grid = (values: number[]): Grid => ({ dims, data: Float32Array.from(values) });
  const scan = loadScan({ type: 'scan', name: 'a.png', image: grid([1, 2, 3, 4]), spacing: [1, 1, 1] });
  const map = grid([0, 1, 2, 3]);
  const maps = { reconstruction: map, residual: map, alignment: map, ssim: map, ssimAlignment: map };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 1, sliceScores: [1], model: 'm' }, scan);
  const drawn = (contour: number) => sliceRequestFor(scan, overlays, { ...DEFAULT_STATE, contour }).request.overlay?.contourAt;
  assert.equal(drawn(1e-17), undefined);
  assert.notEqual(drawn(0.05), undefined);
});

test('window presets: brain (1-99 %) is the automatic window, full range spans every voxel, lesion the median to 99.9 %', () => {
  assert.deepEqual(valueRange({ dims: [5, 1, 1], data: Float32Array.from([-2, 0, 1, 3, 10]) }), { low: -2, high: 10 });
  assert.deepEqual(valueRange({ dims: [2, 1, 1], data: Float32Array.from([NaN, NaN]) }), { low: 0, high: 0 });
  // 0, 1, ..., 199: the nonzero voxels 1..199 give the percentiles (nearest rank over 199 values).
  const image: Grid = { dims: [200, 1, 1], data: Float32Array.from({ length: 200 }, (_, i) => i) };
  const scan = loadScan({ type: 'scan', name: 'a.png', image, spacing: [1, 1, 1] });
  assert.deepEqual(scan.presets, { brain: { low: 3, high: 197 }, full: { low: 0, high: 199 }, lesion: { low: 100, high: 199 } });
  assert.equal(presetOf(null, scan.presets), 'brain');
  assert.equal(presetOf(levelOfWindow(scan.presets.full), scan.presets), 'full');
  assert.equal(presetOf(levelOfWindow(scan.presets.lesion), scan.presets), 'lesion');
  assert.equal(presetOf({ level: 100, width: 7 }, scan.presets), 'custom');
});

test("an overlay range the user set replaces the map's automatic colour window and is saved with the state", () => {
  const dims: [number, number, number] = [2, 2, 1];
  const map: Grid = { dims, data: Float32Array.from([0, 1, 2, 3]) };
  const scan = loadScan({ type: 'scan', name: 'a.png', image: map, spacing: [1, 1, 1] });
  const maps = { reconstruction: map, residual: map, alignment: map, ssim: map, ssimAlignment: map };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 1, sliceScores: [1], model: 'm' }, scan);
  const state = { ...DEFAULT_STATE, overlayRanges: { residual: { low: 0.5, high: 2.5 } }, contour: 0.5 };
  const overlay = sliceRequestFor(scan, overlays, state).request.overlay;
  assert.deepEqual(overlay?.window, { low: 0.5, high: 2.5 });
  assert.equal(overlay?.contourAt, 1.5, 'the contour threshold is a fraction of the range set');
  assert.deepEqual(parseViewerState(state), state);
  const { overlayRanges: _, ...older } = state;
  assert.deepEqual(parseViewerState(older)?.overlayRanges, {}, 'a state saved before ranges existed');
  assert.equal(parseViewerState({ ...state, overlayRanges: { residual: { low: 3, high: 1 } } }), undefined);
});

test('error text for the page names the scan by its file name and other workspace files relative to it', () => {
  const message = withoutAbsolutePaths(
    '/home/u/ws/scans/a.nii.gz: not a NIfTI file; model /home/u/ws/.anomaly-models/m/manifest.json',
    '/home/u/ws/scans/a.nii.gz',
    'a.nii.gz',
    ['/home/u/ws'],
  );
  assert.equal(message, 'a.nii.gz: not a NIfTI file; model .anomaly-models/m/manifest.json');
});
