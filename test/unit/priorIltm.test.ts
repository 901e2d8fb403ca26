// ILTM (methods.md §7): the threshold schedule, the token masks from a KDE map, the stop rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iltmConverged, iltmThreshold, latentKeepMask } from '../../models/prior/iltm';

test('the resampling threshold is lowered by 12.5 % per iteration', () => {
  assert.equal(iltmThreshold(0.005, 1), 0.005);
  assert.ok(Math.abs(iltmThreshold(0.005, 3) - 0.005 * 0.875 * 0.875) < 1e-15);
});

test('a latent cell is masked when any pixel it covers has likelihood below 0.005', () => {
  // 4x4 pixels onto a 2x2 grid; -log 0.005 = 5.298: one pixel above it in the top-right cell, one just below in the bottom-left.
  const kde = new Float32Array(16);
  kde[0 * 4 + 3] = 5.4;
  kde[3 * 4 + 0] = 5.2;
  assert.deepEqual(Array.from(latentKeepMask(kde, 4, 2)), [1, 0, 1, 1]);
  assert.throws(() => latentKeepMask(kde, 4, 3), /does not cover a 3x3 grid/);
});

test('the loop stops when the masked count changes by less than 1 %', () => {
  assert.equal(iltmConverged(1000, 1009), true);
  assert.equal(iltmConverged(1000, 1010), false);
  assert.equal(iltmConverged(1000, 985), false);
  assert.equal(iltmConverged(0, 0), true);
  assert.equal(iltmConverged(0, 1), false);
});
