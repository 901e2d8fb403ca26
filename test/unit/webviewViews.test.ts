// The viewer's views and tools, on hand-indexed grids: axial / coronal / sagittal slices, colormaps
// against matplotlib's tables, the threshold contour, window level / width, zoom / pan placement and
// the hover read-out, and the render report's checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { GRAY, JET, VIRIDIS } from '../../webview/colormap';
import { contourMask } from '../../webview/contour';
import { panForZoomAt, pixelToScreen, placeSlice, screenToPixel } from '../../webview/geometry';
import { extractSlice, meanPerSlice, pixelOfVoxel, pixelSpacing, sliceShape, voxelAt } from '../../webview/orthoSlice';
import { parseWebviewMessage } from '../../webview/protocol';
import { RENDER_REPORT } from './renderReportFixture';
import { readoutText, voxelUnderPointer } from '../../webview/readout';
import { CONTOUR_RGB, renderSlice } from '../../webview/render';
import { dragSensitivity, dragWindowLevel, levelOfWindow, windowOfLevel } from '../../webview/windowLevel';

/** A grid whose value at voxel (x, y, z) is its own index x + nx * (y + ny * z). */
function indexGrid(dims: [number, number, number]): Grid {
  return { dims, data: Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => i) };
}

function rgb(lut: Uint8ClampedArray, i: number): number[] {
  return Array.from(lut.subarray(i * 4, i * 4 + 3));
}

test('orthogonal slices of a 3x4x5 grid: axial z, coronal y (x across, z up), sagittal x (y across, z up)', () => {
  const grid = indexGrid([3, 4, 5]); // value = x + 3y + 12z
  assert.deepEqual(Array.from(extractSlice(grid, 'axial', 1)), [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
  assert.deepEqual(sliceShape(grid.dims, 'coronal'), { width: 3, height: 5, depth: 4 });
  // Coronal y = 2: row z holds x + 6 + 12z.
  assert.deepEqual(Array.from(extractSlice(grid, 'coronal', 2)), [6, 7, 8, 18, 19, 20, 30, 31, 32, 42, 43, 44, 54, 55, 56]);
  assert.deepEqual(sliceShape(grid.dims, 'sagittal'), { width: 4, height: 5, depth: 3 });
  // Sagittal x = 1: row z, column y holds 1 + 3y + 12z.
  assert.deepEqual(Array.from(extractSlice(grid, 'sagittal', 1)), [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58]);
  // Pixel <-> voxel, and the spacing along columns and rows.
  assert.deepEqual(voxelAt('sagittal', 1, 3, 4), [1, 3, 4]);
  assert.deepEqual(voxelAt('coronal', 2, 0, 4), [0, 2, 4]);
  assert.deepEqual(pixelOfVoxel('sagittal', [1, 3, 4]), { col: 3, row: 4 });
  assert.deepEqual(pixelSpacing([0.5, 0.8, 2], 'coronal'), [0.5, 2]);
  assert.deepEqual(pixelSpacing([0.5, 0.8, 2], 'sagittal'), [0.8, 2]);
});

test('slice means along each axis (the per-slice score of coronal and sagittal views)', () => {
  const grid = indexGrid([3, 4, 5]);
  // Axial z: mean of x + 3y + 12z = 1 + 4.5 + 12z; coronal y: 1 + 3y + 24; sagittal x: x + 4.5 + 24.
  assert.deepEqual(meanPerSlice(grid, 'axial'), [5.5, 17.5, 29.5, 41.5, 53.5]);
  assert.deepEqual(meanPerSlice(grid, 'coronal'), [25, 28, 31, 34]);
  assert.deepEqual(meanPerSlice(grid, 'sagittal'), [28.5, 29.5, 30.5]);
});

test('colormaps: gray, viridis (matplotlib _viridis_data) and jet (matplotlib _jet_data) at both ends and the middle', () => {
  assert.deepEqual(rgb(GRAY, 128), [128, 128, 128]);
  assert.deepEqual(rgb(VIRIDIS, 0), [68, 1, 84]);
  // matplotlib entry 128 = (0.127568, 0.566949, 0.550556) * 255 = (32.5, 144.6, 140.4).
  assert.deepEqual(rgb(VIRIDIS, 128), [33, 145, 140]);
  assert.deepEqual(rgb(VIRIDIS, 255), [253, 231, 37]);
  // Jet ends: blue 0.5 * 255 = 127.5 -> 128, red likewise.
  assert.deepEqual(rgb(JET, 0), [0, 0, 128]);
  assert.deepEqual(rgb(JET, 255), [128, 0, 0]);
  // Entry 128, v = 0.50196: red (v - 0.35) / 0.31 = 0.4902 -> 125; green 1; blue 1 - (v - 0.34) / 0.31 = 0.4775 -> 122.
  assert.deepEqual(rgb(JET, 128), [125, 255, 122]);
});

test('contour of a 2x2 square in a 6x6 map: all four pixels; of a 4x4 square: its 12-pixel ring', () => {
  const map = new Float32Array(36);
  for (const [x, y] of [
    [2, 2],
    [3, 2],
    [2, 3],
    [3, 3],
  ])
    map[y * 6 + x] = 1;
  const mask = new Uint8Array(36);
  assert.equal(contourMask(map, 6, 6, 0.5, mask), 4);
  assert.deepEqual(
    [...mask.keys()].filter((i) => mask[i]),
    [14, 15, 20, 21],
  );

  const big = new Float32Array(36);
  for (let y = 1; y <= 4; y++) for (let x = 1; x <= 4; x++) big[y * 6 + x] = 1;
  assert.equal(contourMask(big, 6, 6, 1, mask), 12);
  const interior = [14, 15, 20, 21];
  assert.ok(
    interior.every((i) => mask[i] === 0),
    'interior pixels are not on the contour',
  );
  assert.equal(contourMask(big, 6, 6, 2, mask), 0, 'nothing above the threshold, no contour');
  // A region touching the slice's edge is closed by the edge: all 6 pixels of a full 6x1 row.
  assert.equal(contourMask(Float32Array.from([5, 5, 5, 5, 5, 5]), 6, 1, 5, new Uint8Array(6)), 6);
});

test('a coronal slice drawn with a contour: rows flipped (z up), contour pixels cyan and counted, interior left alone', () => {
  const grid = indexGrid([3, 4, 5]);
  // Coronal y = 2 (see above), contour of values >= 30: rows z = 2..4, all 9 pixels but the interior one (x 1, z 3).
  const drawn = renderSlice({
    base: grid,
    baseWindow: { low: 0, high: 59 },
    view: 'coronal',
    slice: 2,
    overlay: { map: grid, window: { low: 0, high: 59 }, colormap: GRAY, opacity: 0, contourAt: 30 },
  });
  assert.equal(drawn.width, 3);
  assert.equal(drawn.height, 5);
  assert.equal(drawn.contourPixels, 8);
  assert.equal(drawn.overlayPixels, 0, 'opacity 0 paints no overlay, the contour still shows');
  const pixel = (col: number, drawnRow: number) => Array.from(drawn.pixels.subarray((drawnRow * 3 + col) * 4, (drawnRow * 3 + col) * 4 + 3));
  assert.deepEqual(pixel(1, 0), [...CONTOUR_RGB], 'top row = z 4, on the contour');
  // Drawn row 1 = z 3; x 1 is interior: gray of 43 in [0, 59] = 0.7288 -> entry 186.
  assert.deepEqual(pixel(1, 1), [186, 186, 186]);
  // Drawn row 4 = z 0, below the threshold: gray of 6 -> entry 26.
  assert.deepEqual(pixel(0, 4), [26, 26, 26]);
});

test('window level / width: low = level - width / 2, drags move level (dy) and width (dx) by 1/256 of the auto window', () => {
  assert.deepEqual(windowOfLevel({ level: 40, width: 80 }), { low: 0, high: 80 });
  assert.deepEqual(levelOfWindow({ low: 0, high: 80 }), { level: 40, width: 80 });
  assert.equal(dragSensitivity({ low: 100, high: 612 }), 2);
  assert.deepEqual(dragWindowLevel({ level: 40, width: 80 }, 10, -5, 0.5), { level: 37.5, width: 85 });
  assert.deepEqual(dragWindowLevel({ level: 40, width: 80 }, -1000, 0, 0.5), { level: 40, width: 0.5 }, 'the width stays positive');
});

test('zoom and pan placement; screen <-> pixel round trip; zooming about the pointer keeps the pixel under it', () => {
  const voxels = { width: 10, height: 20 };
  const pane = { width: 200, height: 200 };
  // Fitted 100 x 200 (1 x 1 mm); zoom 2 -> 200 x 400, centred then moved by 0.1 widths.
  assert.deepEqual(placeSlice(voxels, [1, 1], pane, 2, [0.1, 0]), { left: 20, top: -100, width: 200, height: 400 });
  // Anisotropic voxels: 10 x 20 voxels of 2 x 1 mm are a square.
  assert.deepEqual(placeSlice(voxels, [2, 1], pane, 1, [0, 0]), { left: 0, top: 0, width: 200, height: 200 });
  const placement = placeSlice(voxels, [1, 1], pane, 1.7, [-0.05, 0.12]);
  for (const flipY of [false, true]) {
    for (let row = 0; row < 20; row++) {
      for (let col = 0; col < 10; col++) {
        const { x, y } = pixelToScreen(placement, voxels, flipY, { col, row });
        assert.deepEqual(screenToPixel(placement, voxels, flipY, x, y), { col, row });
      }
    }
  }
  assert.equal(screenToPixel(placement, voxels, false, placement.left - 1, placement.top + 1), undefined, 'left of the image');
  const before = placeSlice(voxels, [1, 1], pane, 1, [0, 0]);
  const at = { x: 130, y: 70 };
  const pan = panForZoomAt(before, pane, { width: 100, height: 200 }, 3, at);
  const after = placeSlice(voxels, [1, 1], pane, 3, pan);
  assert.ok(Math.abs((at.x - after.left) / after.width - (at.x - before.left) / before.width) < 1e-12);
  assert.ok(Math.abs((at.y - after.top) / after.height - (at.y - before.top) / before.height) < 1e-12);
});

test('hover read-out: the top of a flipped axial view is the last row y; a 2D image is not flipped', () => {
  const volume = indexGrid([3, 4, 2]);
  const placement = { left: 0, top: 0, width: 30, height: 40 }; // 10 CSS px per voxel
  // (25, 5): column 2, top drawn row -> y = 3 in slice z = 1: value 2 + 3 * 3 + 12 * 1 = 23.
  const voxel = voxelUnderPointer(volume, 'axial', 1, placement, 25, 5);
  assert.deepEqual(voxel, [2, 3, 1]);
  assert.equal(
    readoutText(voxel!, [
      { label: 'intensity', grid: volume },
      { label: 'residual', grid: { dims: [3, 4, 2], data: new Float32Array(24).fill(0.125) } },
    ]),
    'x 2 y 3 z 1 · intensity 23 · residual 0.1250',
  );
  assert.deepEqual(voxelUnderPointer(volume, 'axial', 1, placement, 25, 35), [2, 0, 1], 'the bottom row is y = 0');
  assert.equal(voxelUnderPointer(volume, 'axial', 1, placement, 31, 5), undefined);
  const image = indexGrid([3, 4, 1]);
  assert.deepEqual(voxelUnderPointer(image, 'axial', 0, placement, 25, 5), [2, 0, 0]);
});

test('render reports: view, colormap, contour pixels and side by side are checked', () => {
  const report = {
    ...RENDER_REPORT,
    view: 'sagittal',
    slice: 3,
    colormap: 'jet',
    opacity: 0.5,
    imagePixels: 10,
    overlayPixels: 4,
    contourPixels: 2,
    compare: true,
    crosshairMm: [1, 2, 3],
    orientation: { left: 'P', right: 'A', top: 'S', bottom: 'I' },
  };
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', report }), { type: 'rendered', report });
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, view: 'oblique' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, colormap: 'rainbow' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, contourPixels: -1 } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, compare: 'yes' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, postProcessed: undefined } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, crosshairMm: [1, 2] } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, orientation: { left: 'L' } } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, windowLevel: null } }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'rawMaps', raw: true }), { type: 'rawMaps', raw: true });
  assert.equal(parseWebviewMessage({ type: 'rawMaps', raw: 'yes' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, colormap: 'none' } })?.type, 'rendered');
});
