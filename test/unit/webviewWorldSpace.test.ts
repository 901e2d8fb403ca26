// World coordinates in the viewer: positions in mm, voxel size and orientation labels from the affine.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readoutText } from '../../webview/readout';
import { loadScan } from '../../webview/scene';
import { axisDirection, spacingOfAffine, viewOrientation, worldOf } from '../../webview/worldSpace';

/** RAS, 2 mm voxels, origin at (-90, -126, -72): a typical MNI-like sform. */
const RAS = [
  [2, 0, 0, -90],
  [0, 2, 0, -126],
  [0, 0, 2, -72],
  [0, 0, 0, 1],
];

test('world position of a voxel centre: affine times (i, j, k, 1)', () => {
  assert.deepEqual(worldOf(RAS, [45, 63, 36]), [0, 0, 0]);
  assert.deepEqual(worldOf(RAS, [0, 0, 1]), [-90, -126, -70]);
});

test('orientation labels: each pane edge gets the patient direction its grid axis points to', () => {
  assert.deepEqual(viewOrientation(RAS, 'axial'), { left: 'L', right: 'R', top: 'A', bottom: 'P' });
  assert.deepEqual(viewOrientation(RAS, 'coronal'), { left: 'L', right: 'R', top: 'S', bottom: 'I' });
  assert.deepEqual(viewOrientation(RAS, 'sagittal'), { left: 'P', right: 'A', top: 'S', bottom: 'I' });
  // LPS-like x axis (decreasing x world), and an oblique axis that runs mostly inferior.
  assert.deepEqual(
    axisDirection(
      [
        [-1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
      0,
    ),
    { increasing: 'L', decreasing: 'R' },
  );
  assert.deepEqual(
    axisDirection(
      [
        [1, 0, 0.2, 0],
        [0, 1, 0.3, 0],
        [0, 0, -0.9, 0],
      ],
      2,
    ),
    { increasing: 'I', decreasing: 'S' },
  );
});

test('the voxel shape comes from the affine where pixdim disagrees (pixdim 1/3/3, sform 3/3/3)', () => {
  const sform = [
    [3, 0, 0, 0],
    [0, 3, 0, 0],
    [0, 0, 3, 0],
    [0, 0, 0, 1],
  ];
  assert.deepEqual(spacingOfAffine(sform), [3, 3, 3]);
  const image = { dims: [2, 2, 2] as [number, number, number], data: new Float32Array(8) };
  assert.deepEqual(loadScan({ type: 'scan', name: 'a.nii', image, spacing: [1, 3, 3], affine: sform }).spacing, [3, 3, 3]);
  assert.deepEqual(loadScan({ type: 'scan', name: 'a.png', image, spacing: [1, 3, 3] }).spacing, [1, 3, 3], 'no affine: the message spacing');
});

test('the read-out gives the position in mm beside the voxel indices', () => {
  const grid = { dims: [1, 1, 1] as [number, number, number], data: Float32Array.from([7]) };
  assert.equal(readoutText([0, 0, 0], [{ label: 'intensity', grid }], [12, -4.5, 30]), 'x 0 y 0 z 0 (12.0, -4.5, 30.0 mm) · intensity 7');
  assert.equal(readoutText([0, 0, 0], [{ label: 'intensity', grid }]), 'x 0 y 0 z 0 · intensity 7');
});
