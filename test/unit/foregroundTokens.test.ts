import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foregroundTokenMask, valuesAtTokens } from '../../models/prior/foregroundTokens';

test('a token is foreground when any pixel of its cell is above 0.05', () => {
  // 4x4 slice, 2x2 tokens of 2x2 pixels: one bright pixel in the top-right cell, one at 0.04 (below) in the bottom-left.
  const slice = new Float32Array(16);
  slice[1 * 4 + 3] = 0.9;
  slice[3 * 4 + 0] = 0.04;
  slice[2 * 4 + 2] = 0.06;
  assert.deepEqual([...foregroundTokenMask(slice, 4, 2)], [0, 1, 0, 1]);
  assert.throws(() => foregroundTokenMask(slice, 4, 3), /does not cover a 3x3 grid/);
});

test('the calibration values are the NLLs at foreground tokens, or all of them where no token is foreground', () => {
  const maps = [Float32Array.from([0.1, 5, 0.2, 7]), Float32Array.from([0.3, 0.4, 6, 0.5])];
  const masks = [Uint8Array.from([0, 1, 0, 1]), Uint8Array.from([0, 0, 1, 0])];
  assert.deepEqual(valuesAtTokens(maps, masks), { values: Float32Array.from([5, 7, 6]), foregroundOnly: true });
  const none = [new Uint8Array(4), new Uint8Array(4)];
  assert.deepEqual(valuesAtTokens(maps, none), { values: Float32Array.from([0.1, 5, 0.2, 7, 0.3, 0.4, 6, 0.5]), foregroundOnly: false });
});
