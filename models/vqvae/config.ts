// Configuration of the VQ-VAE backbone (methods.md §1) and of its training. Every default is a named
// setting: the VS Code settings `vqAnomaly.model.*` / `vqAnomaly.training.*` and the CLI flags map onto
// these fields one to one.
//
// The fields marked optional were added after the first model format; a manifest without them means
// their defaults (MODEL_OPTION_DEFAULTS, TRAINING_OPTION_DEFAULTS), which reproduce the first
// behaviour. resolveVqVaeConfig / resolveTrainingConfig fill them in.

import type { AspectPolicy } from '../io/modelGrid';

/** How the codebook learns: the codebook loss term ||sg[z_e] - e||^2, or exponential moving averages. */
export type CodebookUpdate = 'loss' | 'ema';
/** The reconstruction term: mean |x - x̂| (LSGS, LSR, MONAI) or the continuous-Bernoulli NLL (Gangloff). */
export type ReconstructionLoss = 'l1' | 'continuous-bernoulli';
/** Learning-rate schedule over all training steps (see lrSchedule.ts). */
export type LrSchedule = 'constant' | 'cosine' | 'step';

export interface VqVaeConfig {
  /** Side of the square model input in pixels; slices and images are resized to it. */
  inputSize: number;
  /** Channels of the encoder's stride-2 convolutions; its length is the number of downsampling levels L. */
  channels: number[];
  /** Residual blocks R after the downsampling convolutions (and mirrored in the decoder). */
  residualBlocks: number;
  /** Number of codebook vectors K. */
  codebookSize: number;
  /** Dimension D of each codebook vector (and of the encoder output). */
  codebookDim: number;
  /** Commitment weight beta in recon + ||sg[z_e]-e||^2 + beta ||z_e-sg[e]||^2 (0.25 van den Oord, 1 LSGS). */
  beta: number;
  /** Decoder dropout probability (LSR: 0.1); 0 disables it. */
  dropout: number;
  /** 'ema' replaces the codebook loss by moving-average updates (van den Oord et al. 2017, appendix A.1). Default 'loss'. */
  codebookUpdate?: CodebookUpdate;
  /** Decay gamma of the EMA codebook update (0.99 in the VQ-VAE paper). */
  emaDecay?: number;
  /** BatchNorm after every (transposed) downsampling convolution, before its ReLU. Default false. */
  batchNorm?: boolean;
  /** Default 'l1'. */
  reconstructionLoss?: ReconstructionLoss;
  /** How slices of another shape meet the square input (io/modelGrid.ts): 'pad' keeps their aspect ratio. Default 'stretch' (the first models). */
  aspect?: AspectPolicy;
}

/** Data augmentation of the training images (LSR §4 lists flips, rotations, scaling, brightness, contrast, noise). 0 / false turns one off. */
export interface AugmentConfig {
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
  /** Rotation by an angle drawn uniformly from [-r, r] degrees. */
  rotationDegrees: number;
  /** Zoom by a factor drawn uniformly from [1 - s, 1 + s]. */
  scale: number;
  /** Add a shift drawn uniformly from [-b, b] to every pixel. */
  brightness: number;
  /** Stretch around the image mean by a factor drawn uniformly from [1 - c, 1 + c]. */
  contrast: number;
  /** Standard deviation of added Gaussian noise. */
  noise: number;
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed for weight initialisation, shuffling, augmentation and the validation split. */
  seed: number;
  /** Default 'constant'. */
  lrSchedule?: LrSchedule;
  /** Default: every augmentation off. */
  augment?: AugmentConfig;
  /** Fraction of the images held out to report a validation loss and choose the best epoch. Default 0.1. */
  validationFraction?: number;
  /** Stop after this many epochs without a better validation loss; 0 never stops early. Default 5. */
  earlyStoppingPatience?: number;
  /** ss-VQ-VAE (methods.md §3): loss = eta L_normal + (1 - eta) L_anomalous when labelled anomalies are given. Default 0.5. */
  eta?: number;
  /** Margin m of the anomalous term max(0, m - ||E(y) - sg[Q(E(y))]||^2). Default 1. */
  anomalousMargin?: number;
  /**
   * LSGS aggregated codebook (methods.md §2): after training, the codebook is replaced by the k-means
   * centres of the training encodings and the model fine-tuned for this many epochs. 0 (default) = off.
   */
  aggregateCodebookEpochs?: number;
  /** Train at least this many optimizer steps: epochs are added when `epochs` gives fewer (small folders), and early stopping waits for them. Default 0. */
  minSteps?: number;
  /** The learning rate rises linearly from 0 over this many first steps (then follows lrSchedule). Default 0. */
  warmupSteps?: number;
  /** After this many steps the codebook is replaced by k-means of training encodings (codebookFromData.ts); 0: never. Default 0. */
  codebookInitSteps?: number;
  /** At every epoch's end, codes no latent vector chose are restarted at random encodings (codebookFromData.ts; not with an EMA codebook). Default false. */
  restartDeadCodes?: boolean;
}

/** A preset small enough to train in minutes on a 2-core CPU with the wasm backend. */
export const SMALL_PRESET: VqVaeConfig = {
  inputSize: 64,
  channels: [32, 64],
  residualBlocks: 2,
  codebookSize: 128,
  codebookDim: 64,
  beta: 0.25,
  dropout: 0.1,
  aspect: 'pad',
};

export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 10,
  batchSize: 16,
  learningRate: 1e-3,
  seed: 1,
};

export const AUGMENT_OFF: AugmentConfig = { flip: false, rotationDegrees: 0, scale: 0, brightness: 0, contrast: 0, noise: 0 };

/** The LSR paper's augmentations at modest strengths (no elastic transform or blur). */
export const AUGMENT_LSR: AugmentConfig = { flip: true, rotationDegrees: 10, scale: 0.1, brightness: 0.1, contrast: 0.1, noise: 0.01 };

export const MODEL_OPTION_DEFAULTS: Required<Pick<VqVaeConfig, 'codebookUpdate' | 'emaDecay' | 'batchNorm' | 'reconstructionLoss' | 'aspect'>> = {
  codebookUpdate: 'loss',
  emaDecay: 0.99,
  batchNorm: false,
  reconstructionLoss: 'l1',
  aspect: 'stretch',
};

export const TRAINING_OPTION_DEFAULTS: Required<Omit<TrainingConfig, 'epochs' | 'batchSize' | 'learningRate' | 'seed'>> = {
  lrSchedule: 'constant',
  augment: AUGMENT_OFF,
  validationFraction: 0.1,
  earlyStoppingPatience: 5,
  eta: 0.5,
  anomalousMargin: 1,
  aggregateCodebookEpochs: 0,
  minSteps: 0,
  warmupSteps: 0,
  codebookInitSteps: 0,
  restartDeadCodes: false,
};

/** A model configuration with every optional field filled in by its default. */
export type ResolvedVqVaeConfig = Required<VqVaeConfig>;
export type ResolvedTrainingConfig = Required<TrainingConfig>;

export function resolveVqVaeConfig(config: VqVaeConfig): ResolvedVqVaeConfig {
  return { ...MODEL_OPTION_DEFAULTS, ...config, channels: [...config.channels] };
}

export function resolveTrainingConfig(training: TrainingConfig): ResolvedTrainingConfig {
  return { ...TRAINING_OPTION_DEFAULTS, ...training, augment: { ...AUGMENT_OFF, ...training.augment } };
}

/** Side of the latent token grid: inputSize / 2^L. */
export function latentSize(config: VqVaeConfig): number {
  return config.inputSize / 2 ** config.channels.length;
}
