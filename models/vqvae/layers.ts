// The building blocks of the VQ-VAE, written with tfjs-core ops on tf.Variables (no tfjs-layers):
// 2D convolution, transposed convolution and the residual block. All tensors are NHWC.
//
// Padding: a number p pads p rows/columns on every side, exactly like PyTorch's `padding=p`. With
// kernel 4, stride 2, padding 1 a convolution halves an even size ((S + 2 - 4) / 2 + 1 = S / 2) and the
// transposed convolution doubles it ((S - 1) * 2 - 2 + 4 = 2S).
import * as tf from '@tensorflow/tfjs-core';
import { initialKernel, type KernelInit } from './initializers';
import type { SeededRandom } from './seededRandom';
import type { WeightRegistry } from './weightRegistry';

export interface ConvSpec {
  kernelSize: number;
  inChannels: number;
  outChannels: number;
  stride: number;
  padding: number;
  /** 'he' when a ReLU follows, 'glorot' for a linear output. */
  init: KernelInit;
}

/** Where a layer registers its weights and the seeded generator that draws their initial values. */
export interface LayerContext {
  registry: WeightRegistry;
  random: SeededRandom;
}

/** y = conv2d(x, W, stride, padding) + b; W [k, k, in, out], b [out]. */
export class Conv2d {
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    context: LayerContext,
    name: string,
    private readonly spec: ConvSpec,
  ) {
    const { kernelSize: k, inChannels, outChannels } = spec;
    const kernel = initialKernel(spec.init, [k, k, inChannels, outChannels], k * k * inChannels, k * k * outChannels, context.random);
    this.kernel = context.registry.add(`${name}/kernel`, kernel);
    this.bias = context.registry.add(`${name}/bias`, tf.zeros([outChannels]));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const y = tf.conv2d(x, this.kernel as tf.Tensor4D, this.spec.stride, this.spec.padding);
    return tf.add(y, this.bias);
  }
}

/** The transpose (gradient) of a Conv2d with the same spec, upsampling by the stride; W [k, k, out, in]. */
export class Conv2dTranspose {
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    context: LayerContext,
    name: string,
    private readonly spec: ConvSpec,
  ) {
    const { kernelSize: k, inChannels, outChannels } = spec;
    const kernel = initialKernel(spec.init, [k, k, outChannels, inChannels], k * k * inChannels, k * k * outChannels, context.random);
    this.kernel = context.registry.add(`${name}/kernel`, kernel);
    this.bias = context.registry.add(`${name}/bias`, tf.zeros([outChannels]));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const { kernelSize, stride, padding, outChannels } = this.spec;
    const [batch, height, width] = x.shape;
    // Output side of a transposed convolution: (S - 1) * stride - 2 * padding + kernel.
    const outSide = (side: number): number => (side - 1) * stride - 2 * padding + kernelSize;
    const outputShape: [number, number, number, number] = [batch, outSide(height), outSide(width), outChannels];
    const y = tf.conv2dTranspose(x, this.kernel as tf.Tensor4D, outputShape, stride, padding);
    return tf.add(y, this.bias);
  }
}

/** x + conv1x1(relu(conv3x3(relu(x)))), channels unchanged (van den Oord et al. 2017, §4.1). */
export class ResidualBlock {
  private readonly conv3x3: Conv2d;
  private readonly conv1x1: Conv2d;

  constructor(context: LayerContext, name: string, channels: number) {
    const same = { inChannels: channels, outChannels: channels, stride: 1 };
    this.conv3x3 = new Conv2d(context, `${name}/conv3x3`, { ...same, kernelSize: 3, padding: 1, init: 'he' });
    this.conv1x1 = new Conv2d(context, `${name}/conv1x1`, { ...same, kernelSize: 1, padding: 0, init: 'glorot' });
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(x, this.conv1x1.apply(tf.relu(this.conv3x3.apply(tf.relu(x)))));
  }
}

/** R residual blocks followed by a ReLU (the "residual stack" of the VQ-VAE reference code). */
export class ResidualStack {
  private readonly blocks: ResidualBlock[];

  constructor(context: LayerContext, name: string, channels: number, count: number) {
    this.blocks = Array.from({ length: count }, (_, i) => new ResidualBlock(context, `${name}/res${i}`, channels));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.relu(this.blocks.reduce((h, block) => block.apply(h), x));
  }
}

/** Momentum of BatchNorm's running statistics: running = m * running + (1 - m) * batch. */
const BATCH_NORM_MOMENTUM = 0.9;
const BATCH_NORM_EPSILON = 1e-5;

/**
 * BatchNorm over the batch and both spatial axes (Ioffe & Szegedy 2015, alg. 1): gamma (x - mu) / sqrt(var + eps) + beta.
 * Training normalizes with the batch's statistics and moves the running ones (stored with the weights,
 * not trainable) towards them; inference normalizes with the running statistics.
 */
export class BatchNorm {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly runningMean: tf.Variable;
  private readonly runningVariance: tf.Variable;

  constructor(context: LayerContext, name: string, channels: number) {
    this.gamma = context.registry.add(`${name}/gamma`, tf.ones([channels]));
    this.beta = context.registry.add(`${name}/beta`, tf.zeros([channels]));
    this.runningMean = context.registry.add(`${name}/running_mean`, tf.zeros([channels]), false);
    this.runningVariance = context.registry.add(`${name}/running_variance`, tf.ones([channels]), false);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) return tf.batchNorm(x, this.runningMean, this.runningVariance, this.beta, this.gamma, BATCH_NORM_EPSILON) as tf.Tensor4D;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    this.runningMean.assign(tf.add(tf.mul(BATCH_NORM_MOMENTUM, this.runningMean), tf.mul(1 - BATCH_NORM_MOMENTUM, mean)));
    this.runningVariance.assign(tf.add(tf.mul(BATCH_NORM_MOMENTUM, this.runningVariance), tf.mul(1 - BATCH_NORM_MOMENTUM, variance)));
    const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON)));
    return tf.add(tf.mul(normalized, this.gamma), this.beta);
  }
}

/** y = relu(BatchNorm(x)) when `norm` is given, else relu(x): the activation after a (transposed) downsampling convolution. */
export function normalizedRelu(x: tf.Tensor4D, norm: BatchNorm | undefined, training: boolean): tf.Tensor4D {
  return tf.relu(norm ? norm.apply(x, training) : x);
}
