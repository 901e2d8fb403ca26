// The label overlay (a mask or second volume over the scan): which pixels of a hand-made label slice
// are its outline, how outline and fill are painted, the label / volume distinction, and the check that
// an overlay file is in the scan's grid.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { overlayGridProblem } from '../../extension/scanEditor/overlayGrid';
import { FILL_OPACITY, regionColour, regionOutline, sliceRegions } from '../../webview/labelDrawing';
import { isLabelImage, loadLabelLayer } from '../../webview/labelLayer';
import { renderSlice } from '../../webview/render';
import { loadScan } from '../../webview/scene';

// 6 x 5, row-major: label 1 a 3 x 3 block with one interior pixel (2, 2); label 2 touching it at (4, 2) and alone in the corner (5, 4).
const WIDTH = 6;
const HEIGHT = 5;
// prettier-ignore
const LABELS = [
  0, 0, 0, 0, 0, 0,
  0, 1, 1, 1, 0, 0,
  0, 1, 1, 1, 2, 0,
  0, 1, 1, 1, 0, 0,
  0, 0, 0, 0, 0, 2,
];
// Every labelled pixel but the interior one (2, 2) = offset 14: its four neighbours are label 1 too.
const OUTLINE = [7, 8, 9, 13, 15, 16, 19, 20, 21, 29];

test('the outline of a label slice: each labelled pixel with a 4-neighbour of another label, of none, or beyond the edge', () => {
  const out = new Uint8Array(WIDTH * HEIGHT);
  const count = regionOutline(Uint8Array.from(LABELS), WIDTH, HEIGHT, out);
  assert.equal(count, OUTLINE.length);
  assert.deepEqual(
    [...out.keys()].filter((i) => out[i] === 1),
    OUTLINE,
  );
});

test('drawn as outline, exactly the boundary pixels get their label colour; drawn as fill, every labelled pixel is tinted', () => {
  const scan = loadScan({ type: 'scan', name: 'scan.png', image: { dims: [WIDTH, HEIGHT, 1], data: new Float32Array(WIDTH * HEIGHT) }, spacing: [1, 1, 1] });
  const layer = loadLabelLayer('mask.png', { dims: [WIDTH, HEIGHT, 1], data: Float32Array.from(LABELS) }, scan);
  assert.equal(layer.kind, 'labels');
  const base = { base: scan.image, baseWindow: { low: 0, high: 1 }, view: 'axial' as const, slice: 0 };
  const outline = renderSlice({ ...base, labels: { layer, style: 'outline' } });
  assert.deepEqual(outline.labelOutline, OUTLINE);
  assert.equal(outline.labelPixels, OUTLINE.length);
  const rgbAt = (pixels: Uint8ClampedArray, i: number) => Array.from(pixels.subarray(i * 4, i * 4 + 3));
  // A 2D image is drawn as stored (row 0 at the top), so slice offset i is pixel i.
  assert.deepEqual(rgbAt(outline.pixels, 7), [...regionColour(1)]);
  assert.deepEqual(rgbAt(outline.pixels, 16), [...regionColour(2)], 'label 2 at (4, 2)');
  assert.deepEqual(rgbAt(outline.pixels, 14), [0, 0, 0], 'the interior stays as the scan');
  assert.deepEqual(rgbAt(outline.pixels, 0), [0, 0, 0]);
  const fill = renderSlice({ ...base, labels: { layer, style: 'fill' } });
  assert.equal(fill.labelPixels, 11);
  assert.deepEqual(fill.labelOutline, []);
  // Over black: c = 0 * (1 - a) + colour * a.
  assert.deepEqual(
    rgbAt(fill.pixels, 14),
    regionColour(1).map((c) => Math.round(c * FILL_OPACITY)),
  );
  assert.deepEqual(rgbAt(fill.pixels, 0), [0, 0, 0]);
});

test('a label image holds whole numbers 0..255; any other volume has one region at or above the middle of its window', () => {
  assert.equal(isLabelImage(Float32Array.from([0, 1, 2, 255, Number.NaN])), true);
  assert.equal(isLabelImage(Float32Array.from([0, 0.5])), false);
  assert.equal(isLabelImage(Float32Array.from([0, 256])), false);
  assert.equal(isLabelImage(Float32Array.from([-1, 0])), false);
  const regions = sliceRegions(Float32Array.from([0.1, 0.5, 0.9]), { kind: 'volume', threshold: 0.5 });
  assert.deepEqual([...regions], [0, 1, 1]);
  const scan = loadScan({ type: 'scan', name: 's.nii', image: { dims: [3, 1, 1], data: new Float32Array(3) }, spacing: [1, 1, 1] });
  // The robust window of the nonzero values 0.2 and 0.6 (1st to 99th percentile): 0.2 to 0.6, its middle 0.4.
  const volume = loadLabelLayer('prob.nii', { dims: [3, 1, 1], data: Float32Array.from([0, 0.2, 0.6]) }, scan);
  assert.equal(volume.kind, 'volume');
  assert.ok(Math.abs(volume.threshold - 0.4) < 1e-6, `threshold ${volume.threshold}`);
  const other: Grid = { dims: [2, 1, 1], data: new Float32Array(2) };
  assert.throws(() => loadLabelLayer('small.nii', other, scan), /small\.nii of s\.nii is 2x1x1 but the scan is 3x1x1/);
});

test("an overlay file must be in the scan's grid: the same size and voxel-to-world matrix", () => {
  const affine = [
    [-1, 0, 0, 90],
    [0, 1, 0, -126],
    [0, 0, 3, -72],
    [0, 0, 0, 1],
  ];
  const scan = { name: 'flair.nii.gz', dims: [182, 218, 60], affine };
  assert.equal(overlayGridProblem(scan, { name: 'mask.nii.gz', dims: [182, 218, 60], affine: affine.map((row) => row.map((v) => v + 1e-4)) }), undefined);
  assert.equal(
    overlayGridProblem(scan, { name: 'mask.nii.gz', dims: [182, 218, 1] }),
    "mask.nii.gz is 182x218x1 voxels but the scan flair.nii.gz is 182x218x60: an overlay must have the scan's voxels (the same grid)",
  );
  const shifted = affine.map((row, r) => (r === 2 ? [0, 0, 3, -70.5] : row));
  assert.match(
    overlayGridProblem(scan, { name: 'mask.nii.gz', dims: [182, 218, 60], affine: shifted }) ?? '',
    /^mask\.nii\.gz has the scan's size but another voxel-to-world matrix than flair\.nii\.gz \(it differs by up to 1\.50 mm\)/,
  );
  assert.equal(overlayGridProblem({ name: 'a.png', dims: [64, 64, 1] }, { name: 'a_mask.png', dims: [64, 64, 1] }), undefined, 'images have no matrix');
});
