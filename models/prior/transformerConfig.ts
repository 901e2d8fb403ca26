// Configuration of the latent prior: a transformer over the VQ-VAE's token grid read in raster order
// (methods.md §5). The fields map one to one onto the `vqAnomaly.prior.*` settings and CLI flags.
import { BadInputError } from '../io/errors';

/**
 * 'causal': autoregressive p(s_i | s_<i) (LSR, Pinaya, ILTM); 'bidirectional': full attention,
 * p(s_i | s_{!=i}) (LSGS).
 */
export type PriorAttention = 'causal' | 'bidirectional';

export interface PriorConfig {
  /** Number of distinct tokens: the VQ-VAE's codebook size K. The BOS token gets the extra id K. */
  vocabSize: number;
  /** Tokens per sequence n = h * w, the latent grid read in raster order (y then x). */
  sequenceLength: number;
  /** Width of the residual stream (embedding size). */
  dModel: number;
  layers: number;
  /** Attention heads; dModel must be a multiple of it. */
  heads: number;
  /** Hidden width of each block's MLP. */
  feedForward: number;
  /** Dropout probability on the embeddings, the attention output and the MLP output during training. */
  dropout: number;
  /** Adds a learned linear embedding of the slice position c in [-0.5, 0.5] to every position (LSR §2). */
  conditionOnSlicePosition: boolean;
  attention: PriorAttention;
}

/** What the prior needs to know about the token grid it models. */
export interface TokenGrid {
  /** The VQ-VAE's codebook size K. */
  vocabSize: number;
  /** Side of the square latent grid h = w. */
  latentSize: number;
}

type Architecture = Pick<PriorConfig, 'dModel' | 'layers' | 'heads' | 'feedForward' | 'dropout'>;

/** Small enough to train in minutes on a 2-core CPU with the wasm backend. */
export const CPU_PRIOR_ARCHITECTURE: Architecture = { dModel: 64, layers: 3, heads: 4, feedForward: 256, dropout: 0.1 };

/** Pinaya et al. / MONAI DecoderOnlyTransformer for a 16x16 grid: d 128, 16 layers, 16 heads (methods.md §5). */
export const PINAYA_PRIOR_ARCHITECTURE: Architecture = { dModel: 128, layers: 16, heads: 16, feedForward: 512, dropout: 0.1 };

/** LSGS full-attention transformer: 12 layers, d 768 (BERT-base widths: 12 heads, MLP 3072). */
export const LSGS_PRIOR_ARCHITECTURE: Architecture = { dModel: 768, layers: 12, heads: 12, feedForward: 3072, dropout: 0.1 };

/** A prior configuration for the token grid of a VQ-VAE. */
export function priorConfigFor(
  grid: TokenGrid,
  architecture: Architecture = CPU_PRIOR_ARCHITECTURE,
  options: { attention?: PriorAttention; conditionOnSlicePosition?: boolean } = {},
): PriorConfig {
  return {
    vocabSize: grid.vocabSize,
    sequenceLength: grid.latentSize * grid.latentSize,
    ...architecture,
    conditionOnSlicePosition: options.conditionOnSlicePosition ?? false,
    attention: options.attention ?? 'causal',
  };
}

/**
 * The condition c in [-0.5, 0.5] of a slice at relative position r = z / (depth - 1) in its volume
 * (LSR §2): c = r - 0.5. A 2D image (no position) is the middle, c = 0, as scoring treats it.
 */
export function sliceCondition(position: number | undefined): number {
  return position === undefined ? 0 : position - 0.5;
}

const isPositiveInteger = (v: number): boolean => Number.isInteger(v) && v > 0;

/** Throws BadInputError listing every invalid field of a prior configuration. */
export function validatePriorConfig(config: PriorConfig): void {
  const problems: string[] = [];
  for (const field of ['vocabSize', 'sequenceLength', 'dModel', 'layers', 'heads', 'feedForward'] as const) {
    if (!isPositiveInteger(config[field])) problems.push(`${field} must be a positive integer, got ${config[field]}`);
  }
  if (isPositiveInteger(config.heads) && config.dModel % config.heads !== 0) {
    problems.push(`dModel (${config.dModel}) must be a multiple of heads (${config.heads})`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) problems.push(`dropout must be in [0, 1), got ${config.dropout}`);
  if (typeof config.conditionOnSlicePosition !== 'boolean') problems.push('conditionOnSlicePosition must be true or false');
  if (config.attention !== 'causal' && config.attention !== 'bidirectional') {
    problems.push(`attention must be "causal" or "bidirectional", got ${JSON.stringify(config.attention)}`);
  }
  if (problems.length > 0) throw new BadInputError(`Invalid prior configuration: ${problems.join('; ')}`);
}
