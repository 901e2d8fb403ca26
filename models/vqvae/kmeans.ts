// k-means clustering of vectors (Lloyd's algorithm with greedy k-means++ seeding, Arthur & Vassilvitskii 2007),
// for the aggregated codebook of LSGS (methods.md §2). Points are n x d row-major Float32Arrays.
//
// - Reproducible: the subsample and the seeding draw from SeededRandom streams of `seed`.
// - Seeding runs in plain JS (double precision, the same on every backend); the assignment step, the
//   O(n k d) part, runs as tensor ops with the matmul form of the squared distance (quantizer.ts).
// - Subsampling: at most `maxPoints` points (a seeded random subset) are clustered; every input point
//   is then assigned to its nearest final centre.
// - Empty clusters (possible after an update, never in the seeding) are re-seeded, as in
//   scikit-learn, with the points farthest from their own centre, the farthest first.
// - Stops when the centres move by sum_k ||c_k' - c_k||^2 <= tolerance * (mean per-dimension variance
//   of the points), scikit-learn's scale-free criterion, or after `maxIterations` updates.

import * as tf from '@tensorflow/tfjs-core';
import { squaredDistances } from './quantizer';
import { SeededRandom } from './seededRandom';

export interface KMeansOptions {
  seed: number;
  /** Most Lloyd updates. */
  maxIterations?: number;
  /** Convergence threshold, relative to the points' mean variance per dimension. */
  tolerance?: number;
  /** Most points clustered (a seeded random subset of them); all points are assigned at the end. */
  maxPoints?: number;
}

export const KMEANS_DEFAULTS = { maxIterations: 100, tolerance: 1e-4, maxPoints: 20000 };

export interface KMeansResult {
  /** k x d centres, row-major. */
  centres: Float32Array;
  /** The nearest centre of every input point. */
  assignments: Int32Array;
  /** Sum over the input points of the squared distance to their nearest centre. */
  inertia: number;
  /** Lloyd updates done. */
  iterations: number;
}

/** Clusters the n = points.length / dim points into k clusters. */
export async function kmeans(points: Float32Array, dim: number, k: number, options: KMeansOptions): Promise<KMeansResult> {
  const { seed, maxIterations, tolerance, maxPoints } = { ...KMEANS_DEFAULTS, ...options };
  const count = points.length / dim;
  if (!Number.isInteger(count) || !Number.isInteger(k) || k < 1) {
    throw new Error(`kmeans: ${points.length} values are not whole points of ${dim} dimensions in ${k} clusters`);
  }
  if (Math.min(count, maxPoints) < k) {
    throw new Error(`kmeans: ${Math.min(count, maxPoints)} points cannot be split into ${k} clusters`);
  }
  const sample = pickRows(points, dim, sampleIndices(count, maxPoints, new SeededRandom(seed, 'kmeans-sample')));
  const threshold = tolerance * meanVariance(sample, dim);

  let centres = kmeansPlusPlus(sample, dim, k, new SeededRandom(seed, 'kmeans-init'));
  let iterations = 0;
  while (iterations < maxIterations) {
    const nearest = await nearestCentres(sample, dim, centres);
    const updated = clusterMeans(sample, dim, k, nearest);
    iterations++;
    const shift = squaredDistance(centres, updated, 0, 0, centres.length);
    centres = updated;
    if (shift <= threshold) break;
  }
  const { assignments, distances } = await nearestCentres(points, dim, centres);
  return { centres, assignments, inertia: distances.reduce((sum, d) => sum + d, 0), iterations };
}

/** m distinct indices of [0, n), drawn at random (a partial Fisher-Yates shuffle), in increasing order; all of them when m >= n. */
export function sampleIndices(n: number, m: number, random: SeededRandom): Int32Array {
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  if (m >= n) return indices;
  for (let i = 0; i < m; i++) {
    const j = i + random.int(n - i);
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices.slice(0, m).sort();
}

/**
 * Greedy k-means++ seeding (scikit-learn's default): the first centre is a uniformly drawn point; for
 * each next one, 2 + ln k candidates are drawn with probability proportional to their squared distance
 * D(x)^2 to the nearest centre so far (uniformly when every point already coincides with a centre), and
 * the candidate that lowers the sum of D(x)^2 most is kept. The extra candidates make it much less
 * likely than plain k-means++ to put two centres in one cluster.
 */
function kmeansPlusPlus(points: Float32Array, dim: number, k: number, random: SeededRandom): Float32Array {
  const count = points.length / dim;
  const candidatesPerCentre = 2 + Math.floor(Math.log(k));
  const distancesTo = (point: number, nearest: Float64Array) => nearest.map((d, i) => Math.min(d, squaredDistance(points, points, i * dim, point * dim, dim)));

  const first = random.int(count);
  const centres = new Float32Array(k * dim);
  centres.set(points.subarray(first * dim, (first + 1) * dim));
  let nearest = distancesTo(first, new Float64Array(count).fill(Infinity));
  for (let c = 1; c < k; c++) {
    let best = { point: -1, nearest, potential: Infinity };
    for (let trial = 0; trial < candidatesPerCentre; trial++) {
      const point = drawProportionally(nearest, random);
      const candidateNearest = distancesTo(point, nearest);
      const potential = candidateNearest.reduce((sum, d) => sum + d, 0);
      if (potential < best.potential) best = { point, nearest: candidateNearest, potential };
    }
    centres.set(points.subarray(best.point * dim, (best.point + 1) * dim), c * dim);
    nearest = best.nearest;
  }
  return centres;
}

/** An index drawn with probability weights[i] / sum(weights), or uniformly when they are all 0. */
function drawProportionally(weights: Float64Array, random: SeededRandom): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0) return random.int(weights.length);
  let remaining = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    remaining -= weights[i];
    if (remaining < 0) return i;
  }
  // Rounding left a remainder: the last candidate.
  let last = weights.length - 1;
  while (weights[last] === 0) last--;
  return last;
}

interface Nearest {
  /** Index of the nearest centre per point. */
  assignments: Int32Array;
  /** Squared distance to it per point. */
  distances: Float32Array;
}

/** Distance matrices of at most this many entries at once, so that many points do not exhaust memory. */
const DISTANCE_CHUNK_ENTRIES = 1 << 22;

/** The nearest centre of each point, from the [points, k] squared distance matrix computed in chunks of rows. */
async function nearestCentres(points: Float32Array, dim: number, centres: Float32Array): Promise<Nearest> {
  const count = points.length / dim;
  const k = centres.length / dim;
  const assignments = new Int32Array(count);
  const distances = new Float32Array(count);
  const centreTensor = tf.tensor2d(centres, [k, dim]);
  try {
    const rowsPerChunk = Math.max(1, Math.floor(DISTANCE_CHUNK_ENTRIES / k));
    for (let start = 0; start < count; start += rowsPerChunk) {
      const end = Math.min(count, start + rowsPerChunk);
      const [index, distance] = tf.tidy(() => {
        const squared = squaredDistances(tf.tensor2d(points.subarray(start * dim, end * dim), [end - start, dim]), centreTensor);
        // The matmul form can come out slightly negative by rounding: clamp at 0.
        return [tf.argMin(squared, 1), tf.relu(tf.min(squared, 1))];
      });
      try {
        assignments.set(await index.data(), start);
        distances.set(await distance.data(), start);
      } finally {
        tf.dispose([index, distance]);
      }
    }
  } finally {
    centreTensor.dispose();
  }
  return { assignments, distances };
}

/** The mean of each cluster's points; an empty cluster gets the next farthest point from its own centre instead. */
function clusterMeans(points: Float32Array, dim: number, k: number, nearest: Nearest): Float32Array {
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  nearest.assignments.forEach((cluster, i) => {
    sizes[cluster]++;
    for (let j = 0; j < dim; j++) sums[cluster * dim + j] += points[i * dim + j];
  });
  const means = new Float32Array(k * dim);
  const empty: number[] = [];
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) empty.push(c);
    else for (let j = 0; j < dim; j++) means[c * dim + j] = sums[c * dim + j] / sizes[c];
  }
  if (empty.length > 0) {
    const farthestFirst = Array.from(nearest.distances.keys()).sort((a, b) => nearest.distances[b] - nearest.distances[a]);
    empty.forEach((c, i) => means.set(points.subarray(farthestFirst[i] * dim, (farthestFirst[i] + 1) * dim), c * dim));
  }
  return means;
}

/** ||a[aStart..] - b[bStart..]||^2 over `length` values. */
function squaredDistance(a: Float32Array, b: Float32Array, aStart: number, bStart: number, length: number): number {
  let sum = 0;
  for (let j = 0; j < length; j++) sum += (a[aStart + j] - b[bStart + j]) ** 2;
  return sum;
}

/** The rows `indices` of an n x dim matrix (the matrix itself when it has them all). */
function pickRows(points: Float32Array, dim: number, indices: Int32Array): Float32Array {
  if (indices.length * dim === points.length) return points;
  const rows = new Float32Array(indices.length * dim);
  indices.forEach((row, i) => rows.set(points.subarray(row * dim, (row + 1) * dim), i * dim));
  return rows;
}

/** The variance of the points along each dimension, averaged over the dimensions. */
function meanVariance(points: Float32Array, dim: number): number {
  const count = points.length / dim;
  let total = 0;
  for (let j = 0; j < dim; j++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < count; i++) {
      const v = points[i * dim + j];
      sum += v;
      sumOfSquares += v * v;
    }
    total += sumOfSquares / count - (sum / count) ** 2;
  }
  return total / dim;
}
