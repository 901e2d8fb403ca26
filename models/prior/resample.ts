// Resampling flagged tokens from the prior (methods.md §6): the LSR restorations (tokens with
// nll > lambda_p) and the ILTM KDE samplings (tokens with p < t). Several chains of the same sequence run
// as one batch; each flagged position, in raster order, is drawn from the prior given the chain's
// current tokens (multinomial, seeded); unflagged tokens are kept.
//
// Causal prior: a key/value cache (PriorTransformer.forwardIncremental) makes the whole pass cost about
// one forward over the sequence: each call processes only the positions since the previous flagged one,
// up to the next flagged one, whose logits it samples. Bidirectional prior (LSGS): all flagged positions
// are drawn at once from one forward pass, p(s_i | s_!=i) with the other flagged tokens still in the
// context, which is what its training asks of it (predict the tampered 10 % together, methods.md §5).
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '../vqvae/seededRandom';
import type { KeyValueCache } from './attention';
import type { PriorTransformer } from './transformer';

export interface ResampleOptions {
  /** Number of chains (restorations / samplings), run as one batch. */
  chains: number;
  seed: number;
  /** Slice position c in [-0.5, 0.5], for a prior conditioned on it. */
  condition?: number;
}

/**
 * `chains` copies of `tokens` (one sequence, raster order) with every position where `flagged` is set
 * drawn again from the prior, in raster order: [chains * n] int32, chain after chain.
 */
export function resampleTokens(prior: PriorTransformer, tokens: Int32Array, flagged: ArrayLike<boolean>, opts: ResampleOptions): Int32Array {
  const n = prior.config.sequenceLength;
  if (tokens.length !== n || flagged.length !== n)
    throw new Error(`resampleTokens: expected ${n} tokens and flags, got ${tokens.length} and ${flagged.length}`);
  const sequences = new Int32Array(opts.chains * n);
  for (let c = 0; c < opts.chains; c++) sequences.set(tokens, c * n);
  const positions = Array.from({ length: n }, (_, i) => i).filter((i) => flagged[i]);
  const random = new SeededRandom(opts.seed, 'resample');
  const condition = opts.condition === undefined ? undefined : (tf.fill([opts.chains], opts.condition) as tf.Tensor1D);
  try {
    if (prior.config.attention === 'causal') resampleInOrder(prior, sequences, positions, opts.chains, random, condition);
    else resampleAtOnce(prior, sequences, positions, opts.chains, random, condition);
    return sequences;
  } finally {
    condition?.dispose();
  }
}

/** The causal prior: each flagged position in raster order, given the tokens drawn before it. */
function resampleInOrder(
  prior: PriorTransformer,
  sequences: Int32Array,
  positions: number[],
  chains: number,
  random: SeededRandom,
  condition?: tf.Tensor1D,
): void {
  const n = prior.config.sequenceLength;
  const sampler = causalSampler(prior, sequences, chains, condition);
  try {
    for (const i of positions) {
      const logits = sampler.logitsAt(i); // outside a tidy: the sampler keeps its cache
      const drawn = tf.tidy(() => tf.multinomial(logits, 1, random.int(2 ** 31)).dataSync());
      logits.dispose();
      for (let c = 0; c < chains; c++) sequences[c * n + i] = drawn[c];
    }
  } finally {
    sampler.dispose();
  }
}

/** The bidirectional prior: every flagged position drawn from one forward pass over the current tokens. */
function resampleAtOnce(
  prior: PriorTransformer,
  sequences: Int32Array,
  positions: number[],
  chains: number,
  random: SeededRandom,
  condition?: tf.Tensor1D,
): void {
  if (positions.length === 0) return;
  const n = prior.config.sequenceLength;
  const drawn = tf.tidy(() => {
    const logits = prior.forward(tf.tensor2d(sequences, [chains, n], 'int32'), { condition }); // [chains, n, V]
    const atFlagged = tf.gather(logits, tf.tensor1d(positions, 'int32'), 1); // [chains, P, V]
    return tf.multinomial(tf.reshape(atFlagged, [chains * positions.length, -1]) as tf.Tensor2D, 1, random.int(2 ** 31)).dataSync();
  });
  for (let c = 0; c < chains; c++) positions.forEach((i, k) => (sequences[c * n + i] = drawn[c * positions.length + k]));
}

/** Gives the logits [chains, V] of position i given the current `sequences`, for increasing i. */
interface Sampler {
  logitsAt(i: number): tf.Tensor2D;
  dispose(): void;
}

/** The causal prior with a key/value cache: runs the positions since the last call up to i. */
function causalSampler(prior: PriorTransformer, sequences: Int32Array, chains: number, condition?: tf.Tensor1D): Sampler {
  const n = prior.config.sequenceLength;
  let cache: KeyValueCache[] | null = null;
  let processed = 0; // positions whose keys and values are cached
  const release = () => cache?.forEach((layer) => tf.dispose([layer.keys, layer.values]));
  return {
    logitsAt(i) {
      // The input at position p is s_{p-1} (BOS at 0): the tokens before i are final by now.
      const length = i + 1 - processed;
      const inputs = new Int32Array(chains * length);
      for (let c = 0; c < chains; c++) {
        for (let p = processed; p <= i; p++) inputs[c * length + p - processed] = p === 0 ? prior.bosToken : sequences[c * n + p - 1];
      }
      const step = tf.tidy(() => {
        const out = prior.forwardIncremental(tf.tensor2d(inputs, [chains, length], 'int32'), processed, cache, condition);
        const last = tf.reshape(tf.slice(out.logits, [0, length - 1, 0], [chains, 1, prior.config.vocabSize]), [chains, -1]) as tf.Tensor2D;
        return { last, cache: out.cache };
      });
      release();
      cache = step.cache;
      processed = i + 1;
      return step.last;
    },
    dispose: release,
  };
}
