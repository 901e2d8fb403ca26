// The linked multi-plane layout: which panes a layout shows, and the one crosshair across the three
// planes: a click in the axial pane (placed at the voxels' physical aspect, non-isotropic here) picks
// the voxel under it, the coronal and sagittal panes then show its y and x slices, and the crosshair is
// drawn at its pixel in each. Indices and screen positions are computed by hand in the comments.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { pixelToScreen, placeSlice } from '../../webview/geometry';
import { loadLabelLayer } from '../../webview/labelLayer';
import { paneCaptions, paneSpecs } from '../../webview/linkedPlanes';
import { drawPane } from '../../webview/paneDrawing';
import { loadOverlays, loadScan } from '../../webview/scene';
import { pixelOfVoxel, pixelSpacing, sliceShape, type ViewAxis } from '../../webview/orthoSlice';
import { parseWebviewMessage } from '../../webview/protocol';
import { voxelUnderPointer } from '../../webview/readout';
import { DEFAULT_STATE, parseViewerState, shownSlice } from '../../webview/viewerState';
import { RENDER_REPORT } from './renderReportFixture';

test('three planes show axial, coronal and sagittal of the scan; one plane its view (and the model image side by side); a 2D image one plane', () => {
  assert.deepEqual(paneSpecs('planes', 'coronal', true, true), [
    { view: 'axial', image: 'scan' },
    { view: 'coronal', image: 'scan' },
    { view: 'sagittal', image: 'scan' },
  ]);
  assert.deepEqual(paneSpecs('single', 'coronal', true, true), [
    { view: 'coronal', image: 'scan' },
    { view: 'coronal', image: 'reconstruction' },
  ]);
  assert.deepEqual(paneSpecs('single', 'sagittal', false, true), [{ view: 'sagittal', image: 'scan' }]);
  assert.deepEqual(paneSpecs('planes', 'axial', false, false), [{ view: 'axial', image: 'scan' }], 'a 2D image has no other planes');
  assert.deepEqual(paneCaptions(paneSpecs('planes', 'axial', false, true), 'Reconstruction'), ['Axial', 'Coronal', 'Sagittal']);
  assert.deepEqual(paneCaptions(paneSpecs('single', 'axial', true, true), 'Reconstruction'), ['Scan', 'Reconstruction']);
  assert.deepEqual(paneCaptions(paneSpecs('single', 'axial', false, true), 'Reconstruction'), ['']);
});

test('a click in the axial pane of a non-isotropic volume moves the coronal and sagittal slices to its y and x, and the crosshair to its pixel in each', () => {
  // x 4, y 3, z 5 voxels of 1 x 2 x 3 mm.
  const dims: [number, number, number] = [4, 3, 5];
  const spacing: [number, number, number] = [1, 2, 3];
  const grid: Grid = { dims, data: new Float32Array(4 * 3 * 5) };
  const pane = { width: 400, height: 300 };
  const placement = (view: ViewAxis) => placeSlice(sliceShape(dims, view), pixelSpacing(spacing, view), pane, 1, [0, 0]);
  // Axial: 4 x 6 mm fitted into 400 x 300 at 50 px/mm: 200 x 300 px from x = 100.
  assert.deepEqual(placement('axial'), { left: 100, top: 0, width: 200, height: 300 });
  // The click at (130, 40): column floor(30 / 200 * 4) = 0; drawn row floor(40 / 300 * 3) = 0, the top row, which is y = 2 (rows flipped).
  let position: [number, number, number] = [3, 0, 4];
  position = voxelUnderPointer(grid, 'axial', shownSlice({ view: 'axial', position }), placement('axial'), 130, 40)!;
  assert.deepEqual(position, [0, 2, 4], 'x 0, y 2 in the axial slice z 4 shown');
  assert.equal(shownSlice({ view: 'coronal', position }), 2, 'the coronal pane shows slice y = 2');
  assert.equal(shownSlice({ view: 'sagittal', position }), 0, 'the sagittal pane shows slice x = 0');
  assert.equal(shownSlice({ view: 'axial', position }), 4, 'the axial slice stays');
  // Sagittal: y across (3 x 2 mm), z up (5 x 3 mm): 6 x 15 mm at 20 px/mm = 120 x 300 px from x = 140.
  // Its crosshair at column y = 2, row z = 4, drawn row 5 - 1 - 4 = 0: (140 + 2.5 / 3 * 120, 0.5 / 5 * 300) = (240, 30).
  const sagittal = pixelToScreen(placement('sagittal'), sliceShape(dims, 'sagittal'), true, pixelOfVoxel('sagittal', position));
  assert.deepEqual(sagittal, { x: 240, y: 30 });
  // Coronal: x across (4 x 1 mm), z up (15 mm): 20 px/mm = 80 x 300 px from x = 160; column x = 0, row z = 4: (160 + 0.5 / 4 * 80, 30) = (170, 30).
  const coronal = pixelToScreen(placement('coronal'), sliceShape(dims, 'coronal'), true, pixelOfVoxel('coronal', position));
  assert.deepEqual(coronal, { x: 170, y: 30 });
  // And a click there in the coronal pane picks the same voxel back.
  assert.deepEqual(voxelUnderPointer(grid, 'coronal', shownSlice({ view: 'coronal', position }), placement('coronal'), coronal.x, coronal.y), position);
});

test('each of the three planes is drawn with the same gray window, colour overlay, threshold contour and label outline', () => {
  // A 4^3 scan of ones; the maps and the label mask are 1 on the cube x, y, z in {1, 2}, else 0.
  const dims: [number, number, number] = [4, 4, 4];
  const cube = new Float32Array(64);
  for (let z = 1; z <= 2; z++) for (let y = 1; y <= 2; y++) for (let x = 1; x <= 2; x++) cube[x + 4 * (y + 4 * z)] = 1;
  const scan = loadScan({ type: 'scan', name: 's.nii', image: { dims, data: new Float32Array(64).fill(1) }, spacing: [1, 1, 1] });
  const map: Grid = { dims, data: cube };
  const maps = { reconstruction: map, residual: map, alignment: map, ssim: map, ssimAlignment: map };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 1, sliceScores: [1, 1, 1, 1], model: 'm' }, scan);
  const labels = loadLabelLayer('mask.nii', { dims, data: cube }, scan);
  // The crosshair (1, 2, 1) is inside the cube: axial z 1, coronal y 2, sagittal x 1 each cut it in a 2 x 2 square.
  const state = {
    ...DEFAULT_STATE,
    layout: 'planes' as const,
    position: [1, 2, 1] as [number, number, number],
    contour: 0.5,
    windowLevel: { level: 0.5, width: 1 },
  };
  const panes = paneSpecs(state.layout, state.view, false, true).map((spec) => drawPane(scan, overlays, labels, state, spec));
  assert.deepEqual(
    panes.map((p) => p.slice),
    [1, 2, 1],
  );
  for (const { request, drawn, shown } of panes) {
    assert.equal(shown, 'residual');
    assert.deepEqual(request.baseWindow, { low: 0, high: 1 }, 'the window set by level 0.5, width 1');
    // The residual's window: its nonzero values are all 1, widened to 0..1; the contour at half of it, 0.5.
    assert.equal(request.overlay?.contourAt, 0.5);
    assert.equal(drawn.overlayPixels, 4, 'the square painted');
    assert.equal(drawn.contourPixels, 4, 'a 2 x 2 region is all boundary');
    // Columns 1, 2 of rows 1, 2 of a 4-wide slice.
    assert.deepEqual(drawn.labelOutline, [5, 6, 9, 10]);
  }
});

test('the layout and the label overlay choice are kept with the viewer state; states saved before them get one plane and the outline', () => {
  const saved = { ...DEFAULT_STATE, layout: 'planes' as const, labelsOn: false, labelStyle: 'fill' as const };
  assert.deepEqual(parseViewerState(JSON.parse(JSON.stringify(saved))), saved);
  const { layout: _layout, labelsOn: _labelsOn, labelStyle: _labelStyle, ...older } = DEFAULT_STATE;
  assert.deepEqual(parseViewerState(older), { ...DEFAULT_STATE, layout: 'single', labelsOn: true, labelStyle: 'outline' });
  assert.equal(parseViewerState({ ...DEFAULT_STATE, layout: 'quad' }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, labelStyle: 'dotted' }), undefined);
  assert.equal(parseViewerState({ ...DEFAULT_STATE, labelsOn: 'yes' }), undefined);
});

test('render reports carry the layout and what each pane drew; malformed ones are refused', () => {
  const report = RENDER_REPORT;
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', report }), { type: 'rendered', report });
  const pane = report.panes[0];
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, layout: 'quad' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, panes: [{ ...pane, view: 'oblique' }] } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, panes: [{ ...pane, labelOutline: [-1] }] } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, labels: { name: 'm', kind: 'labels', style: 'dotted' } } }), undefined);
  const labels = { name: 'mask.nii.gz', kind: 'labels', style: 'outline' };
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, labels } })?.type, 'rendered');
  const page = {
    title: 'm.nii.gz',
    scoreEnabled: false,
    scoreNote: 'a mask',
    error: '',
    resources: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js'],
    stylesheets: 2,
  };
  assert.deepEqual(parseWebviewMessage({ type: 'page', page }), { type: 'page', page });
  assert.equal(parseWebviewMessage({ type: 'page', page: { ...page, scoreNote: undefined } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'page', page: { ...page, resources: [3] } }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'showExpertMask' }), { type: 'showExpertMask' });
  assert.deepEqual(parseWebviewMessage({ type: 'openOverlay' }), { type: 'openOverlay' });
});
