// Multi-head scaled dot-product self-attention (Vaswani et al. 2017, §3.2) with an additive mask that
// says which query position may look at which key position: the causal mask of an autoregressive prior
// and the ILTM key mask of suspected anomalous tokens (ILTM §3.2).
import * as tf from '@tensorflow/tfjs-core';
import { Linear } from './layers';
import type { LayerContext } from '../vqvae/layers';

/**
 * Added to the score of a forbidden (query, key) pair. It stands for -inf: exp(-1e9 - max) is exactly 0
 * in float32, so a forbidden key has no influence at all, but a query with every key forbidden gets
 * uniform weights instead of the NaN that -inf would give.
 */
const FORBIDDEN = -1e9;

/**
 * The additive attention mask [B or 1, 1, n, n]: 0 where query q may attend key k, FORBIDDEN elsewhere.
 * causal: k <= q only. keyKeep ([B, n], 1 = keep, 0 = masked): masked keys are forbidden for every query.
 * Null when nothing is forbidden.
 */
export function attentionMask(length: number, causal: boolean, keyKeep?: tf.Tensor2D): tf.Tensor4D | null {
  if (!causal && keyKeep === undefined) return null;
  return tf.tidy(() => {
    // allowed[q][k] = 1 when k <= q: the lower triangle, band part (-1 below, 0 above the diagonal).
    let allowed: tf.Tensor = causal ? tf.linalg.bandPart(tf.ones([length, length]), -1, 0) : tf.ones([length, length]);
    allowed = tf.reshape(allowed, [1, 1, length, length]);
    if (keyKeep !== undefined) {
      const [batch, keys] = keyKeep.shape;
      allowed = tf.mul(allowed, tf.reshape(tf.cast(keyKeep, 'float32'), [batch, 1, 1, keys]));
    }
    return tf.mul(tf.sub(1, allowed), FORBIDDEN) as tf.Tensor4D;
  });
}

/**
 * The causal mask [1, 1, m, past + m] of a chunk of m new positions that follow `past` cached ones:
 * new position j (absolute past + j) may attend keys 0..past + j.
 */
export function chunkMask(length: number, past: number): tf.Tensor4D {
  return tf.tidy(() => {
    const allowed = tf.linalg.bandPart(tf.ones([length, past + length]), -1, past); // key k - query j <= past
    return tf.reshape(tf.mul(tf.sub(1, allowed), FORBIDDEN), [1, 1, length, past + length]) as tf.Tensor4D;
  });
}

/** The keys and values of the positions already processed, per layer: [B, heads, positions, headWidth] each. */
export type KeyValueCache = { keys: tf.Tensor4D; values: tf.Tensor4D }; // a type, not an interface, so tf.tidy can return it

/** softmax(Q K^T / sqrt(d_head) + mask) V over `heads` heads of width dModel / heads, then a projection. */
export class MultiHeadSelfAttention {
  private readonly query: Linear;
  private readonly key: Linear;
  private readonly value: Linear;
  private readonly output: Linear;
  private readonly headWidth: number;

  constructor(
    context: LayerContext,
    name: string,
    private readonly dModel: number,
    private readonly heads: number,
  ) {
    this.headWidth = dModel / heads;
    this.query = new Linear(context, `${name}/query`, dModel, dModel);
    this.key = new Linear(context, `${name}/key`, dModel, dModel);
    this.value = new Linear(context, `${name}/value`, dModel, dModel);
    this.output = new Linear(context, `${name}/output`, dModel, dModel);
  }

  /** x [B, n, dModel], mask from attentionMask (or null) -> [B, n, dModel]. */
  apply(x: tf.Tensor3D, mask: tf.Tensor4D | null): tf.Tensor3D {
    return this.attend(this.split(this.query.apply(x)), this.split(this.key.apply(x)), this.split(this.value.apply(x)), mask);
  }

  /**
   * Causal attention of a chunk of new positions x [B, m, dModel] over the cached earlier positions and
   * themselves; returns the output and the cache extended by the chunk's keys and values.
   */
  applyIncremental(x: tf.Tensor3D, past: KeyValueCache | null): { output: tf.Tensor3D; cache: KeyValueCache } {
    const newKeys = this.split(this.key.apply(x));
    const newValues = this.split(this.value.apply(x));
    const keys = past ? (tf.concat([past.keys, newKeys], 2) as tf.Tensor4D) : newKeys;
    const values = past ? (tf.concat([past.values, newValues], 2) as tf.Tensor4D) : newValues;
    const mask = chunkMask(x.shape[1], past ? past.keys.shape[2] : 0);
    return { output: this.attend(this.split(this.query.apply(x)), keys, values, mask), cache: { keys, values } };
  }

  /** [B, n, dModel] -> [B, heads, n, headWidth] */
  private split(t: tf.Tensor3D): tf.Tensor4D {
    const [batch, length] = t.shape;
    return tf.transpose(tf.reshape(t, [batch, length, this.heads, this.headWidth]), [0, 2, 1, 3]);
  }

  /** q [B, heads, m, w], k and v [B, heads, keys, w] -> [B, m, dModel]. */
  private attend(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D | null): tf.Tensor3D {
    const [batch, , length] = q.shape;
    let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(this.headWidth)) as tf.Tensor4D;
    if (mask !== null) scores = tf.add(scores, mask);
    const attended = tf.matMul(tf.softmax(scores), v);
    const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [batch, length, this.dModel]) as tf.Tensor3D;
    return this.output.apply(merged);
  }
}
