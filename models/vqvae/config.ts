// Configuration of the VQ-VAE backbone (methods.md §1) and of its training. Every default is a named
// setting: the VS Code settings `vqAnomaly.model.*` / `vqAnomaly.training.*` and the CLI flags map onto
// these fields one to one.

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
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed for weight initialisation, shuffling and the validation split. */
  seed: number;
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
};

export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 10,
  batchSize: 16,
  learningRate: 1e-3,
  seed: 1,
};

/** Side of the latent token grid: inputSize / 2^L. */
export function latentSize(config: VqVaeConfig): number {
  return config.inputSize / 2 ** config.channels.length;
}
