// The reconstruction term of the VQ-VAE loss (methods.md §1): L1 (LSGS, LSR, MONAI) or the negative
// log-likelihood of a continuous Bernoulli distribution (Loaiza-Ganem & Cunningham 2019; Gangloff et al.).
import * as tf from '@tensorflow/tfjs-core';
import type { ReconstructionLoss } from './config';

/** Below this |1 - 2 lambda| the normalizer uses its Taylor series, where the closed form is 0 / 0. */
const TAYLOR_BELOW = 0.05;
/** Decoder outputs are kept in [CLAMP, 1 - CLAMP] so that the logs stay finite. */
const CLAMP = 1e-5;

/** 1 where |u| < TAYLOR_BELOW, else 0; outside the gradient (comparisons have none in tfjs). */
const seriesMask = tf.customGrad((u) => ({
  value: tf.cast(tf.less(tf.abs(u as tf.Tensor), TAYLOR_BELOW), 'float32'),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * log C(lambda), C(lambda) = 2 artanh(1 - 2 lambda) / (1 - 2 lambda) for lambda != 1/2 and C(1/2) = 2
 * (Loaiza-Ganem & Cunningham 2019, eq. 7). Near 1/2 it uses artanh(u)/u = 1 + u^2/3 + u^4/5 + u^6/7 (error < u^8/9).
 */
export function continuousBernoulliLogNormalizer(lambda: tf.Tensor): tf.Tensor {
  const u = tf.sub(1, tf.mul(2, lambda));
  const series = seriesMask(u) as tf.Tensor;
  // The closed form sees u = 1/2 where the series is used, so that neither it nor its gradient is 0/0 there.
  const uSafe = tf.add(u, tf.mul(series, tf.sub(0.5, u)));
  const closedForm = tf.div(tf.mul(0.5, tf.sub(tf.log1p(uSafe), tf.log1p(tf.neg(uSafe)))), uSafe); // artanh(u) / u
  const u2 = tf.square(u);
  const seriesForm = tf.add(1, tf.mul(u2, tf.add(1 / 3, tf.mul(u2, tf.add(1 / 5, tf.mul(u2, 1 / 7))))));
  const ratio = tf.add(tf.mul(series, seriesForm), tf.mul(tf.sub(1, series), closedForm));
  return tf.log(tf.mul(2, ratio));
}

/** Mean over pixels of -log p(x | lambda) = -[x log lambda + (1 - x) log(1 - lambda) + log C(lambda)]; lambda is the decoder output. */
export function continuousBernoulliNll(x: tf.Tensor, lambda: tf.Tensor): tf.Scalar {
  const l = tf.clipByValue(lambda, CLAMP, 1 - CLAMP);
  const logLikelihood = tf.addN([tf.mul(x, tf.log(l)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, l))), continuousBernoulliLogNormalizer(l)]);
  return tf.neg(tf.mean(logLikelihood)) as tf.Scalar;
}

/**
 * The mean of the continuous Bernoulli CB(lambda), the image a lambda stands for (Loaiza-Ganem &
 * Cunningham 2019, eq. 8): lambda / (2 lambda - 1) + 1 / (2 artanh(1 - 2 lambda)), and 1/2 at lambda = 1/2;
 * near 1/2 its series 1/2 - u/6 - 2u^3/45 in u = 1 - 2 lambda (error < u^5/20).
 */
export function continuousBernoulliMean(lambda: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const l = tf.clipByValue(lambda, CLAMP, 1 - CLAMP);
    const u = tf.sub(1, tf.mul(2, l));
    const series = tf.less(tf.abs(u), TAYLOR_BELOW);
    const uSafe = tf.where(series, tf.fill(u.shape, 0.5), u); // the closed form is 0/0 at u = 0
    const artanh = tf.mul(0.5, tf.sub(tf.log1p(uSafe), tf.log1p(tf.neg(uSafe))));
    const closedForm = tf.add(tf.div(tf.sub(1, uSafe), tf.mul(-2, uSafe)), tf.div(1, tf.mul(2, artanh)));
    const seriesForm = tf.sub(0.5, tf.add(tf.div(u, 6), tf.mul(2 / 45, tf.pow(u, 3))));
    return tf.where(series, seriesForm, closedForm);
  });
}

/** The image a decoder output stands for: itself with the L1 loss, the continuous-Bernoulli mean with that likelihood. */
export function decodedImage(kind: ReconstructionLoss, decoded: tf.Tensor4D): tf.Tensor4D {
  return kind === 'l1' ? decoded : (continuousBernoulliMean(decoded) as tf.Tensor4D);
}

/** Mean |x - x̂| over pixels. */
export function l1Loss(x: tf.Tensor, reconstruction: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(x, reconstruction))) as tf.Scalar;
}

export function reconstructionLoss(kind: ReconstructionLoss, x: tf.Tensor, reconstruction: tf.Tensor): tf.Scalar {
  return kind === 'l1' ? l1Loss(x, reconstruction) : continuousBernoulliNll(x, reconstruction);
}
