// Times the forward pass of the transformer prior (models/prior) on random tokens.
import * as tf from '@tensorflow/tfjs-core';
import { PriorTransformer } from '../models/prior/transformer';
import { medianMs } from './timing';

export interface PriorShape {
  vocabSize: number;
  dModel: number;
  layers: number;
  heads: number;
  feedForward: number;
  batch: number;
  sequenceLength: number;
  runs: number;
}

export async function timePriorForward(shape: PriorShape): Promise<number> {
  const { batch, runs, ...architecture } = shape;
  const prior = PriorTransformer.create({ ...architecture, dropout: 0, conditionOnSlicePosition: false, attention: 'causal' }, 1);
  const tokens = tf.randomUniformInt([batch, shape.sequenceLength], 0, shape.vocabSize, 1) as tf.Tensor2D;
  try {
    return await medianMs(async () => {
      const logits = tf.tidy(() => prior.forward(tokens));
      await logits.data();
      logits.dispose();
    }, runs);
  } finally {
    tokens.dispose();
    prior.dispose();
  }
}
