// The latent prior (methods.md §5): a decoder-only transformer over the VQ-VAE token sequence s (the
// latent grid in raster order), in the pre-LayerNorm form of GPT-2 / MONAI's DecoderOnlyTransformer.
//
// causal (LSR, Pinaya, ILTM): the input is [BOS, s_0 .. s_{n-2}] and the logits at position i give
// p(s_i | s_<i): position i sees inputs 0..i, i.e. BOS and s_0..s_{i-1}.
// bidirectional (LSGS): the input is s itself with full attention; the logits at i give p(s_i | s).
//
// Slice-position conditioning (LSR §2): c in [-0.5, 0.5] enters as c * w_c, a learned vector w_c added to
// the embedding of every position, so that one 2D prior serves every slice of a volume.
//
// forward() creates tensors: call it inside tf.tidy (or an optimizer's minimize) and keep what you need.
import * as tf from '@tensorflow/tfjs-core';
import { uniform } from '../vqvae/initializers';
import { SeededRandom } from '../vqvae/seededRandom';
import { WeightRegistry } from '../vqvae/weightRegistry';
import type { LayerContext } from '../vqvae/layers';
import { attentionMask, MultiHeadSelfAttention, type KeyValueCache } from './attention';
import { Embedding, gelu, LayerNorm, Linear } from './layers';
import { validatePriorConfig, type PriorConfig } from './transformerConfig';

export interface PriorForwardOptions {
  /**
   * [B, n], 1 = keep, 0 = masked (ILTM §3.2): the key of a masked token gets -inf before the softmax, so
   * no position attends to it. Its input slot also reads BOS instead of the token (in causal mode token
   * s_j is the input at position j + 1, whose logits would otherwise still read it), so a masked token
   * has no influence on any logit.
   */
  keyMask?: tf.Tensor2D;
  /** Slice position c in [-0.5, 0.5] per sequence, [B]; required exactly when the config conditions on it. */
  condition?: tf.Tensor1D;
  /** Applies dropout. */
  training?: boolean;
}

/** x + MHSA(LN(x)), then x + MLP(LN(x)), MLP = Linear -> GELU -> Linear (pre-LN block, Xiong et al. 2020). */
class TransformerBlock {
  private readonly attentionNorm: LayerNorm;
  private readonly attention: MultiHeadSelfAttention;
  private readonly mlpNorm: LayerNorm;
  private readonly mlpIn: Linear;
  private readonly mlpOut: Linear;

  constructor(context: LayerContext, name: string, config: PriorConfig) {
    this.attentionNorm = new LayerNorm(context, `${name}/attentionNorm`, config.dModel);
    this.attention = new MultiHeadSelfAttention(context, `${name}/attention`, config.dModel, config.heads);
    this.mlpNorm = new LayerNorm(context, `${name}/mlpNorm`, config.dModel);
    this.mlpIn = new Linear(context, `${name}/mlpIn`, config.dModel, config.feedForward);
    this.mlpOut = new Linear(context, `${name}/mlpOut`, config.feedForward, config.dModel);
  }

  apply(x: tf.Tensor3D, mask: tf.Tensor4D | null, dropout: (h: tf.Tensor3D) => tf.Tensor3D): tf.Tensor3D {
    const afterAttention = tf.add(x, dropout(this.attention.apply(this.attentionNorm.apply(x), mask))) as tf.Tensor3D;
    return this.addMlp(afterAttention, dropout);
  }

  /** The block on a chunk of new positions, attending causally to the cached ones (no dropout). */
  applyIncremental(x: tf.Tensor3D, past: KeyValueCache | null): { output: tf.Tensor3D; cache: KeyValueCache } {
    const { output, cache } = this.attention.applyIncremental(this.attentionNorm.apply(x), past);
    return { output: this.addMlp(tf.add(x, output), (h) => h), cache };
  }

  private addMlp(x: tf.Tensor3D, dropout: (h: tf.Tensor3D) => tf.Tensor3D): tf.Tensor3D {
    const mlp = this.mlpOut.apply(gelu(this.mlpIn.apply(this.mlpNorm.apply(x))));
    return tf.add(x, dropout(mlp));
  }
}

export class PriorTransformer {
  private constructor(
    readonly config: PriorConfig,
    private readonly registry: WeightRegistry,
    private readonly tokenEmbedding: Embedding,
    private readonly positionEmbedding: Embedding,
    private readonly conditionWeight: tf.Variable | null,
    private readonly blocks: TransformerBlock[],
    private readonly finalNorm: LayerNorm,
    private readonly head: Linear,
    private readonly dropoutRandom: SeededRandom,
  ) {}

  /** A new prior with weights drawn from `seed`; throws BadInputError on an invalid configuration. */
  static create(config: PriorConfig, seed: number): PriorTransformer {
    validatePriorConfig(config);
    const context: LayerContext = { registry: new WeightRegistry(), random: new SeededRandom(seed, 'prior-init') };
    const { vocabSize, sequenceLength, dModel } = config;
    const tokenEmbedding = new Embedding(context, 'prior/tokenEmbedding', vocabSize + 1, dModel); // + 1: BOS
    const positionEmbedding = new Embedding(context, 'prior/positionEmbedding', sequenceLength, dModel);
    const conditionWeight = config.conditionOnSlicePosition ? context.registry.add('prior/conditionWeight', uniform([dModel], 0.05, context.random)) : null;
    const blocks = Array.from({ length: config.layers }, (_, i) => new TransformerBlock(context, `prior/block${i}`, config));
    const finalNorm = new LayerNorm(context, 'prior/finalNorm', dModel);
    const head = new Linear(context, 'prior/head', dModel, vocabSize);
    return new PriorTransformer(
      { ...config },
      context.registry,
      tokenEmbedding,
      positionEmbedding,
      conditionWeight,
      blocks,
      finalNorm,
      head,
      new SeededRandom(seed, 'prior-dropout'),
    );
  }

  /** The id of the begin-of-sequence token: one past the codebook. */
  get bosToken(): number {
    return this.config.vocabSize;
  }

  /** tokens int32 [B, n] (n <= sequenceLength) -> logits [B, n, vocabSize]; see the file comment for what position i predicts. */
  forward(tokens: tf.Tensor2D, opts: PriorForwardOptions = {}): tf.Tensor3D {
    const [batch, length] = tokens.shape;
    this.checkInputs(tokens, opts);
    const causal = this.config.attention === 'causal';
    const visible = opts.keyMask ? tf.where(tf.cast(opts.keyMask, 'bool'), tokens, tf.fill([batch, length], this.bosToken, 'int32')) : tokens;
    const input = causal ? this.shiftRight(visible as tf.Tensor2D) : visible;
    const keyKeep = opts.keyMask && causal ? this.shiftRight(opts.keyMask, 1) : opts.keyMask;
    const mask = attentionMask(length, causal, keyKeep);

    const dropout = opts.training && this.config.dropout > 0 ? (h: tf.Tensor3D) => this.dropout(h) : (h: tf.Tensor3D) => h;
    let x = dropout(this.embed(input as tf.Tensor2D, 0, opts.condition));
    for (const block of this.blocks) x = block.apply(x, mask, dropout);
    return this.head.apply(this.finalNorm.apply(x));
  }

  /**
   * Causal prior only, for sampling: the logits of the m positions start..start+m-1 given their input
   * tokens `inputs` [B, m] (the input at position p is s_{p-1}, BOS at p = 0) and the keys and values
   * of positions 0..start-1 cached by earlier calls (null when start = 0). Equal to forward()'s logits
   * at those positions; returns the cache extended to start + m positions. No dropout, no key mask.
   */
  forwardIncremental(
    inputs: tf.Tensor2D,
    start: number,
    past: KeyValueCache[] | null,
    condition?: tf.Tensor1D,
  ): { logits: tf.Tensor3D; cache: KeyValueCache[] } {
    if (this.config.attention !== 'causal') throw new Error('PriorTransformer.forwardIncremental: only the causal prior samples position by position');
    if (start + inputs.shape[1] > this.config.sequenceLength)
      throw new Error(`PriorTransformer.forwardIncremental: positions ${start}..${start + inputs.shape[1] - 1} exceed ${this.config.sequenceLength}`);
    this.checkInputs(inputs, { condition });
    let x = this.embed(inputs, start, condition);
    const cache = this.blocks.map((block, i) => {
      const step = block.applyIncremental(x, past ? past[i] : null);
      x = step.output;
      return step.cache;
    });
    return { logits: this.head.apply(this.finalNorm.apply(x)), cache };
  }

  /** Token embeddings of the input ids [B, m] plus the position embeddings of positions start..start+m-1 (plus c * w_c). */
  private embed(input: tf.Tensor2D, start: number, condition?: tf.Tensor1D): tf.Tensor3D {
    const [batch, length] = input.shape;
    const positionVectors = tf.slice(this.positionEmbedding.table, [start, 0], [length, this.config.dModel]);
    const x = tf.add(this.tokenEmbedding.lookup(input), positionVectors) as tf.Tensor3D;
    if (this.conditionWeight === null || condition === undefined) return x;
    return tf.add(x, tf.mul(tf.reshape(condition, [batch, 1, 1]), this.conditionWeight));
  }

  trainableVariables(): tf.Variable[] {
    return this.registry.variables();
  }

  /** The live weights by stable name ('prior/block0/attention/query/kernel', ...); do not dispose them. */
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

  /** [B, n] -> [first, t_0 .. t_{n-2}]: drops the last column and puts `first` (default BOS) in front. */
  private shiftRight(t: tf.Tensor2D, first: number = this.bosToken): tf.Tensor2D {
    const [batch, length] = t.shape;
    return tf.concat([tf.fill([batch, 1], first, t.dtype), tf.slice(t, [0, 0], [batch, length - 1])], 1);
  }

  private checkInputs(tokens: tf.Tensor2D, opts: PriorForwardOptions): void {
    const [batch, length] = tokens.shape;
    const problems: string[] = [];
    if (tokens.dtype !== 'int32') problems.push(`tokens must be int32, got ${tokens.dtype}`);
    if (length < 1 || length > this.config.sequenceLength) problems.push(`tokens have length ${length}, the prior models 1..${this.config.sequenceLength}`);
    if (opts.keyMask && !tf.util.arraysEqual(opts.keyMask.shape, tokens.shape)) {
      problems.push(`keyMask has shape [${opts.keyMask.shape}], tokens [${tokens.shape}]`);
    }
    if (this.config.conditionOnSlicePosition !== (opts.condition !== undefined)) {
      problems.push(
        this.config.conditionOnSlicePosition ? 'this prior needs the slice position (condition)' : 'this prior takes no slice position (condition)',
      );
    } else if (opts.condition && opts.condition.shape[0] !== batch) {
      problems.push(`condition has ${opts.condition.shape[0]} values for ${batch} sequences`);
    }
    if (problems.length > 0) throw new Error(`PriorTransformer.forward: ${problems.join('; ')}`);
  }

  private dropout(h: tf.Tensor3D): tf.Tensor3D {
    return tf.dropout(h, this.config.dropout, undefined, this.dropoutRandom.int(2 ** 31)) as tf.Tensor3D;
  }
}
