// The NLL maps of whole token sequences under a trained prior (methods.md §6), computed in batches: what
// scoring shows per slice and what the thresholds lambda are calibrated on.
import * as tf from '@tensorflow/tfjs-core';
import { nllMap } from './nll';
import type { PriorTransformer } from './transformer';

/** Sequences scored per forward pass. */
const NLL_BATCH = 16;

/**
 * nll_i = -log p(s_i | context) for every position of every sequence (sequenceLength values each, raster
 * order like the tokens). `conditions` gives the slice position of each sequence for a conditioned prior.
 */
export async function sequenceNll(
  prior: PriorTransformer,
  sequences: Int32Array[],
  conditions?: number[],
  batchSize: number = NLL_BATCH,
): Promise<Float32Array[]> {
  const n = prior.config.sequenceLength;
  const maps: Float32Array[] = [];
  for (let start = 0; start < sequences.length; start += batchSize) {
    const batch = sequences.slice(start, start + batchSize);
    const tokens = new Int32Array(batch.length * n);
    batch.forEach((sequence, i) => tokens.set(sequence, i * n));
    const nll = tf.tidy(() => {
      const input = tf.tensor2d(tokens, [batch.length, n], 'int32');
      const condition = conditions ? tf.tensor1d(conditions.slice(start, start + batch.length)) : undefined;
      return nllMap(prior.forward(input, { condition }), input);
    });
    const values = (await nll.data().finally(() => nll.dispose())) as Float32Array;
    for (let i = 0; i < batch.length; i++) maps.push(values.slice(i * n, (i + 1) * n));
  }
  return maps;
}
