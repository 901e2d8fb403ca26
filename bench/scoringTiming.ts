// Scoring with the project's scoring code (models/scoring/scoreScan.ts): SSIM + AM throughput on 2D
// images, a whole brain volume, and a leak check over many inferences.
import * as tf from '@tensorflow/tfjs-core';
import { readScan, type Volume } from '../models/io/volume';
import { scoreVolume } from '../models/scoring/scoreScan';
import type { VqVaeConfig } from '../models/vqvae/config';
import { VqVae } from '../models/vqvae/model';
import { SeededRandom } from '../models/vqvae/seededRandom';
import type { PeakRss } from './timing';

/** A random size x size gray image (a 2D scan: depth 1). */
function randomImage(size: number, random: SeededRandom): Volume {
  const data = Float32Array.from({ length: size * size }, () => random.next());
  return { dims: [size, size, 1], spacing: [1, 1, 1], data };
}

/** Images per second of scoreVolume (all maps, SSIM + AM included) on `count` random images of the model's size. */
export async function scoringThroughput(config: VqVaeConfig, count: number, memory: PeakRss): Promise<number> {
  const model = VqVae.create(config, 1);
  const random = new SeededRandom(1, 'bench-images');
  const images = Array.from({ length: count }, () => randomImage(config.inputSize, random));
  try {
    await scoreVolume(model, images[0]); // warm-up
    const start = performance.now();
    for (const image of images) {
      await scoreVolume(model, image);
      memory.sample();
    }
    return count / ((performance.now() - start) / 1000);
  } finally {
    model.dispose();
  }
}

/** Seconds to read a volume file and to score it with a model of `config`, and the slices scored. */
export async function volumeScoring(
  config: VqVaeConfig,
  file: string,
  memory: PeakRss,
): Promise<{ readSeconds: number; scoreSeconds: number; slices: number }> {
  const model = VqVae.create(config, 1);
  try {
    const start = performance.now();
    const volume = await readScan(file);
    const read = performance.now();
    let slices = 0;
    await scoreVolume(model, volume, { onProgress: (p) => ((slices = p.total), memory.sample()) });
    return { readSeconds: (read - start) / 1000, scoreSeconds: (performance.now() - read) / 1000, slices };
  } finally {
    model.dispose();
  }
}

/** tf.memory().numTensors before and after `inferences` scorings of a small image: equal when nothing leaks. */
export async function leakCheck(config: VqVaeConfig, inferences: number): Promise<{ before: number; after: number }> {
  const model = VqVae.create(config, 1);
  const image = randomImage(config.inputSize, new SeededRandom(2, 'bench-leak'));
  try {
    await scoreVolume(model, image); // the first call may create lasting backend state
    const before = tf.memory().numTensors;
    for (let i = 0; i < inferences; i++) await scoreVolume(model, image);
    return { before, after: tf.memory().numTensors };
  } finally {
    model.dispose();
  }
}
