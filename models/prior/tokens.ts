// The token sequences a prior trains on and scores: each slice encoded by the VQ-VAE and its latent grid
// read in raster order (y then x), methods.md §5.
import * as tf from '@tensorflow/tfjs-core';
import type { VqVae } from '../vqvae/model';

/** Slices encoded per forward pass. */
const ENCODE_BATCH = 16;

/** The code indices of each slice (inputSize² values in [0, 1], row-major), h*w int32 values in raster order. */
export async function encodeTokens(model: VqVae, slices: Float32Array[], batchSize: number = ENCODE_BATCH): Promise<Int32Array[]> {
  const size = model.config.inputSize;
  const pixels = size * size;
  const wrong = slices.findIndex((s) => s.length !== pixels);
  if (wrong >= 0) throw new Error(`encodeTokens: slice ${wrong} has ${slices[wrong].length} values, expected ${size}x${size} = ${pixels}`);

  const sequences: Int32Array[] = [];
  for (let start = 0; start < slices.length; start += batchSize) {
    const batch = slices.slice(start, start + batchSize);
    const values = new Float32Array(batch.length * pixels);
    batch.forEach((slice, i) => values.set(slice, i * pixels));
    const indices = tf.tidy(() => model.encode(tf.tensor4d(values, [batch.length, size, size, 1])));
    const flat = (await indices.data().finally(() => indices.dispose())) as Int32Array;
    const tokensPerSlice = flat.length / batch.length;
    for (let i = 0; i < batch.length; i++) sequences.push(flat.slice(i * tokensPerSlice, (i + 1) * tokensPerSlice));
  }
  return sequences;
}
