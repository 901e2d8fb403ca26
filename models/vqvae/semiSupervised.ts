// The anomalous term of the semi-supervised VQ-VAE (ss-VQ-VAE, Sharma et al.; methods.md §3):
//   loss = eta L_normal(X) + (1 - eta) L_anomalous(Y)
// The paper does not give L_anomalous. The form chosen here is a bounded hinge on the quantization
// distance of the labelled anomalies' encodings, averaged over latent positions:
//   L_anomalous(Y) = mean over positions of max(0, m - ||E(y) - sg[Q(E(y))]||^2)
// It pushes the encoder to map anomalies at least m (squared distance) away from every code, then stops
// (bounded: an anomaly already far away adds nothing). The codebook is behind a stop-gradient, so that
// only the normal data place the codes. The anomaly score of ss-VQ-VAE is that quantization distance,
// ||E(u) - Q(E(u))||^2, per latent position and averaged per image (the alignment map).
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stopGradient';

/** mean max(0, margin - ||z_e - sg[z_q]||^2) over latent positions; z_e, z_q [B, h, w, D]. */
export function anomalousHingeLoss(zE: tf.Tensor4D, zQ: tf.Tensor4D, margin: number): tf.Scalar {
  const distance = tf.sum(tf.squaredDifference(zE, stopGradient(zQ)), -1);
  return tf.mean(tf.relu(tf.sub(margin, distance))) as tf.Scalar;
}

/** eta L_normal + (1 - eta) L_anomalous. */
export function semiSupervisedLoss(normal: tf.Scalar, anomalous: tf.Scalar, eta: number): tf.Scalar {
  return tf.add(tf.mul(eta, normal), tf.mul(1 - eta, anomalous)) as tf.Scalar;
}
