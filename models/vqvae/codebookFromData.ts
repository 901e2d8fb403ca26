// Keeping the codebook in use (methods.md §1). A codebook initialised at ±1/K lies far from the
// encoder's outputs, so a few codes win every latent vector and the rest never move (3-24 of 128
// codes in use were seen). Two remedies, both from the data:
//   - after the first steps, the codebook is replaced by the k-means centres of the encodings of the
//     training images (the LSGS aggregation, aggregateCodebook.ts, applied early);
//   - at every epoch's end, each code that no latent vector chose during the epoch is restarted at an
//     encoding drawn at random from a batch of training images (Dhariwal et al. 2020, "Jukebox").
import * as tf from '@tensorflow/tfjs-core';
import { aggregateCodebook, CODEBOOK_WEIGHT, replaceCodebook } from './aggregateCodebook';
import type { VqVae } from './model';
import type { SeededRandom } from './seededRandom';

/** Images encoded for the early k-means, and the vectors it clusters. */
const INIT_IMAGES = 128;
const INIT_MAX_POINTS = 8000;

/** The codebook replaced by k-means of the encodings of up to INIT_IMAGES training images; returns the codes in use after. */
export async function initialiseCodebookFromData(model: VqVae, images: Float32Array[], random: SeededRandom, seed: number): Promise<number> {
  const sample = random
    .shuffled(images.map((_, i) => i))
    .slice(0, INIT_IMAGES)
    .map((i) => images[i]);
  const { usageAfter } = await aggregateCodebook(model, sample, { seed, maxPoints: INIT_MAX_POINTS });
  return usageAfter;
}

/** Restarts every code outside `used` at a random encoding of a batch of `batchSize` random training images; returns how many were restarted. */
export async function restartDeadCodes(model: VqVae, images: Float32Array[], used: Set<number>, random: SeededRandom, batchSize: number): Promise<number> {
  const { codebookSize, codebookDim, inputSize } = model.config;
  const dead = Array.from({ length: codebookSize }, (_, k) => k).filter((k) => !used.has(k));
  if (dead.length === 0) return 0;
  const batch = Array.from({ length: Math.min(batchSize, images.length) }, () => images[random.int(images.length)]);
  const pixels = new Float32Array(batch.length * inputSize * inputSize);
  batch.forEach((image, i) => pixels.set(image, i * inputSize * inputSize));
  const encodings = tf.tidy(() => model.forward(tf.tensor4d(pixels, [batch.length, inputSize, inputSize, 1]), { training: false }).zE);
  const vectors = (await encodings.data()) as Float32Array;
  encodings.dispose();
  const codebook = (await model.getWeights()[CODEBOOK_WEIGHT].data()) as Float32Array;
  const codes = codebook.slice();
  const count = vectors.length / codebookDim;
  for (const k of dead) {
    const row = random.int(count);
    codes.set(vectors.subarray(row * codebookDim, (row + 1) * codebookDim), k * codebookDim);
  }
  replaceCodebook(model, codes);
  return dead.length;
}
