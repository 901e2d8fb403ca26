// The viewer with the prior's maps: offered and drawn only when the scan has them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_NAMES, type Grid } from '../../models/worker/protocol';
import { loadOverlays, loadScan, sliceRequestFor } from '../../webview/scene';
import { DEFAULT_STATE, parseViewerState } from '../../webview/viewerState';
import { overlayChoices } from '../../webview/viewerDom';
import { METHODS, methodTooltip } from '../../models/scoring/methods';

const ramp = (dims: [number, number, number]): Grid => ({ dims, data: Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => i) });
const VQVAE_MAPS = Object.fromEntries(MAP_NAMES.map((name) => [name, ramp([2, 2, 1])])) as Record<(typeof MAP_NAMES)[number], Grid>;
const scan = loadScan({ type: 'scan', name: 'a.png', image: ramp([2, 2, 1]), spacing: [1, 1, 1] });
const message = (maps: object) => ({ type: 'overlays' as const, maps: { ...VQVAE_MAPS, ...maps }, score: 1, sliceScores: [1], model: 'm' });

test('without a prior the overlay choices are the VQ-VAE maps; with one, its maps come after them', () => {
  const plain = loadOverlays(message({}), scan);
  assert.deepEqual(plain.present, [...MAP_NAMES]);
  assert.deepEqual(
    overlayChoices(plain.present).map((c) => c.value),
    ['residual', 'alignment', 'ssim', 'ssimAlignment', 'reconstruction'],
  );

  const withPrior = loadOverlays(message({ nll: ramp([2, 2, 1]), restoration: ramp([2, 2, 1]) }), scan);
  assert.deepEqual(
    overlayChoices(withPrior.present).map((c) => c.value),
    ['residual', 'alignment', 'ssim', 'ssimAlignment', 'nll', 'restoration', 'reconstruction'],
  );
  assert.deepEqual(overlayChoices(withPrior.present).find((c) => c.value === 'nll')?.label, 'Prior NLL');
  // Each method is named with its one-line explanation and, where it lost to a baseline, that too (the option's tooltip).
  for (const choice of overlayChoices(withPrior.present)) assert.equal(choice.title, methodTooltip(choice.value));
  assert.ok(overlayChoices(withPrior.present).every((c) => (c.title ?? '').startsWith(METHODS[c.value].explanation)));
});

test('a prior map is drawn when present; a saved choice of one the scan lacks draws no overlay', () => {
  const state = { ...DEFAULT_STATE, overlay: 'nll' as const };
  const withPrior = loadOverlays(message({ nll: ramp([2, 2, 1]) }), scan);
  const drawn = sliceRequestFor(scan, withPrior, state);
  assert.equal(drawn.shown, 'nll');
  assert.equal(drawn.request.overlay?.map, withPrior.maps.nll);
  assert.equal(sliceRequestFor(scan, loadOverlays(message({}), scan), state).shown, 'none');
  assert.equal(parseViewerState(state)?.overlay, 'nll', 'a saved state may name a prior map');
});

test('a prior map in another grid than the scan is refused', () => {
  assert.throws(() => loadOverlays(message({ kde: ramp([2, 1, 1]) }), scan), /kde map of a.png is 2x1x1 but the scan is 2x2x1/);
});
