// The viewer's shortcut table (one table for onKey and the `?` sheet), the interpolation kept in the
// saved state, and the messages of the new tools (snapshot bytes, the tools part of render reports).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage } from '../../webview/protocol';
import { keyLabel, SHORTCUTS, shortcutFor } from '../../webview/shortcuts';
import { DEFAULT_STATE, parseViewerState } from '../../webview/viewerState';
import { RENDER_REPORT } from './renderReportFixture';

/** Every key the viewer handles, written out by hand. */
const VIEWER_KEYS = [
  ...['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Escape'],
  ...['n', '1', '2', '3', 'v', 'o', 'm', 'c', '[', ']', 'b', ',', '.', 'w', '+', '=', '-', 'r', 'l', 'd', 'i', 's', '?'],
];

test('the shortcut table holds every key the viewer handles, each once, each action once', () => {
  const keys = SHORTCUTS.flatMap((s) => s.keys);
  assert.deepEqual([...keys].sort(), [...VIEWER_KEYS].sort());
  assert.equal(new Set(keys).size, keys.length, 'no key has two actions');
  const actions = SHORTCUTS.map((s) => s.action);
  assert.equal(new Set(actions).size, actions.length, 'no action is listed twice');
  assert.ok(
    SHORTCUTS.every((s) => s.description.length > 0),
    'each has a description for the sheet',
  );
});

test('keys are looked up as pressed: Shift + letter as the letter, ? and arrows as they are', () => {
  assert.equal(shortcutFor('N')?.action, 'nextAnomalous');
  assert.equal(shortcutFor('?')?.action, 'shortcuts');
  assert.equal(shortcutFor('=')?.action, 'zoomIn');
  assert.equal(shortcutFor('ArrowUp')?.action, 'sliceUp');
  assert.equal(shortcutFor('x'), undefined);
  assert.equal(shortcutFor('arrowup'), undefined, 'named keys are matched exactly');
  assert.equal(keyLabel('ArrowDown'), '↓');
  assert.equal(keyLabel('Escape'), 'Esc');
  assert.equal(keyLabel(']'), ']');
});

test('the interpolation is kept in the saved state; states saved before it had none get nearest', () => {
  assert.equal(DEFAULT_STATE.interpolation, 'nearest');
  assert.equal(parseViewerState({ ...DEFAULT_STATE, interpolation: 'linear' })?.interpolation, 'linear');
  const { interpolation: _, ...older } = DEFAULT_STATE;
  assert.equal(parseViewerState(older)?.interpolation, 'nearest');
  assert.equal(parseViewerState({ ...DEFAULT_STATE, interpolation: 'cubic' }), undefined);
});

test('snapshot messages carry PNG bytes; render reports carry the tools part, checked', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  assert.deepEqual(parseWebviewMessage({ type: 'snapshot', png }), { type: 'snapshot', png });
  assert.equal(parseWebviewMessage({ type: 'snapshot', png: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) }), undefined, 'not a PNG');
  assert.equal(parseWebviewMessage({ type: 'snapshot', png: [...png] }), undefined, 'not bytes');
  const ruler = { from: [1, 2, 3], to: [4, 2, 3], length: 3, unit: 'mm', label: '3.0 mm' };
  const report = { ...RENDER_REPORT, tools: { ...RENDER_REPORT.tools, measuring: true, ruler } };
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', report }), { type: 'rendered', report });
  const { tools: _, ...withoutTools } = RENDER_REPORT;
  assert.equal(parseWebviewMessage({ type: 'rendered', report: withoutTools }), undefined);
  const bad = (tools: object) => parseWebviewMessage({ type: 'rendered', report: { ...RENDER_REPORT, tools: { ...RENDER_REPORT.tools, ...tools } } });
  assert.equal(bad({ interpolation: 'cubic' }), undefined);
  assert.equal(bad({ ruler: { ...ruler, length: 'far' } }), undefined);
  assert.equal(bad({ ruler: { ...ruler, unit: 'inch' } }), undefined);
  assert.equal(bad({ regions: { threshold: 0.5, count: 'two', rows: [] } }), undefined);
});
