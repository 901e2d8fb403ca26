// The VQ-VAE decoder, the encoder's mirror (methods.md §1): a 3x3 convolution from D, R residual blocks
// + ReLU, and L transposed convolutions (kernel 4, stride 2, padding 1), each with a ReLU (after a
// BatchNorm when the configuration asks for it) except the
// last, which outputs one channel through a sigmoid (inputs are in [0, 1]). Dropout (LSR) is applied to
// the input of every transposed convolution when the caller asks for it.
// z_q [B, h, w, D] -> [B, h·2^L, w·2^L, 1].
import * as tf from '@tensorflow/tfjs-core';
import type { VqVaeConfig } from './config';
import { BatchNorm, Conv2d, Conv2dTranspose, normalizedRelu, ResidualStack, type LayerContext } from './layers';

/** Applied to the decoder's hidden activations: dropout, or the identity. */
export type Dropout = (h: tf.Tensor4D) => tf.Tensor4D;

export class Decoder {
  private readonly fromLatent: Conv2d;
  private readonly residual: ResidualStack;
  private readonly upsampling: Conv2dTranspose[];
  /** One per hidden transposed convolution (all but the last) when config.batchNorm, else empty. */
  private readonly norms: BatchNorm[];

  constructor(context: LayerContext, config: VqVaeConfig) {
    const { channels } = config;
    const width = channels[channels.length - 1];
    this.fromLatent = new Conv2d(context, 'decoder/from_latent', {
      kernelSize: 3,
      inChannels: config.codebookDim,
      outChannels: width,
      stride: 1,
      padding: 1,
      init: 'glorot',
    });
    this.residual = new ResidualStack(context, 'decoder', width, config.residualBlocks);
    // Encoder widths in reverse: channels[L-1] -> channels[L-2] -> ... -> channels[0] -> 1.
    const widths = [...channels].reverse().concat(1);
    this.upsampling = widths.slice(1).map((outChannels, i) => {
      const last = i === channels.length - 1;
      return new Conv2dTranspose(context, `decoder/up${i}`, {
        kernelSize: 4,
        inChannels: widths[i],
        outChannels,
        stride: 2,
        padding: 1,
        init: last ? 'glorot' : 'he',
      });
    });
    const hidden = widths.slice(1, -1);
    this.norms = config.batchNorm ? hidden.map((outChannels, i) => new BatchNorm(context, `decoder/up${i}/batchnorm`, outChannels)) : [];
  }

  /** `training` selects BatchNorm's batch statistics (and updates its running ones). */
  apply(zQ: tf.Tensor4D, dropout: Dropout, training: boolean): tf.Tensor4D {
    let h = this.residual.apply(this.fromLatent.apply(zQ));
    this.upsampling.forEach((up, i) => {
      h = up.apply(dropout(h));
      if (i < this.upsampling.length - 1) h = normalizedRelu(h, this.norms[i], training);
    });
    return tf.sigmoid(h);
  }
}
