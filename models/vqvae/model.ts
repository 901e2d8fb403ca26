// The VQ-VAE backbone shared by every method (methods.md §1; van den Oord et al. 2017): encoder, vector
// quantizer with a learned codebook, decoder. forward() and loss() create tensors: call them inside
// tf.tidy (or an optimizer's minimize) and keep what you need.
import * as tf from '@tensorflow/tfjs-core';
import type { VqVaeConfig } from './config';
import { Decoder, type Dropout } from './decoder';
import { Encoder } from './encoder';
import { uniform } from './initializers';
import { codebookLoss, commitmentLoss, quantizeGrid, straightThrough } from './quantizer';
import { SeededRandom } from './seededRandom';
import { validateVqVaeConfig } from './validateConfig';
import { WeightRegistry } from './weightRegistry';

export interface VqVaeOutput {
  /** Decoded image in [0, 1], [B, S, S, 1]. */
  reconstruction: tf.Tensor4D;
  /** Encoder output z_e, [B, h, w, D]. */
  zE: tf.Tensor4D;
  /** Nearest codebook vectors e_k, [B, h, w, D]. */
  zQ: tf.Tensor4D;
  /** Code index k per latent position, int32 [B, h, w]. */
  indices: tf.Tensor3D;
  /** Quantization distance ||z_e - e_k||^2 per latent position, [B, h, w]. */
  distance: tf.Tensor3D;
}

export interface LossParts {
  /** reconstruction + codebook + beta * commitment (van den Oord et al. 2017, eq. 3, with an L1 reconstruction term). */
  total: tf.Scalar;
  /** Mean |x - x̂| over pixels. */
  reconstruction: tf.Scalar;
  /** Mean ||sg[z_e] - e||^2. */
  codebook: tf.Scalar;
  /** Mean ||z_e - sg[e]||^2, before the weight beta. */
  commitment: tf.Scalar;
}

export class VqVae {
  private constructor(
    readonly config: VqVaeConfig,
    private readonly registry: WeightRegistry,
    private readonly encoder: Encoder,
    private readonly codebook: tf.Variable<tf.Rank.R2>,
    private readonly decoder: Decoder,
    private readonly dropoutRandom: SeededRandom,
  ) {}

  /** A new model with weights drawn from `seed`; throws BadInputError on an invalid configuration. */
  static create(config: VqVaeConfig, seed: number): VqVae {
    validateVqVaeConfig(config);
    const context = { registry: new WeightRegistry(), random: new SeededRandom(seed, 'init') };
    const encoder = new Encoder(context, config);
    // Codebook initialised U(-1/K, 1/K), as in the VQ-VAE reference implementations.
    const { codebookSize: k, codebookDim: d } = config;
    const codebook = context.registry.add('quantizer/codebook', uniform([k, d], 1 / k, context.random)) as tf.Variable<tf.Rank.R2>;
    const decoder = new Decoder(context, config);
    return new VqVae({ ...config, channels: [...config.channels] }, context.registry, encoder, codebook, decoder, new SeededRandom(seed, 'dropout'));
  }

  /**
   * Encodes, quantizes and decodes x (values in [0, 1], [B, S, S, 1]). The decoder sees z_q through the
   * straight-through estimator. Decoder dropout is active when `training` or `dropout` is set (ILTM
   * decodes with dropout at inference); each call draws a new dropout mask.
   */
  forward(x: tf.Tensor4D, opts: { training?: boolean; dropout?: boolean } = {}): VqVaeOutput {
    const zE = this.encoder.apply(x);
    const { zQ, indices, distance } = quantizeGrid(zE, this.codebook);
    const withDropout = (opts.training || opts.dropout) && this.config.dropout > 0;
    const reconstruction = this.decoder.apply(straightThrough(zE, zQ), withDropout ? this.dropout() : (h) => h);
    return { reconstruction, zE, zQ, indices, distance };
  }

  /** The training loss of x and its forward output: L1 reconstruction + codebook + beta * commitment. */
  loss(x: tf.Tensor4D, out: VqVaeOutput): LossParts {
    const reconstruction = tf.mean(tf.abs(tf.sub(x, out.reconstruction))) as tf.Scalar;
    const codebook = codebookLoss(out.zE, out.zQ);
    const commitment = commitmentLoss(out.zE, out.zQ);
    const total = tf.addN([reconstruction, codebook, tf.mul(this.config.beta, commitment)]) as tf.Scalar;
    return { total, reconstruction, codebook, commitment };
  }

  trainableVariables(): tf.Variable[] {
    return this.registry.variables();
  }

  /** The model's live weights by stable name ('encoder/down0/kernel', 'quantizer/codebook', ...); do not dispose them. */
  getWeights(): tf.NamedTensorMap {
    return this.registry.named();
  }

  /** Copies weights in; throws "The model does not fit these weights: ..." on a missing, extra or misshaped weight. */
  setWeights(weights: tf.NamedTensorMap): void {
    this.registry.assign(weights);
  }

  dispose(): void {
    this.registry.dispose();
  }

  private dropout(): Dropout {
    return (h) => tf.dropout(h, this.config.dropout, undefined, this.dropoutRandom.int(2 ** 31)) as tf.Tensor4D;
  }
}
