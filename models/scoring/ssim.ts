// Structural similarity (SSIM, Wang et al. 2004) per pixel between an image and its reconstruction:
// the SM anomaly map of Gangloff et al. §II-B (methods.md §4). Tensors are [B, H, W, 1].
//
// Window: uniform (box) w x w, default 7 x 7. The authors' public code (github.com/HGangloff/vae_grf,
// their later VAE work; the VQ-VAE code is not public) computes SSIM with skimage's
// structural_similarity, whose window is uniform (gaussian_weights=False; win_size 15 on 256 x 256
// MVTec images, 7 by default). At the small 64 x 64 model size a 7 x 7 window already spans 11 % of the
// side; the 11 x 11 Gaussian (sigma 1.5) of Wang et al. would blur small defects further.
// As in skimage, variances and covariance are unbiased sample estimates (times w^2 / (w^2 - 1)) and the
// border is mirrored with the edge pixel repeated (scipy's "reflect": c b a | a b c), so this map equals
// skimage's `full` SSIM image.

import * as tf from '@tensorflow/tfjs-core';

export interface SsimOptions {
  /** Side w of the square uniform window, in pixels (odd, at least 3). */
  windowSize: number;
  /** Dynamic range L of the intensities: 1 for images in [0, 1]. */
  dataRange: number;
}

export const DEFAULT_SSIM_OPTIONS: SsimOptions = { windowSize: 7, dataRange: 1 };

/**
 * SSIM(x, y) = ((2 mu_x mu_y + c1)(2 sigma_xy + c2)) / ((mu_x^2 + mu_y^2 + c1)(sigma_x^2 + sigma_y^2 + c2)),
 * c1 = (0.01 L)^2, c2 = (0.03 L)^2, with the statistics over the window around each pixel (Wang et al. eq. 13).
 */
export function ssimMap(x: tf.Tensor4D, y: tf.Tensor4D, options: SsimOptions = DEFAULT_SSIM_OPTIONS): tf.Tensor4D {
  const { windowSize, dataRange } = options;
  checkInputs(x, y, windowSize);
  return tf.tidy(() => {
    const radius = (windowSize - 1) / 2;
    const c1 = (0.01 * dataRange) ** 2;
    const c2 = (0.03 * dataRange) ** 2;
    const pixelsInWindow = windowSize * windowSize;
    const sampleCorrection = pixelsInWindow / (pixelsInWindow - 1);

    // The five local means E[x], E[y], E[x^2], E[y^2], E[xy], one pooling each (on wasm, concatenating and
    // splitting them along the channels took 20 times longer than the pooling).
    const localMean = (t: tf.Tensor4D) =>
      tf.avgPool(
        tf.mirrorPad(
          t,
          [
            [0, 0],
            [radius, radius],
            [radius, radius],
            [0, 0],
          ],
          'symmetric',
        ),
        windowSize,
        1,
        'valid',
      );
    const [meanX, meanY, meanXX, meanYY, meanXY] = [x, y, tf.mul(x, x), tf.mul(y, y), tf.mul(x, y)].map((t) => localMean(t as tf.Tensor4D));

    const varianceX = tf.mul(sampleCorrection, tf.sub(meanXX, tf.mul(meanX, meanX)));
    const varianceY = tf.mul(sampleCorrection, tf.sub(meanYY, tf.mul(meanY, meanY)));
    const covariance = tf.mul(sampleCorrection, tf.sub(meanXY, tf.mul(meanX, meanY)));

    const numerator = tf.mul(tf.add(tf.mul(2, tf.mul(meanX, meanY)), c1), tf.add(tf.mul(2, covariance), c2));
    const denominator = tf.mul(tf.add(tf.add(tf.mul(meanX, meanX), tf.mul(meanY, meanY)), c1), tf.add(tf.add(varianceX, varianceY), c2));
    return tf.div(numerator, denominator) as tf.Tensor4D;
  });
}

/** The SSIM anomaly map 1 - SSIM(x, x̂) (Gangloff et al. §II-B): 0 where the structure is reproduced, up to 2. */
export function ssimAnomalyMap(x: tf.Tensor4D, reconstruction: tf.Tensor4D, options: SsimOptions = DEFAULT_SSIM_OPTIONS): tf.Tensor4D {
  return tf.tidy(() => tf.sub(1, ssimMap(x, reconstruction, options)));
}

function checkInputs(x: tf.Tensor4D, y: tf.Tensor4D, windowSize: number): void {
  if (!tf.util.arraysEqual(x.shape, y.shape) || x.shape[3] !== 1) {
    throw new Error(`ssimMap: the images must both be [B, H, W, 1], got [${x.shape}] and [${y.shape}]`);
  }
  if (!Number.isInteger(windowSize) || windowSize < 3 || windowSize % 2 === 0) {
    throw new Error(`ssimMap: the window size must be an odd integer of at least 3, got ${windowSize}`);
  }
  const radius = (windowSize - 1) / 2;
  if (x.shape[1] < radius || x.shape[2] < radius) {
    throw new Error(`ssimMap: a ${windowSize} x ${windowSize} window needs images of at least ${radius} x ${radius} pixels, got ${x.shape[2]} x ${x.shape[1]}`);
  }
}
