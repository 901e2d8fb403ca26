// What the extension host holds (and posts to the scan viewer) for a scored 256x256x256 float32 volume
// with every map: the 8 maps and the mean restoration quantized to 2 bytes a voxel, in buffers of their
// own. Not timed; bench/memory.bench.ts measures the same path through real v8 (IPC) serialization.

import assert from 'node:assert/strict';
import { POST_PROCESSING_OFF } from '../../models/scoring/postProcessing';
import { test } from 'node:test';
import { heldBufferBytes, overlaysMessage } from '../../extension/scanEditor/overlaysMessage';
import { ALL_MAP_NAMES, type Grid, type ScanScore } from '../../models/worker/protocol';
import { isQuantized } from '../../webview/viewerGrid';

const SIDE = 256;
const VOXELS = SIDE ** 3;
const MIB = 2 ** 20;

/**
 * A scored 256^3 volume with every map (VQ-VAE and prior) and the mean restoration, as the host can
 * receive it: Node's 'advanced' IPC deserializes typed arrays as views into the one message buffer.
 */
function receivedScore(): ScanScore {
  const grids = 10; // the scan, 8 maps, the mean restoration
  const message = new Float32Array(grids * VOXELS);
  const ramp = Float32Array.from({ length: VOXELS }, (_, i) => (i % 1009) / 1009);
  const views = Array.from({ length: grids }, (_, k): Grid => {
    message.set(ramp, k * VOXELS);
    return { dims: [SIDE, SIDE, SIDE], data: message.subarray(k * VOXELS, (k + 1) * VOXELS) };
  });
  const maps = Object.fromEntries(ALL_MAP_NAMES.map((name, k) => [name, views[k + 1]])) as ScanScore['maps'];
  return {
    file: 'brain.nii.gz',
    image: views[0],
    maps,
    sliceScores: new Array(SIDE).fill(0.5),
    score: 0.5,
    fit: { modality: 'volume', size: [1, 1], foregroundFraction: 1, reconstructionL1: 0 },
    postProcessing: POST_PROCESSING_OFF,
    restorations: { mean: views[9], samples: [] },
  };
}

test('the overlays message of a 256^3 volume with 8 maps holds at most 9 x 256^3 x 2 bytes (not the worker result)', async () => {
  const received = receivedScore();
  // Before: the message held the received maps, and with them the whole IPC buffer (10 float32 volumes).
  const { maps, sliceScores, score, restorations } = received;
  assert.equal(heldBufferBytes({ type: 'overlays', maps, sliceScores, score, model: 'model', restorations }), 10 * VOXELS * 4);
  const message = await overlaysMessage(received, 'model');
  const grids = [...ALL_MAP_NAMES.map((name) => message.maps[name]), message.restorations?.mean];
  assert.equal(grids.length, 9);
  for (const grid of grids) assert.ok(grid && isQuantized(grid) && grid.codes.length === VOXELS);
  // The bound: 8 maps + the mean restoration at 2 bytes a voxel (the scan itself is kept by the scan message).
  const bound = 9 * VOXELS * 2;
  const held = heldBufferBytes(message);
  assert.ok(held <= bound, `the overlays message holds ${(held / MIB).toFixed(0)} MiB, more than ${(bound / MIB).toFixed(0)} MiB`);
  // Values survive to a quantization step: voxel 12345 of the residual map.
  const residual = message.maps.residual;
  assert.ok(isQuantized(residual));
  const step = (residual.max - residual.min) / 65534;
  assert.ok(Math.abs(residual.min + residual.codes[12345] * step - received.maps.residual.data[12345]) <= step / 2 + 1e-6);
});
