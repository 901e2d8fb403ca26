// Browsing the restorations in the viewer (the choice among reconstruction, mean restoration and
// restoration j; what each pane draws and reports) and the webview messages that came with it: the
// render report's base image and the 4D volume choice.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grid } from '../../models/worker/protocol';
import { isBaseImageName, parseWebviewMessage } from '../../webview/protocol';
import { RENDER_REPORT } from './renderReportFixture';
import {
  isRestorationChoice,
  offeredChoice,
  restorationChoices,
  restorationImageName,
  restorationLabel,
  stepRestorationChoice,
} from '../../webview/restorationChoice';
import { loadOverlays, loadScan, modelImage, sliceRequestFor } from '../../webview/scene';
import { DEFAULT_STATE, parseViewerState, type ViewerState } from '../../webview/viewerState';

const filled = (dims: [number, number, number], value: number): Grid => ({ dims, data: new Float32Array(dims[0] * dims[1] * dims[2]).fill(value) });
const DIMS: [number, number, number] = [2, 2, 1];
const scan = loadScan({ type: 'scan', name: 'x.png', image: filled(DIMS, 0), spacing: [1, 1, 1] });
const maps = { reconstruction: filled(DIMS, 1), residual: filled(DIMS, 2), alignment: filled(DIMS, 0), ssim: filled(DIMS, 0), ssimAlignment: filled(DIMS, 0) };
const restorations = { mean: filled(DIMS, 10), samples: [filled(DIMS, 11), filled(DIMS, 12), filled(DIMS, 13)] };
const overlaysMessage = { type: 'overlays' as const, maps, score: 0.5, sliceScores: [0.5], model: 'm', restorations };

test('the choices: the reconstruction alone without restorations; else also the mean and each sample, stepped with wrap-around', () => {
  assert.deepEqual(restorationChoices(undefined), ['reconstruction']);
  const choices = restorationChoices(3);
  assert.deepEqual(choices, ['reconstruction', 'mean', 0, 1, 2]);
  assert.equal(stepRestorationChoice(choices, 'reconstruction', 1), 'mean');
  assert.equal(stepRestorationChoice(choices, 'mean', 1), 0);
  assert.equal(stepRestorationChoice(choices, 2, 1), 'reconstruction', 'after the last sample, back to the reconstruction');
  assert.equal(stepRestorationChoice(choices, 'reconstruction', -1), 2, 'before the reconstruction, the last sample');
  assert.equal(stepRestorationChoice(choices, 7, 1), 'reconstruction', 'from a choice not offered');
  assert.equal(stepRestorationChoice(restorationChoices(undefined), 'reconstruction', 1), 'reconstruction');
  assert.equal(offeredChoice(choices, 1), 1);
  assert.equal(offeredChoice(choices, 3), 'reconstruction');
  assert.equal(offeredChoice(restorationChoices(undefined), 'mean'), 'reconstruction');
});

test('names and labels: reports count samples from 0, the label from 1', () => {
  assert.deepEqual(
    ['reconstruction', 'mean', 3].map((c) => restorationImageName(c as 'mean')),
    ['reconstruction', 'restoration-mean', 'restoration-3'],
  );
  assert.equal(restorationLabel('reconstruction', 3), 'Reconstruction');
  assert.equal(restorationLabel('mean', 3), 'Mean restoration');
  assert.equal(restorationLabel(2, 3), 'Restoration 3 / 3');
  assert.deepEqual(['reconstruction', 'mean', 0, 4].map(isRestorationChoice), [true, true, true, true]);
  assert.deepEqual(['restoration', -1, 1.5, null].map(isRestorationChoice), [false, false, false, false]);
});

test('the chosen restoration is drawn in gray in place of the scan, or beside it, and reported as the base', () => {
  const overlays = loadOverlays(overlaysMessage, scan);
  const state: ViewerState = { ...DEFAULT_STATE, overlay: 'reconstruction', restoration: 1 };
  const inPlace = sliceRequestFor(scan, overlays, state);
  assert.equal(inPlace.request.base, restorations.samples[1]);
  assert.equal(inPlace.request.baseWindow, overlays.reconstructionWindow, 'the reconstruction window, so that they compare');
  assert.deepEqual([inPlace.shown, inPlace.base], ['reconstruction', 'restoration-1']);

  const mean = sliceRequestFor(scan, overlays, { ...state, restoration: 'mean' });
  assert.deepEqual([mean.request.base, mean.base], [restorations.mean, 'restoration-mean']);

  const side = { ...state, overlay: 'residual' as const, compare: true };
  const left = sliceRequestFor(scan, overlays, side, 'scan');
  const right = sliceRequestFor(scan, overlays, side, 'reconstruction');
  assert.deepEqual([left.request.base, left.base], [scan.image, 'scan']);
  assert.deepEqual([right.request.base, right.base, right.request.overlay?.map], [restorations.samples[1], 'restoration-1', maps.residual]);

  const plain = sliceRequestFor(scan, overlays, { ...state, restoration: 'reconstruction' });
  assert.deepEqual([plain.request.base, plain.base], [maps.reconstruction, 'reconstruction']);
  assert.equal(sliceRequestFor(scan, undefined, state).base, 'scan', 'before scoring');
});

test('without restorations (no prior, or a sample not there) the reconstruction is drawn', () => {
  const { restorations: _dropped, ...withoutRestorations } = overlaysMessage;
  const overlays = loadOverlays(withoutRestorations, scan);
  assert.deepEqual(modelImage(overlays, 2), { grid: maps.reconstruction, name: 'reconstruction' });
  assert.deepEqual(modelImage(loadOverlays(overlaysMessage, scan), 5), { grid: maps.reconstruction, name: 'reconstruction' });
  assert.deepEqual(modelImage(loadOverlays(overlaysMessage, scan), 2), { grid: restorations.samples[2], name: 'restoration-2' });
});

test('restorations of the wrong size are refused, naming the scan and the restoration', () => {
  const badSample = { ...restorations, samples: [filled(DIMS, 1), filled([2, 1, 1], 1)] };
  assert.throws(() => loadOverlays({ ...overlaysMessage, restorations: badSample }, scan), /Restoration 2 of x\.png is 2x1x1 but the scan is 2x2x1/);
  const badMean = { ...restorations, mean: { dims: DIMS, data: new Float32Array(3) } };
  assert.throws(
    () => loadOverlays({ ...overlaysMessage, restorations: badMean }, scan),
    /The mean restoration of x\.png: dims 2x2x1 do not match its 3 values/,
  );
});

test('a saved state keeps its restoration choice; one saved before it existed gets the reconstruction', () => {
  assert.equal(parseViewerState({ ...DEFAULT_STATE, restoration: 4 })?.restoration, 4);
  const { restoration: _absent, ...older } = DEFAULT_STATE;
  assert.equal(parseViewerState(older)?.restoration, 'reconstruction');
  assert.equal(parseViewerState({ ...DEFAULT_STATE, restoration: -1 }), undefined);
});

test('messages: the report base must be a known image; selectVolume needs a whole index >= 0', () => {
  const report = { ...RENDER_REPORT, overlay: 'reconstruction', colormap: 'none' };
  for (const base of ['scan', 'reconstruction', 'restoration-mean', 'restoration-0', 'restoration-12']) {
    assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, base } })?.type, 'rendered', base);
  }
  for (const base of [undefined, 'restoration', 'restoration-', 'restoration--1', 'restoration-1.5', 'restoration-01', 'mean']) {
    assert.equal(parseWebviewMessage({ type: 'rendered', report: { ...report, base } }), undefined, String(base));
  }
  assert.equal(isBaseImageName('restoration-3'), true);
  assert.deepEqual(parseWebviewMessage({ type: 'selectVolume', index: 1 }), { type: 'selectVolume', index: 1 });
  for (const index of [-1, 0.5, '1', Number.NaN, undefined]) assert.equal(parseWebviewMessage({ type: 'selectVolume', index }), undefined, String(index));
});
