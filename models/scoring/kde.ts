// The ILTM KDE map (methods.md §6): at every pixel, a Gaussian kernel density estimate over the n
// intensities the resampled-and-decoded images give it, evaluated at the original intensity. All pixels
// at once: the samples are an [n, P] tensor.
import * as tf from '@tensorflow/tfjs-core';

/** The bandwidth floor eps for intensities normalized to [0, 1] (ILTM: 12.75 on 0..255). */
export const KDE_EPS = 0.05;

/** Silverman's rule h = (4 sigma^5 / 3n)^(1/5) + eps per pixel, sigma the sample standard deviation (n - 1): [n, P] -> [P]. */
export function silvermanBandwidth(samples: tf.Tensor2D, eps: number = KDE_EPS): tf.Tensor1D {
  return tf.tidy(() => {
    const n = samples.shape[0];
    const variance = tf.div(tf.sum(tf.square(tf.sub(samples, tf.mean(samples, 0))), 0), Math.max(n - 1, 1));
    const sigma5 = tf.pow(variance, 2.5); // sigma^5
    return tf.add(tf.pow(tf.mul(sigma5, 4 / (3 * n)), 0.2), eps) as tf.Tensor1D;
  });
}

/**
 * anomaly(p) = -log f_h(x(p)), f_h(x) = 1 / (n h sqrt(2 pi)) sum_i exp(-(x - x_i)^2 / 2h^2), with the
 * Silverman bandwidth of each pixel: samples [n, P], original intensities x [P] -> [P].
 */
export function kdeAnomaly(samples: tf.Tensor2D, x: tf.Tensor1D, eps: number = KDE_EPS): tf.Tensor1D {
  return tf.tidy(() => {
    const n = samples.shape[0];
    const h = silvermanBandwidth(samples, eps);
    const exponents = tf.div(tf.neg(tf.square(tf.sub(x, samples))), tf.mul(2, tf.square(h))); // [n, P]
    const logDensity = tf.sub(tf.logSumExp(exponents, 0), tf.log(tf.mul(h, n * Math.sqrt(2 * Math.PI))));
    return tf.neg(logDensity) as tf.Tensor1D;
  });
}
