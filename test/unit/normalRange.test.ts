import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalRank, normalRankText, rankAmongNormal } from '../../models/scoring/normalRange';
import { postProcessingSettings } from '../../models/scoring/modality';

const NORMAL = [0.1, 0.2, 0.2, 0.3, 0.4];

test('the percentile of a score is the share of normal scores at or below it', () => {
  assert.deepEqual(normalRank(0.25, NORMAL), { percentile: 60, count: 5 }); // 0.1, 0.2, 0.2
  assert.deepEqual(normalRank(0.2, NORMAL), { percentile: 60, count: 5 }); // ties count as at or below
  assert.deepEqual(normalRank(0.05, NORMAL), { percentile: 0, count: 5 });
  assert.deepEqual(normalRank(0.9, NORMAL), { percentile: 100, count: 5 });
});

test('in words: above all, below all, or the rounded percentage, with the count', () => {
  assert.equal(normalRankText({ percentile: 100, count: 20 }), 'above all 20 normal scans');
  assert.equal(normalRankText({ percentile: 0, count: 1 }), 'below all 1 normal scan');
  assert.equal(normalRankText({ percentile: 200 / 3, count: 3 }), 'above 67 % of 3 normal scans');
});

test('only among normal scans of the same kind scored with the same post-processing', () => {
  const flair = postProcessingSettings('flair');
  const range = { volume: { scores: NORMAL, postProcessing: flair } };
  assert.deepEqual(rankAmongNormal(0.25, 'volume', flair, range), { percentile: 60, count: 5 });
  assert.equal(rankAmongNormal(0.25, 'image', flair, range), undefined, 'no normal images');
  assert.equal(rankAmongNormal(0.25, 'volume', { ...flair, medianSize: 1 }, range), undefined, 'other settings');
  assert.equal(rankAmongNormal(0.25, 'volume', flair, undefined), undefined, 'an older model');
});
