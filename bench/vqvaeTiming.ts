// Times one VQ-VAE training step (forward, loss, gradients, Adam) and one inference forward pass on
// random images, with the project's own model code (models/vqvae).
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../models/vqvae/adam';
import type { VqVaeConfig } from '../models/vqvae/config';
import { VqVae } from '../models/vqvae/model';
import { medianMs } from './timing';

export interface VqVaeTimings {
  trainStepMs: number;
  inferenceMs: number;
}

export async function timeVqVae(config: VqVaeConfig, batch: number, runs: number): Promise<VqVaeTimings> {
  const model = VqVae.create(config, 1);
  const optimizer = new Adam(model.trainableWeights());
  const x = tf.randomUniform([batch, config.inputSize, config.inputSize, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  try {
    const trainStepMs = await medianMs(async () => {
      const loss = optimizer.minimize(() => model.loss(x, model.forward(x, { training: true })).total, 1e-3);
      await loss.data();
      loss.dispose();
    }, runs);
    const inferenceMs = await medianMs(async () => {
      const reconstruction = tf.tidy(() => model.forward(x).reconstruction);
      await reconstruction.data();
      reconstruction.dispose();
    }, runs);
    return { trainStepMs, inferenceMs };
  } finally {
    tf.dispose(x);
    optimizer.dispose();
    model.dispose();
  }
}
