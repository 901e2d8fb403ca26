// The CLI's shared helpers: skip lines, the backend log with and without --verbose, plurals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendLog, plural, skippedLine } from '../../models/cliSupport';

test('a skip line names the file once, also when the reason starts with it', () => {
  assert.equal(skippedLine('/d/a.png', '/d/a.png: not a PNG file'), 'skipped /d/a.png: not a PNG file');
  assert.equal(skippedLine('/d/a_mask.png', 'a mask (ground truth), not a scan'), 'skipped /d/a_mask.png: a mask (ground truth), not a scan');
});

test('the backends skipped are logged only with --verbose; the one selected always', () => {
  const lines = ['backend native: skipped, not installed', 'backend wasm: selected, wasm (WebAssembly, CPU)'];
  const quiet: string[] = [];
  const verbose: string[] = [];
  lines.forEach(backendLog(false, (line) => quiet.push(line)));
  lines.forEach(backendLog(true, (line) => verbose.push(line)));
  assert.deepEqual(quiet, ['backend wasm: selected, wasm (WebAssembly, CPU)']);
  assert.deepEqual(verbose, lines);
});

test('plural counts', () => {
  assert.deepEqual([plural(1, 'epoch'), plural(2, 'epoch'), plural(0, 'image')], ['1 epoch', '2 epochs', '0 images']);
});
