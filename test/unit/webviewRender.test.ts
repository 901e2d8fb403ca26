// The viewer's drawing maths: colour tables, display windows, slice extraction, y orientation, the
// overlay's alpha and floor, blending, and the pixel counts reported to the host.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { GRAY, HOT, lutIndex } from '../../webview/colormap';
import { blendOnto, overlayWindow, renderSlice, robustWindow, windowed } from '../../webview/render';

function grid(dims: [number, number, number], values: number[]): Grid {
  return { dims, data: Float32Array.from(values) };
}

/** RGBA of pixel i of a buffer. */
function rgba(pixels: Uint8ClampedArray, i: number): number[] {
  return Array.from(pixels.subarray(i * 4, i * 4 + 4));
}

test('gray maps entry i to (i, i, i, 255); lutIndex rounds v * 255 and clamps', () => {
  assert.deepEqual(rgba(GRAY, 0), [0, 0, 0, 255]);
  assert.deepEqual(rgba(GRAY, 64), [64, 64, 64, 255]);
  assert.deepEqual(rgba(GRAY, 255), [255, 255, 255, 255]);
  assert.equal(lutIndex(0.25), 64); // 63.75
  assert.equal(lutIndex(-1), 0);
  assert.equal(lutIndex(2), 255);
});

test('hot goes black -> red (3/8) -> yellow (3/4) -> white', () => {
  assert.deepEqual(rgba(HOT, 0), [0, 0, 0, 255]);
  // Entry 48: v = 48/255 = 0.1882, red = v / (3/8) * 255 = 128.
  assert.deepEqual(rgba(HOT, 48), [128, 0, 0, 255]);
  // Entry 128: v = 0.50196, green = (v - 3/8) / (3/8) * 255 = 86.3.
  assert.deepEqual(rgba(HOT, 128), [255, 86, 0, 255]);
  // Entry 191: v = 0.74902, just under 3/4: green = (v - 3/8) / (3/8) * 255 = 254.3, blue not started.
  assert.deepEqual(rgba(HOT, 191), [255, 254, 0, 255]);
  // Entry 223: v = 0.87451, blue = (v - 3/4) / (1/4) * 255 = 127.0.
  assert.deepEqual(rgba(HOT, 223), [255, 255, 127, 255]);
  assert.deepEqual(rgba(HOT, 255), [255, 255, 255, 255]);
});

test('robust window: nearest-rank 1st and 99th percentiles of the nonzero values', () => {
  // 1..100 with a zero background: ranks round(0.01 * 99) = 1 and round(0.99 * 99) = 98 -> values 2 and 99.
  const values = new Float32Array(300);
  for (let i = 0; i < 100; i++) values[i * 3] = i + 1;
  assert.deepEqual(robustWindow(values), { low: 2, high: 99 });
  // NaN is ignored; all-zero data has an empty window; a constant image is widened down to 0.
  assert.deepEqual(robustWindow(Float32Array.from([NaN, 3, 3, 3])), { low: 0, high: 3 });
  assert.deepEqual(robustWindow(new Float32Array(4)), { low: 0, high: 0 });
});

test('windowed: (x - low) / (high - low) clamped; an empty window shows only x > low', () => {
  const window = { low: 10, high: 20 };
  assert.equal(windowed(15, window), 0.5);
  assert.equal(windowed(5, window), 0);
  assert.equal(windowed(25, window), 1);
  assert.equal(windowed(NaN, window), 0);
  assert.equal(windowed(0, { low: 0, high: 0 }), 0);
  assert.equal(windowed(1, { low: 0, high: 0 }), 1);
});

test('a 2x2 image is drawn in gray through its window, row 0 at the top, and non-black pixels counted', () => {
  // Window [0, 4]: 0, 1, 2, 4 -> v = 0, 0.25, 0.5, 1 -> entries 0, 64, 128, 255.
  const image = grid([2, 2, 1], [0, 1, 2, 4]);
  const drawn = renderSlice({ base: image, baseWindow: { low: 0, high: 4 }, view: 'axial', slice: 0 });
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => rgba(drawn.pixels, i)),
    [
      [0, 0, 0, 255],
      [64, 64, 64, 255],
      [128, 128, 128, 255],
      [255, 255, 255, 255],
    ],
  );
  assert.equal(drawn.imagePixels, 3);
  assert.equal(drawn.overlayPixels, 0);
});

test('volumes are drawn with y flipped: grid row 0 becomes the bottom row', () => {
  // Slice 1 of a 2x2x2 volume: row y=0 holds 4, row y=1 holds 0.
  const volume = grid([2, 2, 2], [0, 0, 0, 0, 4, 4, 0, 0]);
  const drawn = renderSlice({ base: volume, baseWindow: { low: 0, high: 4 }, view: 'axial', slice: 1 });
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => rgba(drawn.pixels, i)[0]),
    [0, 0, 255, 255],
  );
  assert.equal(drawn.imagePixels, 2);
});

test('overlay: alpha = opacity * v above the 5 % floor, only those pixels counted, hot blended over gray', () => {
  const image = grid([2, 2, 1], [0, 1, 2, 4]);
  // v = 0, 0.04 (under the floor), 0.5, 1 with the window [0, 1]; opacity 0.5 -> alpha 0, 0, 64 (63.75), 128 (127.5).
  const map = grid([2, 2, 1], [0, 0.04, 0.5, 1]);
  const drawn = renderSlice({
    base: image,
    baseWindow: { low: 0, high: 4 },
    view: 'axial',
    slice: 0,
    overlay: { map, window: { low: 0, high: 1 }, colormap: HOT, opacity: 0.5 },
  });
  assert.equal(drawn.overlayPixels, 2);
  assert.equal(drawn.imagePixels, 3);
  // Pixels under the floor keep their gray.
  assert.deepEqual(rgba(drawn.pixels, 1), [64, 64, 64, 255]);
  // Pixel 2: gray 128 under hot(0.5) = (255, 86, 0) at a = 64/255: 128 * (1 - a) + c * a = 159.9, 117.5, 95.9.
  assert.deepEqual(rgba(drawn.pixels, 2), [160, 117, 96, 255]);
  // Pixel 3: white under white stays white.
  assert.deepEqual(rgba(drawn.pixels, 3), [255, 255, 255, 255]);
});

test('overlay values are windowed and clamped: median transparent, the 99th percentile at full colour', () => {
  const image = grid([3, 1, 1], [1, 1, 1]);
  const map = grid([3, 1, 1], [1, 4, 8]);
  const drawn = renderSlice({
    base: image,
    baseWindow: { low: 0, high: 1 },
    view: 'axial',
    slice: 0,
    overlay: { map, window: { low: 2, high: 6 }, colormap: HOT, opacity: 1 },
  });
  // v = (1-2)/4 -> 0 (not drawn); (4-2)/4 = 0.5 -> hot entry 128 at alpha 128; (8-2)/4 clamps to 1 -> opaque white.
  assert.deepEqual(rgba(drawn.pixels, 0), [255, 255, 255, 255]);
  assert.deepEqual(rgba(drawn.pixels, 2), [255, 255, 255, 255]);
  assert.equal(drawn.overlayPixels, 2);
  // 100 nonzero values 1..100 (and zeros, ignored): ranks round(0.5 * 99) = 50 -> 51 and round(0.99 * 99) = 98 -> 99.
  assert.deepEqual(overlayWindow(grid([102, 1, 1], [0, 0, ...Array.from({ length: 100 }, (_, i) => i + 1)])), { low: 51, high: 99 });
});

test('an all-zero map draws no overlay pixel', () => {
  const image = grid([2, 1, 1], [1, 1]);
  const map = grid([2, 1, 1], [0, 0]);
  const drawn = renderSlice({
    base: image,
    baseWindow: { low: 0, high: 1 },
    view: 'axial',
    slice: 0,
    overlay: { map, window: overlayWindow(map), colormap: HOT, opacity: 1 },
  });
  assert.equal(drawn.overlayPixels, 0);
  assert.deepEqual(rgba(drawn.pixels, 0), [255, 255, 255, 255]);
});

test('blendOnto leaves pixels under a transparent layer unchanged and replaces them under an opaque one', () => {
  const base = Uint8ClampedArray.from([10, 20, 30, 255, 10, 20, 30, 255]);
  blendOnto(base, Uint8ClampedArray.from([200, 200, 200, 0, 200, 100, 0, 255]));
  assert.deepEqual(Array.from(base), [10, 20, 30, 255, 200, 100, 0, 255]);
});
