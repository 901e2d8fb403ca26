// Fixtures of the prior (and map export) tests: a model folder with a tiny untrained VQ-VAE, optionally with a tiny prior
// (and its calibration) saved beside it, and a small NIfTI volume with foreground in every slice.
import { writeFileSync } from 'node:fs';
import { encodeNifti1 } from '../../models/io/niftiWrite';
import { savePrior, updatePriorManifest, type PriorCalibration } from '../../models/prior/priorCheckpoint';
import { DEFAULT_PRIOR_TRAINING } from '../../models/prior/priorTrainingConfig';
import { PriorTransformer } from '../../models/prior/transformer';
import type { PriorConfig } from '../../models/prior/transformerConfig';
import { saveModel } from '../../models/vqvae/checkpoint';
import type { VqVaeConfig } from '../../models/vqvae/config';
import { VqVae } from '../../models/vqvae/model';

/** 16x16 input, two downsamplings: a 4x4 latent grid of 8 codes; no dropout, so decoding is deterministic. */
export const TINY_VQVAE: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 };

/** A prior of TINY_VQVAE's token grid small enough for a unit test, without dropout (exact losses). */
export const TINY_PRIOR_CONFIG: PriorConfig = {
  vocabSize: 8,
  sequenceLength: 16,
  dModel: 8,
  layers: 1,
  heads: 2,
  feedForward: 16,
  dropout: 0,
  conditionOnSlicePosition: false,
  attention: 'causal',
};

export const calibration = (lambdaS: number, lambdaP: number): PriorCalibration => ({
  lambdaS,
  lambdaP,
  percentileS: 98,
  percentileP: 90,
  source: 'held-out',
  sequences: 10,
});

/** Saves an untrained TINY_VQVAE (seed 3) into `modelDir`. */
export async function saveTinyModel(modelDir: string): Promise<void> {
  const model = VqVae.create(TINY_VQVAE, 3);
  try {
    await saveModel(modelDir, model, {
      name: 'model',
      created: '2026-01-01T00:00:00.000Z',
      backend: 'wasm',
      config: TINY_VQVAE,
      training: { epochs: 1, batchSize: 1, learningRate: 1e-3, seed: 3, epochsCompleted: 1, finalLoss: 1, lossHistory: [1], seconds: 1 },
      normalization: 'percentile-0.5-99.5',
      data: { folder: modelDir, files: 1, images: 1, skipped: 0 },
    });
  } finally {
    model.dispose();
  }
}

/** Saves an untrained prior (seed 2) into `<modelDir>/prior/`, with the calibration when given. */
export async function saveTinyPrior(modelDir: string, config: PriorConfig = TINY_PRIOR_CONFIG, calibrated?: PriorCalibration): Promise<void> {
  const prior = PriorTransformer.create(config, 2);
  try {
    await savePrior(modelDir, prior, {
      created: '2026-01-01T00:00:00.000Z',
      backend: 'wasm',
      config,
      training: { ...DEFAULT_PRIOR_TRAINING, epochsCompleted: 1, finalLoss: 1, lossHistory: [1], seconds: 1, sequences: 1 },
    });
  } finally {
    prior.dispose();
  }
  if (calibrated) await updatePriorManifest(modelDir, { calibration: calibrated });
}

/** Writes a width x height x depth float32 NIfTI volume of a seeded positive pattern (foreground in every slice). */
export function writeVolume(file: string, dims: [number, number, number]): void {
  const data = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => 10 + ((i * 7919) % 97));
  writeFileSync(file, encodeNifti1({ dims, spacing: [1, 1, 1], data }, { datatype: 'float32' }));
}
