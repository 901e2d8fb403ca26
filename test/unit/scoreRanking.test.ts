// models/scoring/ranking.ts: a folder's scores ranked like with like, volumes apart from images.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { byKindThenScore, groupByKind, scanKindOf } from '../../models/scoring/ranking';

test('a scan of more than one slice is a volume; a 2D image or a single slice is an image', () => {
  assert.equal(scanKindOf(155), 'volume');
  assert.equal(scanKindOf(2), 'volume');
  assert.equal(scanKindOf(1), 'image');
});

test('a volume does not rank below its own slices: volumes first, then images, each most anomalous first, ties in file order', () => {
  const scores = [
    { file: 'slice-80.png', kind: 'image', score: 0.9 },
    { file: 'brain.nii.gz', kind: 'volume', score: 0.2 },
    { file: 'slice-81.png', kind: 'image', score: 0.95 },
    { file: 'other.nii.gz', kind: 'volume', score: 0.3 },
    { file: 'slice-82.png', kind: 'image', score: 0.9 },
  ] as const;
  const ranked = [...scores].sort(byKindThenScore).map((s) => s.file);
  assert.deepEqual(ranked, ['other.nii.gz', 'brain.nii.gz', 'slice-81.png', 'slice-80.png', 'slice-82.png']);
  assert.deepEqual(
    groupByKind([...scores].sort(byKindThenScore)).map((g) => [g.kind, g.scores.map((s) => s.file)]),
    [
      ['volume', ['other.nii.gz', 'brain.nii.gz']],
      ['image', ['slice-81.png', 'slice-80.png', 'slice-82.png']],
    ],
  );
  assert.deepEqual(
    groupByKind([{ kind: 'image' as const }]).map((g) => g.kind),
    ['image'],
    'no empty group',
  );
});
