// The VQ-VAE encoder (methods.md §1): L stride-2 convolutions (kernel 4, padding 1) each with a ReLU
// (after a BatchNorm when the configuration asks for it),
// a 3x3 convolution, R residual blocks + ReLU, and a 1x1 convolution to the codebook dimension D.
// [B, S, S, 1] -> z_e [B, S/2^L, S/2^L, D].
import * as tf from '@tensorflow/tfjs-core';
import type { VqVaeConfig } from './config';
import { BatchNorm, Conv2d, normalizedRelu, ResidualStack, type LayerContext } from './layers';

export class Encoder {
  private readonly downsampling: Conv2d[];
  /** One per downsampling convolution when config.batchNorm, else empty. */
  private readonly norms: BatchNorm[];
  private readonly conv: Conv2d;
  private readonly residual: ResidualStack;
  private readonly toLatent: Conv2d;

  constructor(context: LayerContext, config: VqVaeConfig) {
    const { channels } = config;
    this.downsampling = channels.map(
      (outChannels, i) =>
        new Conv2d(context, `encoder/down${i}`, {
          kernelSize: 4,
          inChannels: i === 0 ? 1 : channels[i - 1],
          outChannels,
          stride: 2,
          padding: 1,
          init: 'he',
        }),
    );
    this.norms = config.batchNorm ? channels.map((outChannels, i) => new BatchNorm(context, `encoder/down${i}/batchnorm`, outChannels)) : [];
    const width = channels[channels.length - 1];
    this.conv = new Conv2d(context, 'encoder/conv', { kernelSize: 3, inChannels: width, outChannels: width, stride: 1, padding: 1, init: 'glorot' });
    this.residual = new ResidualStack(context, 'encoder', width, config.residualBlocks);
    this.toLatent = new Conv2d(context, 'encoder/to_latent', {
      kernelSize: 1,
      inChannels: width,
      outChannels: config.codebookDim,
      stride: 1,
      padding: 0,
      init: 'glorot',
    });
  }

  /** `training` selects BatchNorm's batch statistics (and updates its running ones). */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const features = this.downsampling.reduce((h, conv, i) => normalizedRelu(conv.apply(h), this.norms[i], training), x);
    return this.toLatent.apply(this.residual.apply(this.conv.apply(features)));
  }
}
