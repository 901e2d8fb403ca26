// The building blocks of the prior transformer, in tfjs-core ops on tf.Variables: a dense layer, layer
// normalization, a token embedding and the GELU activation. Sequences are [B, n, d] tensors.
import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, uniform } from '../vqvae/initializers';
import type { LayerContext } from '../vqvae/layers';

/** y = x W + b over the last axis; W [in, out] Glorot-uniform, b [out] zero. */
export class Linear {
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    context: LayerContext,
    name: string,
    private readonly inFeatures: number,
    private readonly outFeatures: number,
  ) {
    this.kernel = context.registry.add(`${name}/kernel`, glorotUniform([inFeatures, outFeatures], inFeatures, outFeatures, context.random));
    this.bias = context.registry.add(`${name}/bias`, tf.zeros([outFeatures]));
  }

  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [batch, length] = x.shape;
    const flat = tf.reshape(x, [batch * length, this.inFeatures]) as tf.Tensor2D;
    const y = tf.add(tf.matMul(flat, this.kernel), this.bias);
    return tf.reshape(y, [batch, length, this.outFeatures]);
  }
}

/** LayerNorm: gamma * (x - mean) / sqrt(var + eps) + beta over the last axis (Ba et al. 2016, eq. 4). */
export class LayerNorm {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private static readonly EPSILON = 1e-5;

  constructor(context: LayerContext, name: string, features: number) {
    this.gamma = context.registry.add(`${name}/gamma`, tf.ones([features]));
    this.beta = context.registry.add(`${name}/beta`, tf.zeros([features]));
  }

  apply(x: tf.Tensor3D): tf.Tensor3D {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LayerNorm.EPSILON)));
    return tf.add(tf.mul(normalized, this.gamma), this.beta);
  }
}

/**
 * A table of `count` learned vectors; lookup(ids) = oneHot(ids) E. The one-hot matmul, not tf.gather,
 * because gather's gradient needs a kernel the wasm backend lacks (methods.md §1 notes).
 * Initialised U(-0.05, 0.05), the Keras Embedding default.
 */
export class Embedding {
  readonly table: tf.Variable;

  constructor(
    context: LayerContext,
    name: string,
    private readonly count: number,
    private readonly features: number,
  ) {
    this.table = context.registry.add(`${name}/table`, uniform([count, features], 0.05, context.random));
  }

  /** ids int32 [B, n] -> [B, n, features]. */
  lookup(ids: tf.Tensor2D): tf.Tensor3D {
    const [batch, length] = ids.shape;
    const oneHot = tf.oneHot(tf.reshape(ids, [batch * length]) as tf.Tensor1D, this.count);
    const vectors = tf.matMul(tf.cast(oneHot, 'float32'), this.table);
    return tf.reshape(vectors, [batch, length, this.features]);
  }
}

/** GELU(x) = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel 2016), the exact form PyTorch uses. */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}
