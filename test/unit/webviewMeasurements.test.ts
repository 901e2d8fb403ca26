// The viewer's measurements on hand-made grids: the regions of a thresholded map (face-connected, with
// volumes in mL from the header's voxel size, peaks and where a click goes), the ruler's length in mm for
// anisotropic and oblique voxels, and the screen-to-slice conversion the ruler's ends go through.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelGridComponents } from '../../models/metrics/connectedComponents';
import type { Grid } from '../../models/worker/protocol';
import { pixelToScreen, screenToSlicePoint } from '../../webview/geometry';
import { quantizeGrid } from '../../webview/quantizedGrid';
import { lengthUnit, rulerLength, rulerShownIn, rulerText } from '../../webview/ruler';
import { regionMeasure, regionSizeText, SMALL_REGION_VOXELS, sortRegions, thresholdRegions, withoutSmallRegions } from '../../webview/thresholdRegions';
import { voxelVolumeOfAffine } from '../../webview/worldSpace';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

/**
 * 4 x 3 x 2, x fastest. At or above 0.5: A = (0,0,0) 0.9, (1,0,0) 0.8, (0,0,1) 0.6; B = (3,1,0) 0.5,
 * (3,2,0) 0.6, (2,2,0) 0.7, (3,2,1) 0.95; C = (1,1,1) 0.7, which touches A's (0,0,1) only diagonally.
 */
const MAP: Grid = {
  dims: [4, 3, 2],
  // prettier-ignore
  data: Float32Array.from([
    0.9, 0.8, 0, 0,   0, 0, 0, 0.5,   0, 0, 0.7, 0.6,
    0.6, 0, 0, 0,     0, 0.7, 0, 0,   0, 0, 0, 0.95,
  ]),
};
/** Anisotropic voxels of 0.8 x 1.5 x 3 mm: 3.6 mm³ each. */
const ANISOTROPIC = [
  [0.8, 0, 0, -10],
  [0, 1.5, 0, 20],
  [0, 0, 3, -30],
  [0, 0, 0, 1],
];

test('face-connected components of a 3D mask: diagonal voxels are apart, regions in raster order with their sizes', () => {
  const mask = Uint8Array.from(MAP.data, (v) => (v >= 0.5 ? 1 : 0));
  const { count, sizes, labels } = labelGridComponents(mask, MAP.dims);
  assert.equal(count, 3);
  assert.deepEqual(sizes, [3, 4, 1]);
  assert.deepEqual(Array.from(labels), [1, 1, 0, 0, 0, 0, 0, 2, 0, 0, 2, 2, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 2]);
  assert.throws(() => labelGridComponents(mask, [4, 3, 1]), /24 voxels, expected 4 x 3 x 1/);
});

test('the regions above a threshold: volume in mL from the affine, peak value, and the voxel nearest the centroid', () => {
  const measure = regionMeasure(MAP.dims, [1, 1, 1], ANISOTROPIC);
  assert.equal(measure.unit, 'mL');
  close(measure.perVoxel, 0.0036, 'mL per voxel: 0.8 * 1.5 * 3 mm³ / 1000');
  const regions = thresholdRegions(MAP, 0.5, measure);
  assert.deepEqual(
    regions.map((r) => r.voxels),
    [3, 4, 1],
  );
  // A: 3 * 3.6 mm³ = 0.0108 mL; B: 4 * 3.6 = 0.0144 mL; C: 0.0036 mL.
  [0.0108, 0.0144, 0.0036].forEach((mL, r) => close(regions[r].size, mL, `region ${r} in mL`));
  assert.deepEqual(
    regions.map((r) => r.peak),
    [Math.fround(0.9), Math.fround(0.95), Math.fround(0.7)],
  );
  // A's centroid (1/3, 0, 1/3) is nearest (0,0,0); B's (2.75, 1.75, 0.25) nearest (3,2,0).
  assert.deepEqual(
    regions.map((r) => r.focus),
    [
      [0, 0, 0],
      [3, 2, 0],
      [1, 1, 1],
    ],
  );
  assert.deepEqual(thresholdRegions(MAP, 0.96, measure), [], 'nothing reaches a threshold above the peak');
  // The 16-bit codes the host sends give the same regions.
  assert.deepEqual(
    thresholdRegions(quantizeGrid(MAP), 0.5, measure).map((r) => r.voxels),
    [3, 4, 1],
  );
});

test('small-component removal: regions of at most N voxels are left out and counted (Baur: 7, in 3D)', () => {
  const regions = thresholdRegions(MAP, 0.5, regionMeasure(MAP.dims, [1, 1, 1], ANISOTROPIC)); // 3, 4 and 1 voxels
  const sizes = (n: number) => withoutSmallRegions(regions, n);
  assert.deepEqual(
    [sizes(0), sizes(1), sizes(3), sizes(SMALL_REGION_VOXELS)].map(({ kept, removed }) => [kept.map((r) => r.voxels), removed]),
    [
      [[3, 4, 1], 0],
      [[3, 4], 1],
      [[4], 2],
      [[], 3],
    ],
  );
  assert.equal(SMALL_REGION_VOXELS, 7);
});

test('regions sorted largest first or highest peak first; sizes in mL, mm² or px', () => {
  const regions = thresholdRegions(MAP, 0.5, regionMeasure(MAP.dims, [1, 1, 1], ANISOTROPIC));
  assert.deepEqual(
    sortRegions(regions, 'size').map((r) => r.voxels),
    [4, 3, 1],
  );
  assert.deepEqual(
    sortRegions(regions, 'peak').map((r) => r.peak),
    [Math.fround(0.95), Math.fround(0.9), Math.fround(0.7)],
  );
  assert.equal(regionSizeText(0.0144, 'mL'), '0.0144 mL');
  assert.equal(regionSizeText(12.3456, 'mm²'), '12.3 mm²');
  assert.equal(regionSizeText(7, 'px'), '7 px');
});

test('voxel measures: |det| of the affine (not the product of its column lengths), mm² for a 2D image with a header, px without', () => {
  const sheared = [
    [1, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 2, 0],
  ];
  close(voxelVolumeOfAffine(sheared), 2, 'a sheared voxel: det 2 mm³, though its columns are 1, √2 and 2 mm long');
  const rotated = [
    [0, -2, 0, 0],
    [2, 0, 0, 0],
    [0, 0, 3, 0],
  ];
  close(voxelVolumeOfAffine(rotated), 12, 'a voxel turned by 90°: 2 * 2 * 3 mm³');
  assert.deepEqual(regionMeasure([4, 3, 2], [2, 2, 5], undefined), { unit: 'mL', perVoxel: 0.02 }, 'no affine: the voxel sizes, 20 mm³');
  assert.deepEqual(regionMeasure([4, 3, 1], [0.5, 0.25, 1], [[0.5], [0.25], [1]]), { unit: 'mm²', perVoxel: 0.125 });
  assert.deepEqual(regionMeasure([4, 3, 1], [1, 1, 1], undefined), { unit: 'px', perVoxel: 1 }, 'a PNG has no pixel size');
});

test('ruler length in mm: |A (to - from)| with anisotropic voxels, an oblique affine, or the voxel sizes', () => {
  const thick = [
    [0.5, 0, 0, 0],
    [0, 0.5, 0, 0],
    [0, 0, 3, 0],
  ];
  // A coronal line 4 voxels across and 2 up: (4 * 0.5, 0, 2 * 3) mm = (2, 0, 6) mm, √40 mm (not √20 voxels).
  close(rulerLength([1, 4, 2], [5, 4, 4], [1, 1, 1], thick), Math.sqrt(40), 'anisotropic');
  assert.equal(rulerText(Math.sqrt(40), 'mm'), '6.3 mm');
  const turned = [
    [0, -2, 0, 7],
    [2, 0, 0, 8],
    [0, 0, 2, 9],
  ];
  // (3, 4, 0) voxels turned by 90° with 2 mm voxels: (-8, 6, 0) mm, 10 mm; the translation does not count.
  close(rulerLength([0, 0, 0], [3, 4, 0], [1, 1, 1], turned), 10, 'oblique');
  close(rulerLength([0.5, 0, 1], [3.5, 4, 1], [0.5, 0.5, 3], undefined), Math.hypot(1.5, 2), 'voxel sizes without an affine');
  const ruler = { view: 'coronal' as const, slice: 4, from: [1, 4, 2] as [number, number, number], to: [5, 4, 4] as [number, number, number] };
  assert.ok(rulerShownIn(ruler, 'coronal', 4));
  assert.equal(lengthUnit(10, undefined), 'mm', 'a volume has voxel sizes');
  assert.equal(lengthUnit(1, thick), 'mm', 'a 2D NIfTI has a header');
  assert.equal(lengthUnit(1, undefined), 'px', 'a PNG has no pixel size');
  assert.equal(rulerText(12, 'px'), '12.0 px');
  assert.ok(!rulerShownIn(ruler, 'coronal', 5) && !rulerShownIn(ruler, 'axial', 4), 'drawn in its own slice only');
});

test('a pane position as a continuous slice point: pixel centres at whole numbers, rows flipped for volumes, kept on the image', () => {
  const placement = { left: 10, top: 20, width: 40, height: 30 };
  const voxels = { width: 4, height: 3 };
  // Pixel (1, 0) of a volume is drawn in the bottom row: its centre at x = 10 + 1.5 * 10, y = 20 + 2.5 * 10.
  assert.deepEqual(screenToSlicePoint(placement, voxels, true, 25, 45), { col: 1, row: 0 });
  assert.deepEqual(screenToSlicePoint(placement, voxels, false, 30, 20), { col: 1.5, row: -0.5 }, 'the top edge between two pixels');
  assert.deepEqual(screenToSlicePoint(placement, voxels, false, 0, 1000), { col: -0.5, row: 2.5 }, 'off the image: kept at its edges');
  const point = { col: 2.25, row: 0.75 };
  const screen = pixelToScreen(placement, voxels, true, point);
  const back = screenToSlicePoint(placement, voxels, true, screen.x, screen.y);
  close(back.col, point.col, 'col round trip');
  close(back.row, point.row, 'row round trip');
});
