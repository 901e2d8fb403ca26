import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreLogLines } from '../../extension/scoreLog';
import type { FileScore } from '../../models/worker/protocol';

const image = (index: number, score: number, warnings?: string[]): FileScore => ({
  file: `/w/img${index}.png`,
  kind: 'image',
  score,
  ...(warnings && { warnings }),
});
const name = (file: string) => file.replace('/w/', '');

test('a small folder: every score, skipped file and warning on its own line, lists headed by their count', () => {
  const lines = scoreLogLines(
    {
      scores: [{ file: '/w/a.nii.gz', kind: 'volume', score: 0.5 }, image(1, 0.25, ['its foreground covers 90 % of a slice'])],
      skipped: [{ file: '/w/x.png', reason: 'corrupt' }],
    },
    name,
    3,
  );
  assert.deepEqual(lines, [
    { level: 'info', text: 'Volumes (1):' },
    { level: 'info', text: '  0.5000  a.nii.gz' },
    { level: 'info', text: 'Images and single slices (1):' },
    { level: 'info', text: '  0.2500  img1.png' },
    { level: 'warn', text: 'Skipped (1):' },
    { level: 'warn', text: '  skipped x.png: corrupt' },
    { level: 'warn', text: 'Unlike the training data (1):' },
    { level: 'warn', text: '  img1.png does not look like the training data: its foreground covers 90 % of a slice' },
  ]);
});

test('a 2000-file folder: the first 3 of each list, then how many more', () => {
  const scores = Array.from({ length: 2000 }, (_, i) => image(i, 1 - i / 2000, ['w']));
  const skipped = Array.from({ length: 5 }, (_, i) => ({ file: `/w/bad${i}.png`, reason: 'corrupt' }));
  const lines = scoreLogLines({ scores, skipped }, name, 3).map((line) => line.text);
  assert.equal(lines.length, 3 * 5);
  assert.deepEqual(lines.slice(0, 5), [
    'Images and single slices (2000):',
    '  1.0000  img0.png',
    '  0.9995  img1.png',
    '  0.9990  img2.png',
    '  … and 1997 more (less anomalous; "Export folder scores" lists them all)',
  ]);
  assert.deepEqual(lines.slice(5, 10), [
    'Skipped (5):',
    '  skipped bad0.png: corrupt',
    '  skipped bad1.png: corrupt',
    '  skipped bad2.png: corrupt',
    '  … and 2 more skipped',
  ]);
  assert.equal(lines[14], '  … and 1997 more unlike the training data');
});
