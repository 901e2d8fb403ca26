// The gallery's order and score filter (webview/gallery/galleryFilter.ts) and the validation of the
// gallery webview's messages (webview/gallery/galleryProtocol.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mostAnomalousFirst, passesFilter, scoreAtSlider, scoreRange, sliderAtScore, SLIDER_STEPS, visibleCount } from '../../webview/gallery/galleryFilter';
import { parseGalleryMessage } from '../../webview/gallery/galleryProtocol';

test('entries are shown volumes first, then images, each most anomalous first, equal scores in their given order', () => {
  const entries = [
    { name: 'a', kind: 'image', score: 0.1 },
    { name: 'b', kind: 'image', score: 0.3 },
    { name: 'c', kind: 'image', score: 0.1 },
    { name: 'v', kind: 'volume', score: 0.05 },
    { name: 'd', kind: 'image', score: 0.2 },
  ] as const;
  assert.deepEqual(
    mostAnomalousFirst(entries).map((e) => e.name),
    ['v', 'b', 'd', 'a', 'c'],
  );
  assert.deepEqual(
    entries.map((e) => e.name),
    ['a', 'b', 'c', 'v', 'd'],
    'the input is left as it was',
  );
});

test('the filter shows the scores at or above its value', () => {
  const scores = [0.4, 0.3, 0.2, 0.1];
  assert.equal(passesFilter(0.2, 0.2), true);
  assert.equal(passesFilter(0.19, 0.2), false);
  assert.equal(visibleCount(scores, 0.25), 2);
  assert.equal(visibleCount(scores, 0.1), 4);
  assert.equal(visibleCount(scores, 0.5), 0);
});

test('the slider spans the lowest to the highest score in SLIDER_STEPS steps', () => {
  const scores = [0.5, 0.1, 0.3];
  assert.deepEqual(scoreRange(scores), { low: 0.1, high: 0.5 });
  assert.equal(scoreAtSlider(scores, 0), 0.1);
  assert.equal(scoreAtSlider(scores, SLIDER_STEPS), 0.5);
  assert.ok(Math.abs(scoreAtSlider(scores, SLIDER_STEPS / 2) - 0.3) < 1e-12);
  assert.equal(sliderAtScore(scores, 0.3), SLIDER_STEPS / 2);
  assert.equal(sliderAtScore(scores, 0.9), SLIDER_STEPS, 'clamped to the slider');
  assert.equal(sliderAtScore(scores, -1), 0);
  assert.equal(sliderAtScore([0.2, 0.2], 0.2), 0, 'one score: the slider stays at its start');
  assert.deepEqual(scoreRange([]), { low: 0, high: 0 });
});

const report = { names: ['a.png', 'b.png'], scores: [0.3, 0.1], minScore: 0.2, visible: 1, thumbnailPixels: [96, 90], overlayPixels: [12, 0] };

test('valid gallery messages pass validation unchanged (extra fields dropped)', () => {
  assert.deepEqual(parseGalleryMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseGalleryMessage({ type: 'open', index: 1, path: '/etc/passwd' }), { type: 'open', index: 1 });
  assert.deepEqual(parseGalleryMessage({ type: 'rendered', report: { ...report, extra: 1 } }), { type: 'rendered', report });
});

test('invalid gallery messages are refused', () => {
  for (const bad of [
    null,
    'ready',
    { type: 'openFile', file: '/etc/passwd' },
    { type: 'open', index: -1 },
    { type: 'open', index: 0.5 },
    { type: 'open', index: '0' },
    { type: 'rendered' },
    { type: 'rendered', report: { ...report, scores: [0.3] } },
    { type: 'rendered', report: { ...report, visible: 3 } },
    { type: 'rendered', report: { ...report, minScore: Number.NaN } },
    { type: 'rendered', report: { ...report, thumbnailPixels: [96, -1] } },
    { type: 'rendered', report: { ...report, names: ['a.png', 2] } },
  ]) {
    assert.equal(parseGalleryMessage(bad), undefined, JSON.stringify(bad));
  }
});
