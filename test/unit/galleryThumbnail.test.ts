// Gallery thumbnails: the worker's small picture of a scored scan (models/worker/thumbnail.ts) and
// the webview's blending of its residual map over the image (webview/gallery/thumbnailImage.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { indexOfMax, thumbnailOf } from '../../models/worker/thumbnail';
import { renderThumbnail, sharedMapWindow } from '../../webview/gallery/thumbnailImage';

const grid = (dims: [number, number, number], values: number[]): Grid => ({ dims, data: Float32Array.from(values) });

test('a 2D image is fitted into the square by bilinear averaging, its residual map alike', () => {
  // 4 x 2 into a side of 2: 2 x 1, each output pixel the mean of a 2 x 2 block (half-pixel centres).
  const image = grid([4, 2, 1], [0, 1, 2, 3, 4, 5, 6, 7]);
  const residual = grid([4, 2, 1], [1, 1, 0, 0, 1, 1, 0, 0]);
  const thumbnail = thumbnailOf({ image, maps: { residual }, sliceScores: [0.3] }, 2);
  assert.deepEqual(thumbnail.image.dims, [2, 1, 1]);
  assert.deepEqual([...thumbnail.image.data], [2.5, 4.5]);
  assert.deepEqual([...thumbnail.map.data], [1, 0]);
  assert.equal(thumbnail.slice, 0);
});

test('a volume shows its most anomalous slice, rows flipped as the viewer shows volumes', () => {
  const values = Array.from({ length: 12 }, (_, i) => i); // 2 x 2 x 3: slice 1 holds 4, 5 / 6, 7
  const thumbnail = thumbnailOf({ image: grid([2, 2, 3], values), maps: { residual: grid([2, 2, 3], values) }, sliceScores: [0.1, 0.5, 0.2] }, 2);
  assert.equal(thumbnail.slice, 1);
  assert.deepEqual(thumbnail.image.dims, [2, 2, 1]);
  assert.deepEqual([...thumbnail.image.data], [6, 7, 4, 5]);
  assert.deepEqual([...thumbnail.map.data], [6, 7, 4, 5]);
});

test('indexOfMax takes the first of equal maxima; a bad size is refused', () => {
  assert.equal(indexOfMax([0.2, 0.7, 0.7, 0.1]), 1);
  assert.equal(indexOfMax([]), 0);
  const scan = { image: grid([1, 1, 1], [0]), maps: { residual: grid([1, 1, 1], [0]) }, sliceScores: [0] };
  assert.throws(() => thumbnailOf(scan, 0), /positive whole number/);
});

test('the residual is blended over the gray image with the hot colormap at the given opacity', () => {
  // Pixel 0: map 0 (below the floor) leaves black. Pixel 1: gray 128 under white at alpha 0.5 * 1:
  // 128 (127/255) + 255 (128/255) = 191.75. Pixel 2: map 0.5 = hot (255, 86, 0) at alpha 0.5 * 0.5 (64):
  // 128 (191/255) + (255, 86, 0) (64/255) = (159.9, 117.5, 95.9).
  const thumbnail = { image: grid([3, 1, 1], [0, 0.5, 0.5]), map: grid([3, 1, 1], [0, 1, 0.5]), slice: 0 };
  const drawn = renderThumbnail(thumbnail, { low: 0, high: 1 }, 0.5);
  assert.deepEqual([...drawn.pixels], [0, 0, 0, 255, 192, 192, 192, 255, 160, 117, 96, 255]);
  assert.equal(drawn.imagePixels, 2);
  assert.equal(drawn.overlayPixels, 2);
});

test('one colour window for the whole gallery: median to 99th percentile of all nonzero map values', () => {
  const t = (values: number[]) => ({ image: grid([values.length, 1, 1], values), map: grid([values.length, 1, 1], values), slice: 0 });
  // Nonzero values together: 1, 2, 3, 4, 5 -> median 3 (nearest rank), 99th percentile 5.
  assert.deepEqual(sharedMapWindow([t([0, 1, 2]), t([3, 4, 5, 0])]), { low: 3, high: 5 });
});
