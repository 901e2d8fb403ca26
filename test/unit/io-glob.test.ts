// The glob patterns of folder scans: `*`, `?`, `**/`, trailing `**`, names without '/' at any depth.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp } from '../../models/io/glob';

function matches(pattern: string, path: string): boolean {
  return globToRegExp(pattern).test(path);
}

test('a pattern without "/" matches the file name at any depth', () => {
  assert.ok(matches('*.png', 'a.png'));
  assert.ok(matches('*.png', 'x/y/a.PNG'), 'case ignored');
  assert.ok(!matches('*.png', 'a.png.bak'));
  assert.ok(matches('scan_??.nii.gz', 'p/scan_07.nii.gz'));
  assert.ok(!matches('scan_??.nii.gz', 'p/scan_7.nii.gz'));
  assert.ok(!matches('scan?nii', 'scan/nii'), '? never matches "/"');
});

test('a pattern with "/" is anchored at the scanned folder; ** spans folders', () => {
  assert.ok(matches('train/*.png', 'train/a.png'));
  assert.ok(!matches('train/*.png', 'train/sub/a.png'), '* stays in one folder');
  assert.ok(!matches('train/*.png', 'x/train/a.png'));
  assert.ok(matches('train/**/*.png', 'train/a.png'), '**/ may be no folder');
  assert.ok(matches('train/**/*.png', 'train/sub/deeper/a.png'));
  assert.ok(matches('**/MT_Free/**', 'data/MT_Free/Imgs/a.jpg'));
  assert.ok(!matches('**/MT_Free/**', 'data/MT_Crack/Imgs/a.jpg'));
  assert.ok(matches('./a.png', 'a.png'));
});

test('regular expression characters in a pattern are literal', () => {
  assert.ok(matches('a+b (1).png', 'a+b (1).png'));
  assert.ok(!matches('a.png', 'abpng'));
  assert.ok(matches('[x].png', '[x].png'));
});
