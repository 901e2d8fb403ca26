// sg[x], the stop-gradient operator of the VQ-VAE loss (van den Oord et al. 2017, §3.2): identity in the
// forward pass, zero gradient in the backward pass. tfjs has no such op, so it is a custom gradient.
import * as tf from '@tensorflow/tfjs-core';

const stopGradientOp = tf.customGrad((x) => ({
  value: (x as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** sg[x]: the value of x, through which no gradient flows. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}
