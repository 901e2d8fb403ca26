// Maps quantized to 16 bits for the scan viewer (webview/quantizedGrid.ts): codes on hand-computed
// values, the round trip within the quantization step, NaN and constant maps, fresh buffers; and the
// viewer reading quantized maps (webview/viewerGrid.ts) the way it reads float32 ones: slices in every
// view, the read-out, slice means, colour windows and the threshold contour.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { HOT } from '../../webview/colormap';
import { extractSlice, meanPerSlice, VIEW_AXES } from '../../webview/orthoSlice';
import { decodeValue, MAX_CODE, NO_VALUE_CODE, quantizationStep, quantizeGrid } from '../../webview/quantizedGrid';
import { readoutText } from '../../webview/readout';
import { overlayWindow, renderSlice } from '../../webview/render';
import { loadOverlays, loadScan } from '../../webview/scene';
import { gridProblem, valueAt } from '../../webview/viewerGrid';

const grid = (dims: [number, number, number], values: number[]): Grid => ({ dims, data: Float32Array.from(values) });

/** A 6x5x4 grid of uneven values in [-3, 5]: value(i) = 4 sin(i * 0.7) + 1. */
function unevenGrid(): Grid {
  return { dims: [6, 5, 4], data: Float32Array.from({ length: 120 }, (_, i) => 4 * Math.sin(i * 0.7) + 1) };
}

test('codes split [min, max] into 65534 steps: 0, 0.5, 1 and 0.25 get codes 0, 32767, 65534 and 16384 (16383.5 rounded)', () => {
  const q = quantizeGrid(grid([4, 1, 1], [0, 0.5, 1, 0.25]));
  assert.deepEqual([q.min, q.max], [0, 1]);
  assert.deepEqual(Array.from(q.codes), [0, 32767, 65534, 16384]);
  assert.equal(decodeValue(q, 32767), 0.5);
  assert.equal(decodeValue(q, 65534), 1);
  assert.equal(quantizationStep(q), 1 / 65534);
});

test('decode(encode(x)) is within (max - min) / 65535 of x for every voxel', () => {
  const source = unevenGrid();
  const q = quantizeGrid(source);
  const bound = (q.max - q.min) / 65535;
  assert.ok(q.max - q.min > 7.9, 'the range spans most of [-3, 5]');
  source.data.forEach((x, i) => assert.ok(Math.abs(decodeValue(q, q.codes[i]) - x) <= bound, `voxel ${i}: ${decodeValue(q, q.codes[i])} vs ${x}`));
  // The extremes come back exactly: they are the range's ends.
  const extremes = source.data.reduce((acc, v) => [Math.min(acc[0], v), Math.max(acc[1], v)], [Infinity, -Infinity]);
  assert.deepEqual([q.min, q.max], extremes);
});

test('NaN and ±Infinity get NO_VALUE_CODE and decode as NaN; the range is that of the finite values', () => {
  const q = quantizeGrid(grid([5, 1, 1], [NaN, 2, 4, Infinity, -Infinity]));
  assert.deepEqual([q.min, q.max], [2, 4]);
  assert.deepEqual(Array.from(q.codes), [NO_VALUE_CODE, 0, MAX_CODE, NO_VALUE_CODE, NO_VALUE_CODE]);
  assert.ok(Number.isNaN(decodeValue(q, NO_VALUE_CODE)));
  const none = quantizeGrid(grid([2, 1, 1], [NaN, NaN]));
  assert.deepEqual([none.min, none.max, ...none.codes], [0, 0, NO_VALUE_CODE, NO_VALUE_CODE]);
});

test('a constant map keeps its value: step 0, every code 0, decoded as the constant', () => {
  const q = quantizeGrid(grid([3, 1, 1], [7.25, 7.25, 7.25]));
  assert.deepEqual([q.min, q.max, quantizationStep(q)], [7.25, 7.25, 0]);
  assert.deepEqual(Array.from(q.codes), [0, 0, 0]);
  assert.equal(decodeValue(q, 0), 7.25);
});

test('the codes get a buffer of their own, even when the map is a view into a larger buffer (as maps arrive over IPC)', () => {
  const shared = new Float32Array(1000).fill(1);
  const view: Grid = { dims: [10, 1, 1], data: shared.subarray(500, 510) };
  const q = quantizeGrid(view);
  assert.equal(q.codes.buffer.byteLength, 10 * 2);
  assert.deepEqual(q.dims, [10, 1, 1]);
  assert.notEqual(q.dims, view.dims, 'dims copied too: the message holds nothing of the worker result');
});

test('slices of a quantized map in every view are the float32 slices within half a step, and so are the slice means', () => {
  const source = unevenGrid();
  const q = quantizeGrid(source);
  const halfStep = quantizationStep(q) / 2 + 1e-6; // + float32 rounding of the decoded slice
  for (const view of VIEW_AXES) {
    const depth = view === 'axial' ? 4 : view === 'coronal' ? 5 : 6;
    for (let slice = 0; slice < depth; slice++) {
      const exact = extractSlice(source, view, slice);
      const decoded = extractSlice(q, view, slice);
      assert.equal(decoded.length, exact.length);
      decoded.forEach((v, i) => assert.ok(Math.abs(v - exact[i]) <= halfStep, `${view} ${slice} pixel ${i}: ${v} vs ${exact[i]}`));
    }
    meanPerSlice(q, view).forEach((mean, s) => assert.ok(Math.abs(mean - meanPerSlice(source, view)[s]) <= halfStep));
  }
  // A NaN voxel stays NaN in its slice, and is skipped by the slice means.
  const withNaN = quantizeGrid(grid([2, 1, 2], [NaN, 1, 3, 5]));
  assert.ok(Number.isNaN(extractSlice(withNaN, 'axial', 0)[0]));
  assert.deepEqual(meanPerSlice(withNaN, 'axial'), [1, 4]);
});

test('the read-out shows a quantized map value to its 4 digits: 0.125 in [0, 1] reads 0.1250', () => {
  const residual = quantizeGrid(grid([2, 2, 1], [0, 0.125, 0.5, 1]));
  assert.equal(valueAt(residual, 1), 8192 / 65534); // 0.1250038
  const image = grid([2, 2, 1], [10, 20, 30, 40]);
  assert.equal(
    readoutText(
      [1, 0, 0],
      [
        { label: 'intensity', grid: image },
        { label: 'residual', grid: residual },
      ],
    ),
    'x 1 y 0 z 0 · intensity 20 · residual 0.1250',
  );
});

test('colour windows and the threshold contour of a quantized map match the float32 map', () => {
  // A 4x4 map: a 2x2 block of 0.8 in a field of 0.1, 0.2 ... (the contour's 4 pixels are the block).
  const values = [0.1, 0.2, 0.1, 0.2, 0.2, 0.8, 0.8, 0.1, 0.1, 0.8, 0.8, 0.2, 0.2, 0.1, 0.2, 0.1];
  const source = grid([4, 4, 1], values);
  const q = quantizeGrid(source);
  const step = quantizationStep(q);
  const exactWindow = overlayWindow(source);
  const window = overlayWindow(q);
  assert.ok(Math.abs(window.low - exactWindow.low) <= step && Math.abs(window.high - exactWindow.high) <= step);
  const image = grid([4, 4, 1], new Array(16).fill(1));
  const draw = (map: typeof source | typeof q) =>
    renderSlice({
      base: image,
      baseWindow: { low: 0, high: 1 },
      view: 'axial',
      slice: 0,
      overlay: { map, window: exactWindow, colormap: HOT, opacity: 1, contourAt: 0.5 },
    });
  const exact = draw(source);
  const drawn = draw(q);
  assert.equal(drawn.contourPixels, 4);
  assert.equal(drawn.overlayPixels, exact.overlayPixels);
  assert.deepEqual(drawn.pixels, exact.pixels);
});

test('loadOverlays takes quantized maps and restorations, and refuses codes of the wrong type or a broken range', () => {
  const scan = loadScan({ type: 'scan', name: 'q.png', image: grid([2, 2, 1], [1, 2, 3, 4]), spacing: [1, 1, 1] });
  const map = () => quantizeGrid(grid([2, 2, 1], [0, 0.25, 0.5, 1]));
  const maps = { reconstruction: map(), residual: map(), alignment: map(), ssim: map(), ssimAlignment: map(), nll: map() };
  const overlays = loadOverlays({ type: 'overlays', maps, score: 1, sliceScores: [1], model: 'm', restorations: { mean: map(), samples: [map()] } }, scan);
  assert.deepEqual(overlays.present, ['reconstruction', 'residual', 'alignment', 'ssim', 'ssimAlignment', 'nll']);
  const floatCodes = { ...map(), codes: new Float32Array(4) as unknown as Uint16Array };
  assert.match(gridProblem(floatCodes) ?? '', /the data is not a Uint16Array/);
  assert.throws(
    () => loadOverlays({ type: 'overlays', maps: { ...maps, ssim: floatCodes }, score: 1, sliceScores: [1], model: 'm' }, scan),
    /The ssim map of q\.png: the data is not a Uint16Array/,
  );
  const reversed = { ...map(), min: 2, max: 1 };
  assert.throws(
    () => loadOverlays({ type: 'overlays', maps: { ...maps, kde: reversed }, score: 1, sliceScores: [1], model: 'm' }, scan),
    /The kde map of q\.png: its value range 2\.\.1 is not a finite range/,
  );
});
