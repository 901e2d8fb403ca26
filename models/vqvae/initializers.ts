// Initial values of the weights, drawn from a seeded generator so that a seed fixes the whole model.
import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from './seededRandom';

/** Which initial distribution a kernel gets. */
export type KernelInit = 'he' | 'glorot';

function filled(shape: number[], draw: () => number): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return tf.tensor(values, shape);
}

/** U(-limit, limit) in every entry. */
export function uniform(shape: number[], limit: number, random: SeededRandom): tf.Tensor {
  return filled(shape, () => (2 * random.next() - 1) * limit);
}

/** He normal N(0, 2 / fanIn), for kernels followed by a ReLU (He et al. 2015, §2.2). */
export function heNormal(shape: number[], fanIn: number, random: SeededRandom): tf.Tensor {
  const std = Math.sqrt(2 / fanIn);
  return filled(shape, () => std * random.normal());
}

/** Glorot uniform U(-l, l), l = sqrt(6 / (fanIn + fanOut)), for linear outputs (Glorot & Bengio 2010, eq. 16). */
export function glorotUniform(shape: number[], fanIn: number, fanOut: number, random: SeededRandom): tf.Tensor {
  return uniform(shape, Math.sqrt(6 / (fanIn + fanOut)), random);
}

/** A kernel's initial value by the chosen rule. */
export function initialKernel(init: KernelInit, shape: number[], fanIn: number, fanOut: number, random: SeededRandom): tf.Tensor {
  return init === 'he' ? heNormal(shape, fanIn, random) : glorotUniform(shape, fanIn, fanOut, random);
}
