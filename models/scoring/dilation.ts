// Grey dilation (morphological max filter) of maps, [B, H, W, C] tensors: Gangloff et al. §II-C dilate
// the upsampled alignment map to emphasize its markers (methods.md §4).

import * as tf from '@tensorflow/tfjs-core';

/**
 * (f ⊕ B)(p) = max of f over the size x size square B centred on p ('same' size). Pixels outside the
 * image are ignored (tfjs' maxPool pads with -Infinity), which equals scipy.ndimage.grey_dilation's
 * default 'reflect' border: a mirrored pixel is always inside the window already. Size 1 leaves the map as it is.
 */
export function greyDilation(map: tf.Tensor4D, size: number): tf.Tensor4D {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`greyDilation: the size must be an odd positive integer (the square is centred on each pixel), got ${size}`);
  }
  return tf.maxPool(map, size, 1, 'same');
}
