// The model folder: `manifest.json` (configuration, training record, weight specs) and `weights.bin`
// (the weights as tf.io encodes them), independent of the backend that trained it. Saving replaces the
// folder atomically, so a crash leaves either the previous model or the new one, never a mix; the
// folder's evaluations/ and prior-previous/ are kept across the replacement.
import type { ModelHealth } from './modelHealth';
import type { DataProfile } from '../scoring/trainingFit';
import type { NormalRange } from '../scoring/normalRange';
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../io/errors';
import type { TrainingConfig, VqVaeConfig } from './config';
import { VqVae } from './model';
import { withWeights } from './weightRegistry';
import type { Normalization } from '../io/normalize';
import { writeFileAtomically, writeFolderAtomically } from '../io/atomicFolder';
import { PREVIOUS_PRIOR_FOLDER } from '../prior/priorCheckpoint';
import { EVALUATIONS_FOLDER } from '../evaluate/writeReport';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
/** Sub-folders of a model folder that saving the model keeps: the work done with earlier versions of the model. */
const KEPT_FOLDERS = [EVALUATIONS_FOLDER, PREVIOUS_PRIOR_FOLDER];
const FORMAT = 'vq-anomaly-model';
const VERSION = 1;

/** The manifest's name for each normalization (percentile: clip at 0.5 and 99.5, then [0, 1]; normalize.ts). */
const MANIFEST_NORMALIZATION = {
  percentile: 'percentile-0.5-99.5',
  'percentile-unclipped': 'percentile-0.5-99.5-unclipped',
  zscore: 'zscore',
} as const satisfies Record<Normalization, string>;
export type ManifestNormalization = (typeof MANIFEST_NORMALIZATION)[Normalization];

export function manifestNormalization(normalization: Normalization): ManifestNormalization {
  return MANIFEST_NORMALIZATION[normalization];
}

/** The normalization a model was trained with, to score with the same. */
export function normalizationOf(manifest: Pick<ModelManifest, 'normalization'>): Normalization {
  const entry = Object.entries(MANIFEST_NORMALIZATION).find(([, name]) => name === manifest.normalization);
  return entry ? (entry[0] as Normalization) : 'percentile';
}

export interface ModelManifest {
  format: 'vq-anomaly-model';
  version: 1;
  name: string;
  /** ISO 8601 time the training started. */
  created: string;
  /** The tfjs backend that trained the model. */
  backend: string;
  config: VqVaeConfig;
  training: TrainingRecord;
  /** How training normalized intensities; scoring must do the same (normalizationOf). */
  normalization: ManifestNormalization;
  /** The training folder, its counts, and what its data looked like, to warn about scans unlike it (scoring/trainingFit.ts; absent in older models). */
  data: { folder: string; files: number; images: number; skipped: number; profile?: DataProfile };
  /** Number of distinct codebook entries the training images use (effective codebook size, methods.md §1). */
  codebookUsage?: number;
  /** 'ss-vqvae' when labelled anomalies took part (methods.md §3: score by quantization distance); absent means 'vq-vae'. */
  method?: 'vq-vae' | 'ss-vqvae';
  /** The model folder this one was fine-tuned from. */
  fineTunedFrom?: string;
  /** The saved epoch's health: does it reconstruct better than a constant image, is its codebook in use (modelHealth.ts). Absent in older models. */
  health?: ModelHealth;
  /** The scores of the validation files, normal scans the model never trained on, per scan kind (scoring/normalRange.ts); absent in older models and without validation files. */
  normalScores?: NormalRange;
  /** Codebook usage before and after the LSGS aggregated codebook replaced it (methods.md §2), when it did. */
  aggregatedCodebook?: { usageBefore: number; usageAfter: number };
  weightsManifest: tf.io.WeightsManifestEntry[];
}

/** What the manifest records of the training: its settings (all resolved since validation was added) and its course. */
export interface TrainingRecord extends TrainingConfig {
  epochsCompleted: number;
  /** Mean training loss of the last completed epoch. */
  finalLoss: number;
  /** Mean training loss per epoch. */
  lossHistory: number[];
  seconds: number;
  /** Validation loss per epoch (empty without a validation split). Absent in older manifests, like the fields below. */
  validationLossHistory?: number[];
  /** The epoch whose weights weights.bin holds: the lowest validation loss (training loss without validation). */
  bestEpoch?: number;
  /** True when early stopping ended the training. */
  stoppedEarly?: boolean;
  trainImages?: number;
  validationImages?: number;
  /** Labelled anomalous images used by ss-VQ-VAE. */
  anomalousImages?: number;
}

/** Weights as tf.io.encodeWeights gives them. */
export interface EncodedWeights {
  data: ArrayBuffer;
  specs: tf.io.WeightsManifestEntry[];
}

export interface SaveOptions {
  /** Saved instead of the model's current weights (training keeps the best epoch's). */
  weights?: EncodedWeights;
  /** More files for the folder, by path relative to it (e.g. 'resume/state.json'), written in the same atomic replacement. */
  extraFiles?: Record<string, string | Uint8Array>;
}

/**
 * Writes the model and its manifest to `dir`, replacing what is there but its evaluations/ and
 * prior-previous/, atomically (writeFolderAtomically: a crash leaves the old model or the new one, never a mix).
 */
export async function saveModel(
  dir: string,
  model: VqVae,
  manifest: Omit<ModelManifest, 'format' | 'version' | 'weightsManifest'>,
  options: SaveOptions = {},
): Promise<void> {
  const { data, specs } = options.weights ?? (await tf.io.encodeWeights(model.getWeights()));
  const full: ModelManifest = { format: FORMAT, version: VERSION, ...manifest, weightsManifest: specs };

  await writeFolderAtomically(
    dir,
    {
      [WEIGHTS_FILE]: new Uint8Array(data),
      [MANIFEST_FILE]: JSON.stringify(full, null, 2) + '\n',
      ...options.extraFiles,
    },
    KEPT_FOLDERS,
  );
}

/** Bytes one weight takes in weights.bin (tf.io.encodeWeights writes float32, int32 and bool unquantized). */
function byteLength(spec: tf.io.WeightsManifestEntry): number {
  const bytesPerValue = spec.dtype === 'bool' ? 1 : 4;
  return spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue;
}

/** Adds `fields` to the manifest of the model in `dir`, replacing the file atomically (the weights stay as they are). */
export async function updateManifest(dir: string, fields: Partial<Omit<ModelManifest, 'format' | 'version' | 'weightsManifest'>>): Promise<void> {
  const manifest = await readManifest(dir);
  await writeFileAtomically(join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, ...fields }, null, 2) + '\n');
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new BadInputError(`${dir} is not a model folder: ${MANIFEST_FILE} cannot be read`);
  }
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(text) as ModelManifest;
  } catch (error) {
    throw new BadInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== FORMAT)
    throw new BadInputError(`${file} is not a VQ anomaly model manifest (format is ${JSON.stringify(manifest?.format)}, expected "${FORMAT}")`);
  if (manifest.version !== VERSION) throw new BadInputError(`${file} has version ${manifest.version}; this version of the extension reads version ${VERSION}`);
  if (!Array.isArray(manifest.weightsManifest) || manifest.weightsManifest.some((s) => s.quantization !== undefined)) {
    throw new BadInputError(`${file} has no valid weightsManifest (a list of unquantized weight specs)`);
  }
  if (typeof manifest.config !== 'object' || typeof manifest.training !== 'object') {
    throw new BadInputError(`${file} lacks the model configuration or the training record`);
  }
  return manifest;
}

/** The weights file `name` of a model folder, checked against its specs; BadInputError when missing or of the wrong length. */
export async function readWeightsFile(dir: string, name: string, specs: tf.io.WeightsManifestEntry[], describedBy: string): Promise<EncodedWeights> {
  const weightsFile = join(dir, name);
  const bytes = await fs.readFile(weightsFile).catch(() => {
    throw new BadInputError(`${dir} is not a complete model folder: ${name} cannot be read`);
  });
  const expected = specs.reduce((sum, spec) => sum + byteLength(spec), 0);
  if (bytes.byteLength !== expected) {
    throw new BadInputError(`${weightsFile} has ${bytes.byteLength} bytes, but ${describedBy} describes ${expected}: the model folder is damaged`);
  }
  return { data: new Uint8Array(bytes).buffer, specs };
}

/** Reads a model folder written by saveModel; throws BadInputError naming the folder when it is not a valid model. */
export async function loadModel(dir: string): Promise<{ model: VqVae; manifest: ModelManifest }> {
  const manifest = await readManifest(dir);
  const { data } = await readWeightsFile(dir, WEIGHTS_FILE, manifest.weightsManifest, MANIFEST_FILE);
  const weights = tf.io.decodeWeights(data, manifest.weightsManifest);
  try {
    return { model: withWeights(VqVae.create(manifest.config, manifest.training.seed), weights), manifest };
  } catch (error) {
    throw new BadInputError(`Model folder ${dir}: ${(error as Error).message}`);
  } finally {
    tf.dispose(weights);
  }
}
