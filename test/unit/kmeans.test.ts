import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { kmeans, sampleIndices } from '../../models/vqvae/kmeans';
import { SeededRandom } from '../../models/vqvae/seededRandom';

before(async () => {
  await tf.setBackend('cpu');
});

const TRUE_CENTRES = [
  [0, 0, 0],
  [10, 0, 5],
  [-8, 12, 3],
];
/** Offsets that sum to 0 along each axis, so each cluster's mean is exactly its true centre. */
const OFFSETS = [
  [0.5, 0, 0],
  [-0.5, 0, 0],
  [0, 0.5, 0],
  [0, -0.5, 0],
  [0, 0, 0.5],
  [0, 0, -0.5],
  [0.3, 0.3, 0.3],
  [-0.3, -0.3, -0.3],
];

/** 3 well-separated clusters of 8 points in 3D, interleaved; label i % 3. */
function threeClusters(): { points: Float32Array; labels: number[] } {
  const points: number[] = [];
  const labels: number[] = [];
  OFFSETS.forEach((offset) => {
    TRUE_CENTRES.forEach((centre, label) => {
      points.push(...centre.map((c, j) => c + offset[j]));
      labels.push(label);
    });
  });
  return { points: Float32Array.from(points), labels };
}

test('k-means finds 3 well-separated clusters: centres within 1e-3, the same partition, inertia by hand', async () => {
  const { points, labels } = threeClusters();
  const tensorsBefore = tf.memory().numTensors;

  const result = await kmeans(points, 3, 3, { seed: 7 });

  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaks');
  // Each true centre is matched by one found centre.
  const found = Array.from({ length: 3 }, (_, c) => Array.from(result.centres.subarray(c * 3, c * 3 + 3)));
  const clusterOfLabel = TRUE_CENTRES.map((centre) => found.findIndex((f) => f.every((v, j) => Math.abs(v - centre[j]) < 1e-3)));
  assert.deepEqual([...clusterOfLabel].sort(), [0, 1, 2], `centres ${JSON.stringify(found)}`);
  // Assignments equal the labels up to relabeling.
  assert.deepEqual(
    Array.from(result.assignments),
    labels.map((label) => clusterOfLabel[label]),
  );
  // Inertia: per cluster 6 x 0.25 + 2 x 0.27 = 2.04; 3 clusters.
  assert.ok(Math.abs(result.inertia - 6.12) < 1e-3, `inertia ${result.inertia}`);
  assert.ok(result.iterations >= 1);
});

test('k-means is reproducible with the seed, including with a subsample', async () => {
  const random = new SeededRandom(3, 'test');
  const points = Float32Array.from({ length: 400 * 2 }, () => random.normal());
  const first = await kmeans(points, 2, 5, { seed: 11, maxPoints: 150 });
  const again = await kmeans(points, 2, 5, { seed: 11, maxPoints: 150 });
  assert.deepEqual(again, first);
  assert.equal(first.assignments.length, 400, 'every point is assigned, not only the subsample');
  const other = await kmeans(points, 2, 5, { seed: 12, maxPoints: 150 });
  assert.notDeepEqual(other.centres, first.centres);
});

test('an empty cluster is re-seeded from the points, never left as a 0 / 0 mean', async () => {
  // 4 distinct points for 5 clusters: seeding must repeat a point, the repeated centre's cluster is empty
  // after the first assignment (ties go to the first centre) and is re-seeded with a point.
  const points = Float32Array.of(0, 0, 1, 0, 5, 5, 5, 5, -3, 2);
  const result = await kmeans(points, 2, 5, { seed: 1 });
  const isPoint = (x: number, y: number) => [0, 2, 4, 8].some((i) => points[i] === x && points[i + 1] === y);
  for (let c = 0; c < 5; c++) assert.ok(isPoint(result.centres[2 * c], result.centres[2 * c + 1]), `centre ${c} is not a point`);
  assert.equal(result.inertia, 0);
  assert.equal(new Set(result.assignments).size, 4);
});

test('sampleIndices draws m distinct sorted indices, all of them when m >= n', () => {
  const picked = Array.from(sampleIndices(100, 10, new SeededRandom(1, 'test')));
  assert.equal(new Set(picked).size, 10);
  assert.deepEqual(
    picked,
    [...picked].sort((a, b) => a - b),
  );
  assert.ok(picked.every((i) => i >= 0 && i < 100));
  assert.deepEqual(Array.from(sampleIndices(4, 10, new SeededRandom(1, 'test'))), [0, 1, 2, 3]);
});

test('too few points for k clusters is refused', async () => {
  await assert.rejects(kmeans(new Float32Array(6), 2, 4, { seed: 1 }), /kmeans: 3 points cannot be split into 4 clusters/);
});
