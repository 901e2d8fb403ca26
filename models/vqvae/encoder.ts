// The VQ-VAE encoder (methods.md §1): L stride-2 convolutions (kernel 4, padding 1) each with a ReLU,
// a 3x3 convolution, R residual blocks + ReLU, and a 1x1 convolution to the codebook dimension D.
// [B, S, S, 1] -> z_e [B, S/2^L, S/2^L, D].
import * as tf from '@tensorflow/tfjs-core';
import type { VqVaeConfig } from './config';
import { Conv2d, ResidualStack, type LayerContext } from './layers';

export class Encoder {
  private readonly downsampling: Conv2d[];
  private readonly conv: Conv2d;
  private readonly residual: ResidualStack;
  private readonly toLatent: Conv2d;

  constructor(context: LayerContext, config: VqVaeConfig) {
    const { channels } = config;
    this.downsampling = channels.map(
      (outChannels, i) =>
        new Conv2d(context, `encoder/down${i}`, {
          kernelSize: 4, inChannels: i === 0 ? 1 : channels[i - 1], outChannels, stride: 2, padding: 1, init: 'he',
        }),
    );
    const width = channels[channels.length - 1];
    this.conv = new Conv2d(context, 'encoder/conv', { kernelSize: 3, inChannels: width, outChannels: width, stride: 1, padding: 1, init: 'glorot' });
    this.residual = new ResidualStack(context, 'encoder', width, config.residualBlocks);
    this.toLatent = new Conv2d(context, 'encoder/to_latent', {
      kernelSize: 1, inChannels: width, outChannels: config.codebookDim, stride: 1, padding: 0, init: 'glorot',
    });
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const features = this.downsampling.reduce((h, conv) => tf.relu(conv.apply(h)), x);
    return this.toLatent.apply(this.residual.apply(this.conv.apply(features)));
  }
}
