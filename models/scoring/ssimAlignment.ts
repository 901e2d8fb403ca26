// The combined anomaly map of VQ-VAE SSIM+AM (Gangloff et al. §II-C; methods.md §4): the alignment map
// (quantization distance per latent position) upsampled to the image, grey-dilated, times 1 - SSIM.
// The paper does not normalize either map before the product, and neither does this: the map stays
// comparable between images, so its mean is a meaningful image score.

import * as tf from '@tensorflow/tfjs-core';
import { greyDilation } from './dilation';

/**
 * Side of the dilation square in model pixels. The paper gives no size; 7 spreads each latent marker
 * by about one latent cell on each side at the default 64 x 64 input with a 16 x 16 latent grid (cells
 * of 4 px), so markers of neighbouring anomalous cells merge while the SSIM factor restores the shape.
 */
export const DEFAULT_DILATION_SIZE = 7;

/**
 * SSIM+AM(p) = dilate(upsample(AM))(p) * (1 - SSIM)(p). `ssimAnomaly` is 1 - SSIM, [B, H, W, 1];
 * `distance` is AM = ||sg[z_e] - e_k||^2 on the latent grid, [B, h, w], upsampled bilinearly with
 * half-pixel centres (as the alignment map, maps.ts).
 */
export function ssimAlignmentMap(ssimAnomaly: tf.Tensor4D, distance: tf.Tensor3D, dilationSize = DEFAULT_DILATION_SIZE): tf.Tensor4D {
  const [batch, height, width] = ssimAnomaly.shape;
  if (distance.shape[0] !== batch) {
    throw new Error(`ssimAlignmentMap: ${batch} SSIM maps but ${distance.shape[0]} alignment maps`);
  }
  return tf.tidy(() => {
    const alignment = tf.image.resizeBilinear(tf.expandDims(distance, 3) as tf.Tensor4D, [height, width], false, true);
    return tf.mul(greyDilation(alignment, dilationSize), ssimAnomaly) as tf.Tensor4D;
  });
}
