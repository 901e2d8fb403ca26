// The prior's folder `prior/` inside the model folder: `manifest.json` (configuration, training record,
// weight specs) and `weights.bin` (tf.io-encoded weights), written atomically. Retraining the VQ-VAE
// makes the prior's tokens no longer match: the training moves it aside to `prior-previous/` (setPriorAside).
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../io/errors';
import { writeFolderAtomically } from '../io/atomicFolder';
import type { IltmIteration } from './iltm';
import type { PriorTrainingConfig } from './priorTrainingConfig';
import { PriorTransformer } from './transformer';
import { withWeights } from '../vqvae/weightRegistry';
import type { PriorConfig } from './transformerConfig';

export const PRIOR_FOLDER = 'prior';
/** Where retraining the VQ-VAE moves the prior of the model it replaces (setPriorAside). */
export const PREVIOUS_PRIOR_FOLDER = 'prior-previous';
const MANIFEST_FILE = 'manifest.json';
const WEIGHTS_FILE = 'weights.bin';
const FORMAT = 'vq-anomaly-prior';
const VERSION = 1;

export interface PriorManifest {
  format: 'vq-anomaly-prior';
  version: 1;
  /** ISO 8601 time the training started. */
  created: string;
  /** The tfjs backend that trained the prior. */
  backend: string;
  config: PriorConfig;
  training: PriorTrainingConfig & { epochsCompleted: number; finalLoss: number; lossHistory: number[]; seconds: number; sequences: number };
  weightsManifest: tf.io.WeightsManifestEntry[];
  /** The NLL thresholds of the LSR scores (methods.md §6), set after training; absent when training was cancelled. */
  calibration?: PriorCalibration;
  /** The ILTM iterations (methods.md §7) when the prior was trained with them. */
  iltm?: { iterations: IltmIteration[]; converged: boolean };
}

/** lambda_s and lambda_p as percentiles of the per-token NLL of normal sequences (LSR §3). */
export interface PriorCalibration {
  /** Sample-score threshold: tokens above it count in AS_sample. */
  lambdaS: number;
  /** Restoration threshold: tokens above it are resampled. */
  lambdaP: number;
  percentileS: number;
  percentileP: number;
  /** 'held-out': files kept out of the prior's training; 'training': too few files to hold any out. */
  source: 'held-out' | 'training';
  sequences: number;
  /** The tokens the percentiles were taken over: the foreground ones (foregroundTokens.ts), or all where no slice had any; absent in older priors (all). */
  tokens?: 'foreground' | 'all';
}

/** The prior folder of a model folder. */
export const priorDir = (modelDir: string): string => join(modelDir, PRIOR_FOLDER);

/**
 * Moves `<modelDir>/prior/` to `<modelDir>/prior-previous/` (replacing an older one there), as training
 * the VQ-VAE again changes the tokens the prior was trained on; true when there was a prior to move.
 */
export async function setPriorAside(modelDir: string): Promise<boolean> {
  if (!existsSync(priorDir(modelDir))) return false;
  const previous = join(modelDir, PREVIOUS_PRIOR_FOLDER);
  await fs.rm(previous, { recursive: true, force: true });
  await fs.rename(priorDir(modelDir), previous);
  return true;
}

/** The prior's manifest file in a model folder. */
export const priorManifestPath = (modelDir: string): string => join(priorDir(modelDir), MANIFEST_FILE);

/** Writes the prior into `<modelDir>/prior/`, replacing what is there. */
export async function savePrior(
  modelDir: string,
  prior: PriorTransformer,
  manifest: Omit<PriorManifest, 'format' | 'version' | 'weightsManifest'>,
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(prior.getWeights());
  const full: PriorManifest = { format: FORMAT, version: VERSION, ...manifest, weightsManifest: specs };
  await writeFolderAtomically(priorDir(modelDir), {
    [WEIGHTS_FILE]: new Uint8Array(data),
    [MANIFEST_FILE]: JSON.stringify(full, null, 2) + '\n',
  });
}

/** Adds records made after training (calibration, ILTM) to the manifest of `<modelDir>/prior/`, rewriting the folder atomically with the same weights. */
export async function updatePriorManifest(modelDir: string, records: Pick<PriorManifest, 'calibration' | 'iltm'>): Promise<void> {
  const dir = priorDir(modelDir);
  const manifest = await readPriorManifest(dir);
  const weights = await fs.readFile(join(dir, WEIGHTS_FILE));
  await writeFolderAtomically(dir, {
    [WEIGHTS_FILE]: new Uint8Array(weights),
    [MANIFEST_FILE]: JSON.stringify({ ...manifest, ...records }, null, 2) + '\n',
  });
}

async function readPriorManifest(dir: string): Promise<PriorManifest> {
  const file = join(dir, MANIFEST_FILE);
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new BadInputError(`${dir} holds no trained prior: ${MANIFEST_FILE} cannot be read`);
  });
  let manifest: PriorManifest;
  try {
    manifest = JSON.parse(text) as PriorManifest;
  } catch (error) {
    throw new BadInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== FORMAT)
    throw new BadInputError(`${file} is not a prior manifest (format is ${JSON.stringify(manifest?.format)}, expected "${FORMAT}")`);
  if (manifest.version !== VERSION) throw new BadInputError(`${file} has version ${manifest.version}; this version of the extension reads version ${VERSION}`);
  if (!Array.isArray(manifest.weightsManifest) || typeof manifest.config !== 'object' || typeof manifest.training !== 'object') {
    throw new BadInputError(`${file} lacks the weight specs, the prior configuration or the training record`);
  }
  return manifest;
}

/** Reads `<modelDir>/prior/` written by savePrior; throws BadInputError naming the folder when it is missing or damaged. */
export async function loadPrior(modelDir: string): Promise<{ prior: PriorTransformer; manifest: PriorManifest }> {
  const dir = priorDir(modelDir);
  const manifest = await readPriorManifest(dir);
  const bytes = await fs.readFile(join(dir, WEIGHTS_FILE)).catch(() => {
    throw new BadInputError(`${dir} is not a complete prior folder: ${WEIGHTS_FILE} cannot be read`);
  });
  let weights: tf.NamedTensorMap;
  try {
    weights = tf.io.decodeWeights(new Uint8Array(bytes).buffer, manifest.weightsManifest);
  } catch (error) {
    throw new BadInputError(`${join(dir, WEIGHTS_FILE)} does not match ${MANIFEST_FILE}: ${(error as Error).message}`);
  }
  try {
    return { prior: withWeights(PriorTransformer.create(manifest.config, manifest.training.seed), weights), manifest };
  } catch (error) {
    throw new BadInputError(`Prior folder ${dir}: ${(error as Error).message}`);
  } finally {
    tf.dispose(weights);
  }
}

/** True when the model folder holds a prior (its manifest exists); loadPrior says what is wrong with a damaged one. */
export function hasPrior(modelDir: string): boolean {
  return existsSync(priorManifestPath(modelDir));
}
