// Augmentation of training images: the flip is an exact mirror, the same seed repeats the same
// augmentations, values stay in [0, 1], and switched-off settings change nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { augmentImage } from '../../models/vqvae/augment';
import { AUGMENT_LSR, AUGMENT_OFF } from '../../models/vqvae/config';
import { SeededRandom } from '../../models/vqvae/seededRandom';

const SIZE = 8;
/** A ramp with a bright corner: no symmetry, so a mirror is visible. */
const IMAGE = Float32Array.from({ length: SIZE * SIZE }, (_, i) => ((i % SIZE) + 2 * Math.floor(i / SIZE)) / (3 * SIZE) + (i === 0 ? 0.5 : 0));

/** A random generator whose first draw is below 1/2 (so that a flip with probability 1/2 happens). */
function flippingRandom(): SeededRandom {
  for (let seed = 1; ; seed++) {
    if (new SeededRandom(seed, 'test').next() < 0.5) return new SeededRandom(seed, 'test');
  }
}

test('the flip is an exact left-right mirror', () => {
  const flipped = augmentImage(IMAGE, SIZE, { ...AUGMENT_OFF, flip: true }, flippingRandom());
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) assert.equal(flipped[y * SIZE + x], IMAGE[y * SIZE + (SIZE - 1 - x)], `(${x}, ${y})`);
  }
});

test('with everything off the image comes back unchanged and no random number is drawn', () => {
  const random = new SeededRandom(3, 'test');
  const stateBefore = random.state;
  assert.deepEqual(augmentImage(IMAGE, SIZE, AUGMENT_OFF, random), IMAGE);
  assert.equal(random.state, stateBefore);
});

test('the same seed gives the same augmentations, another seed others; values stay in [0, 1]', () => {
  const strong = { ...AUGMENT_LSR, brightness: 0.5, noise: 0.2 };
  const run = (seed: number): Float32Array[] => {
    const random = new SeededRandom(seed, 'augment');
    return [0, 1, 2].map(() => augmentImage(IMAGE, SIZE, strong, random));
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  for (const image of [...run(5), ...run(6)])
    assert.ok(
      image.every((v) => v >= 0 && v <= 1),
      'in [0, 1]',
    );
});

test('brightness shifts and contrast stretches around the mean by the drawn amounts', () => {
  const flat = new Float32Array(SIZE * SIZE).fill(0.5);
  // One draw u gives the shift (2u - 1) * 0.2; contrast leaves a flat image flat.
  const random = new SeededRandom(9, 'test');
  const u = new SeededRandom(9, 'test').next();
  const shifted = augmentImage(flat, SIZE, { ...AUGMENT_OFF, brightness: 0.2 }, random);
  assert.ok(shifted.every((v) => Math.abs(v - (0.5 + (2 * u - 1) * 0.2)) < 1e-6));
  const stretched = augmentImage(flat, SIZE, { ...AUGMENT_OFF, contrast: 0.5 }, new SeededRandom(9, 'test'));
  assert.ok(stretched.every((v) => Math.abs(v - 0.5) < 1e-6));
});
