// The VQ-VAE backbone shared by every method (methods.md §1; van den Oord et al. 2017): encoder, vector
// quantizer with a learned codebook, decoder. forward() and loss() create tensors: call them inside
// tf.tidy (or an optimizer's minimize) and keep what you need.
import * as tf from '@tensorflow/tfjs-core';
import { resolveVqVaeConfig, type ResolvedVqVaeConfig, type VqVaeConfig } from './config';
import { Decoder, type Dropout } from './decoder';
import { emaCodebookStep } from './emaCodebook';
import { Encoder } from './encoder';
import { uniform } from './initializers';
import { codebookLoss, commitmentLoss, lookupCodes, quantizeGrid, straightThrough } from './quantizer';
import { decodedImage, reconstructionLoss } from './reconstructionLoss';
import { anomalousHingeLoss } from './semiSupervised';
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
  /**
   * reconstruction + codebook + beta * commitment (van den Oord et al. 2017, eq. 3); without the codebook
   * term when the codebook is updated by EMA.
   */
  total: tf.Scalar;
  /** Mean |x - x̂| over pixels, or the mean continuous-Bernoulli NLL (config.reconstructionLoss). */
  reconstruction: tf.Scalar;
  /** Mean ||sg[z_e] - e||^2 (reported also when EMA updates the codebook). */
  codebook: tf.Scalar;
  /** Mean ||z_e - sg[e]||^2, before the weight beta. */
  commitment: tf.Scalar;
}

export class VqVae {
  private constructor(
    /** The configuration with every optional field filled in (what manifests record). */
    readonly config: ResolvedVqVaeConfig,
    private readonly registry: WeightRegistry,
    private readonly encoder: Encoder,
    private readonly codebook: tf.Variable<tf.Rank.R2>,
    /** The EMA averages N_k and m_k (emaCodebook.ts), present when config.codebookUpdate is 'ema'. */
    private readonly ema: { clusterSize: tf.Variable<tf.Rank.R1>; embedSum: tf.Variable<tf.Rank.R2> } | undefined,
    private readonly decoder: Decoder,
    private readonly dropoutRandom: SeededRandom,
  ) {}

  /** A new model with weights drawn from `seed`; throws BadInputError on an invalid configuration. */
  static create(options: VqVaeConfig, seed: number): VqVae {
    validateVqVaeConfig(options);
    const config = resolveVqVaeConfig(options);
    const context = { registry: new WeightRegistry(), random: new SeededRandom(seed, 'init') };
    const encoder = new Encoder(context, config);
    // Codebook initialised U(-1/K, 1/K), as in the VQ-VAE reference implementations.
    const { codebookSize: k, codebookDim: d } = config;
    const byEma = config.codebookUpdate === 'ema';
    const codebook = context.registry.add('quantizer/codebook', uniform([k, d], 1 / k, context.random), !byEma) as tf.Variable<tf.Rank.R2>;
    const ema = byEma
      ? {
          clusterSize: context.registry.add('quantizer/ema_cluster_size', tf.ones([k]), false) as tf.Variable<tf.Rank.R1>,
          embedSum: context.registry.add('quantizer/ema_embed_sum', codebook.clone(), false) as tf.Variable<tf.Rank.R2>,
        }
      : undefined;
    const decoder = new Decoder(context, config);
    return new VqVae(config, context.registry, encoder, codebook, ema, decoder, new SeededRandom(seed, 'dropout'));
  }

  /**
   * Encodes, quantizes and decodes x (values in [0, 1], [B, S, S, 1]). The decoder sees z_q through the
   * straight-through estimator. Decoder dropout is active when `training` or `dropout` is set (ILTM
   * decodes with dropout at inference); each call draws a new dropout mask.
   */
  forward(x: tf.Tensor4D, opts: { training?: boolean; dropout?: boolean } = {}): VqVaeOutput {
    const training = opts.training ?? false;
    const zE = this.encoder.apply(x, training);
    const { zQ, indices, distance } = quantizeGrid(zE, this.codebook);
    const withDropout = (training || opts.dropout) && this.config.dropout > 0;
    const reconstruction = this.decoder.apply(straightThrough(zE, zQ), withDropout ? this.dropout() : (h) => h, training);
    return { reconstruction, zE, zQ, indices, distance };
  }

  /** The code index of every latent position of x ([B, S, S, 1] in [0, 1]), int32 [B, h, w]: the encoder and quantizer only. */
  encode(x: tf.Tensor4D): tf.Tensor3D {
    return quantizeGrid(this.encoder.apply(x, false), this.codebook).indices;
  }

  /**
   * Decodes a grid of code indices (int32 [B, h, w]) into images [B, S, S, 1]: the decoder on e_k, with
   * dropout when `dropout` is set (ILTM's repeated decodes, methods.md §6), as imageOf gives them.
   */
  decodeTokens(indices: tf.Tensor3D, opts: { dropout?: boolean } = {}): tf.Tensor4D {
    const [batch, height, width] = indices.shape;
    const zQ = tf.reshape(lookupCodes(tf.reshape(indices, [-1]) as tf.Tensor1D, this.codebook), [batch, height, width, this.config.codebookDim]) as tf.Tensor4D;
    const withDropout = opts.dropout === true && this.config.dropout > 0;
    return this.imageOf(this.decoder.apply(zQ, withDropout ? this.dropout() : (h) => h, false));
  }

  /** The image a decoder output stands for: the output itself (L1), or the continuous-Bernoulli mean of its lambda. */
  imageOf(decoded: tf.Tensor4D): tf.Tensor4D {
    return decodedImage(this.config.reconstructionLoss, decoded);
  }

  /** The training loss of x and its forward output: reconstruction + codebook (unless EMA) + beta * commitment. */
  loss(x: tf.Tensor4D, out: VqVaeOutput): LossParts {
    const reconstruction = reconstructionLoss(this.config.reconstructionLoss, x, out.reconstruction);
    const codebook = codebookLoss(out.zE, out.zQ);
    const commitment = commitmentLoss(out.zE, out.zQ);
    const terms = [reconstruction, tf.mul(this.config.beta, commitment) as tf.Scalar];
    if (!this.ema) terms.push(codebook);
    return { total: tf.addN(terms) as tf.Scalar, reconstruction, codebook, commitment };
  }

  /** The ss-VQ-VAE term for labelled anomalies (semiSupervised.ts): mean max(0, margin - ||z_e - sg[e]||^2). */
  anomalousLoss(out: VqVaeOutput, margin: number): tf.Scalar {
    return anomalousHingeLoss(out.zE, out.zQ, margin);
  }

  /** One EMA codebook step (emaCodebook.ts) from a training batch's encodings and codes; nothing when the codebook learns by its loss. */
  updateCodebookEma(zE: tf.Tensor4D, indices: tf.Tensor3D): void {
    if (!this.ema) return;
    const { codebookDim: d, emaDecay } = this.config;
    const state = { clusterSize: this.ema.clusterSize, embedSum: this.ema.embedSum };
    const step = tf.tidy(() => emaCodebookStep(state, tf.reshape(zE, [-1, d]) as tf.Tensor2D, tf.reshape(indices, [-1]) as tf.Tensor1D, emaDecay));
    this.ema.clusterSize.assign(step.clusterSize);
    this.ema.embedSum.assign(step.embedSum);
    this.codebook.assign(step.codebook);
    tf.dispose([step.clusterSize, step.embedSum, step.codebook]);
  }

  trainableVariables(): tf.Variable[] {
    return this.registry.variables();
  }

  /** The trainable variables by their stable weight name (what the optimizer's saved state is keyed by). */
  trainableWeights(): Record<string, tf.Variable> {
    return this.registry.trainable();
  }

  /** The state of the dropout-mask generator, saved with a training checkpoint so that a resumed run draws the same masks. */
  get dropoutRandomState(): number {
    return this.dropoutRandom.state;
  }

  set dropoutRandomState(state: number) {
    this.dropoutRandom.state = state;
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
