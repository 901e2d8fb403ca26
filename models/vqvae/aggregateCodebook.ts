// The aggregated codebook of LSGS (methods.md §2, LSGS §2.2): after training, encode the training set,
// cluster the encoder outputs z_e with k-means (K = codebook size) and replace the codebook with the
// cluster centres. The model is then fine-tuned by the training code; this only swaps the codebook.
// Codebook usage (how many codes are the nearest code of some latent vector of the training slices)
// is reported before and after: the paper's "effective embeddings".

import * as tf from '@tensorflow/tfjs-core';
import { latentSize } from './config';
import { KMEANS_DEFAULTS, kmeans, sampleIndices } from './kmeans';
import type { VqVae } from './model';
import { SeededRandom } from './seededRandom';

// The names under which model.ts registers the codebook [K, D] and, with an EMA codebook, its averages.
export const CODEBOOK_WEIGHT = 'quantizer/codebook';
const EMA_EMBED_SUM_WEIGHT = 'quantizer/ema_embed_sum';
const EMA_CLUSTER_SIZE_WEIGHT = 'quantizer/ema_cluster_size';

export interface AggregateCodebookOptions {
  seed: number;
  /** Most latent vectors clustered, a seeded random subset of all of them (k-means' maxPoints). */
  maxPoints?: number;
  /** Slices per forward pass. */
  batchSize?: number;
}

export interface AggregateCodebookResult {
  /** Distinct nearest codes over all latent vectors of the slices, with the old and the new codebook. */
  usageBefore: number;
  usageAfter: number;
  /** Latent vectors that went into k-means, and its Lloyd iterations. */
  clusteredVectors: number;
  iterations: number;
}

const DEFAULT_BATCH_SIZE = 16;

/**
 * Replaces the model's codebook with the k-means centres of the encodings z_e of `slices` (each
 * inputSize x inputSize, row-major, in [0, 1]). Reproducible with `seed`.
 */
export async function aggregateCodebook(model: VqVae, slices: Float32Array[], options: AggregateCodebookOptions): Promise<AggregateCodebookResult> {
  const { codebookSize, codebookDim } = model.config;
  const maxPoints = options.maxPoints ?? KMEANS_DEFAULTS.maxPoints;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const vectorsPerSlice = latentSize(model.config) ** 2;
  const total = slices.length * vectorsPerSlice;
  if (total < codebookSize) {
    throw new Error(`aggregateCodebook: ${slices.length} slices give ${total} latent vectors, fewer than the ${codebookSize} codes`);
  }

  // Keep only the sampled vectors while encoding, so that a large training set never sits in memory whole.
  const keep = sampleIndices(total, maxPoints, new SeededRandom(options.seed, 'aggregate-codebook'));
  const kept = new Float32Array(keep.length * codebookDim);
  let next = 0;
  const usageBefore = await codesInUse(model, slices, batchSize, (zE, firstVector) => {
    for (; next < keep.length && keep[next] < firstVector + zE.length / codebookDim; next++) {
      const row = keep[next] - firstVector;
      kept.set(zE.subarray(row * codebookDim, (row + 1) * codebookDim), next * codebookDim);
    }
  });

  const { centres, iterations } = await kmeans(kept, codebookDim, codebookSize, { seed: options.seed, maxPoints });
  replaceCodebook(model, centres);

  const usageAfter = await codesInUse(model, slices, batchSize);
  return { usageBefore, usageAfter, clusteredVectors: keep.length, iterations };
}

/**
 * Sets the model's codebook to `codes` (K x D, row-major) and keeps its other weights. With an EMA
 * codebook its averages restart as at creation (N_k = 1, m_k = e_k, emaCodebook.ts), so that the
 * next EMA step moves from the new codes instead of pulling back to the old ones.
 */
export function replaceCodebook(model: VqVae, codes: Float32Array): void {
  const { codebookSize, codebookDim } = model.config;
  const replacements: Record<string, () => tf.Tensor> = {
    [CODEBOOK_WEIGHT]: () => tf.tensor2d(codes, [codebookSize, codebookDim]),
    [EMA_EMBED_SUM_WEIGHT]: () => tf.tensor2d(codes, [codebookSize, codebookDim]),
    [EMA_CLUSTER_SIZE_WEIGHT]: () => tf.ones([codebookSize]),
  };
  // setWeights takes every weight: the model's own variables for those that stay.
  const current = model.getWeights();
  const replaced = Object.fromEntries(
    Object.keys(replacements)
      .filter((name) => name in current)
      .map((name) => [name, replacements[name]()]),
  );
  try {
    model.setWeights({ ...current, ...replaced });
  } finally {
    tf.dispose(Object.values(replaced));
  }
}

/**
 * Runs the slices through the model in batches and counts the distinct nearest codes. `onEncodings`
 * gets each batch's z_e as rows of D values and the index of its first row among all slices' vectors.
 */
async function codesInUse(
  model: VqVae,
  slices: Float32Array[],
  batchSize: number,
  onEncodings?: (zE: Float32Array, firstVector: number) => void,
): Promise<number> {
  const size = model.config.inputSize;
  const used = new Set<number>();
  let firstVector = 0;
  for (let start = 0; start < slices.length; start += batchSize) {
    const batch = slices.slice(start, start + batchSize);
    const pixels = new Float32Array(batch.length * size * size);
    batch.forEach((slice, i) => {
      if (slice.length !== size * size) {
        throw new Error(`aggregateCodebook: slice ${start + i} has ${slice.length} pixels, the model takes ${size} x ${size}`);
      }
      pixels.set(slice, i * size * size);
    });
    const [zE, indices] = tf.tidy(() => {
      const output = model.forward(tf.tensor4d(pixels, [batch.length, size, size, 1]), { training: false });
      return [output.zE, output.indices];
    });
    try {
      const encodings = (await zE.data()) as Float32Array;
      for (const index of await indices.data()) used.add(index);
      onEncodings?.(encodings, firstVector);
      firstVector += indices.size;
    } finally {
      tf.dispose([zE, indices]);
    }
  }
  return used.size;
}
