// docs/quality.json, written by `npm run bench:quality`, keeps the shape its readers expect.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { qualityShapeProblems } from '../../bench/quality/targets';

test('docs/quality.json has, per data set, the recipe, times, health figures and every metric of every map and baseline', () => {
  const json = JSON.parse(readFileSync('docs/quality.json', 'utf8'));
  assert.deepEqual(qualityShapeProblems(json), []);
  assert.ok(Object.keys(json.datasets).length > 0);
  assert.match(qualityShapeProblems({ datasets: { x: { maps: { residual: { pixelAp: '1' } } } } }).join('\n'), /no "recipe"[\s\S]*"pixelAp" is not a number/);
});
