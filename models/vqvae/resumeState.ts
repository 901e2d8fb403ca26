// The resume checkpoint kept inside a model folder, so that a cancelled, crashed or finished training
// can continue exactly where it stopped (same losses as an uninterrupted run with the same seed):
//   resume/state.json     settings, the epoch record, the generators' states, the optimizer step
//   resume/weights.bin    the latest epoch's weights (weights.bin beside manifest.json holds the best epoch's)
//   resume/optimizer.bin  Adam's moments
// saveModel writes these files in the same atomic replacement as the model itself.
import type { ModelHealth } from './modelHealth';
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../io/errors';
import type { Adam, AdamState } from './adam';
import { type EncodedWeights, MANIFEST_FILE, readManifest, readWeightsFile, WEIGHTS_FILE as MODEL_WEIGHTS_FILE } from './checkpoint';
import type { ResolvedTrainingConfig, ResolvedVqVaeConfig } from './config';
import type { VqVae } from './model';

export const RESUME_FOLDER = 'resume';
const STATE_FILE = `${RESUME_FOLDER}/state.json`;
const WEIGHTS_FILE = `${RESUME_FOLDER}/weights.bin`;
const OPTIMIZER_FILE = `${RESUME_FOLDER}/optimizer.bin`;

/** The course of a training, epoch by epoch. */
export interface EpochRecord {
  /** ISO 8601 time the training started (kept across resumes). */
  created: string;
  epochsCompleted: number;
  /** Mean training loss per epoch. */
  lossHistory: number[];
  /** Validation loss per epoch; empty without a validation split. */
  validationLossHistory: number[];
  /** The epoch with the lowest monitored loss so far (0 before the first). */
  bestEpoch: number;
  /** Codes used during the best epoch's steps. */
  bestCodebookUsage: number;
  /** The best epoch's model health (modelHealth.ts); absent in older checkpoints. */
  bestHealth?: ModelHealth;
  /** Training seconds over all runs. */
  seconds: number;
}

/** The states of the seeded generators (SeededRandom.state) a training draws from. */
export interface RandomStates {
  shuffle: number;
  augment: number;
  anomalous: number;
  dropout: number;
}

interface StateFile {
  config: ResolvedVqVaeConfig;
  training: ResolvedTrainingConfig;
  record: EpochRecord;
  random: RandomStates;
  optimizerStep: number;
  weightsManifest: tf.io.WeightsManifestEntry[];
  optimizerManifest: tf.io.WeightsManifestEntry[];
}

export interface ResumeState extends Omit<StateFile, 'weightsManifest' | 'optimizerManifest' | 'optimizerStep'> {
  /** The latest weights (the caller disposes them). */
  weights: tf.NamedTensorMap;
  /** The optimizer state (the caller disposes its moments). */
  optimizer: AdamState;
  /** The best epoch's weights, as the model folder's weights.bin holds them. */
  best: EncodedWeights;
}

/** The resume files for saveModel's extraFiles. */
export async function resumeFiles(
  model: VqVae,
  optimizer: Adam,
  training: ResolvedTrainingConfig,
  record: EpochRecord,
  random: RandomStates,
): Promise<Record<string, string | Uint8Array>> {
  const weights = await tf.io.encodeWeights(model.getWeights());
  const { step, moments } = optimizer.getState();
  const optimizerWeights = await tf.io.encodeWeights(moments);
  const state: StateFile = {
    config: model.config,
    training,
    record,
    random,
    optimizerStep: step,
    weightsManifest: weights.specs,
    optimizerManifest: optimizerWeights.specs,
  };
  return {
    [STATE_FILE]: JSON.stringify(state, null, 2) + '\n',
    [WEIGHTS_FILE]: new Uint8Array(weights.data),
    [OPTIMIZER_FILE]: new Uint8Array(optimizerWeights.data),
  };
}

/** Reads the resume checkpoint of `dir`; BadInputError naming the folder when there is none or it is damaged. */
export async function readResumeState(dir: string): Promise<ResumeState> {
  const file = join(dir, STATE_FILE);
  let state: StateFile;
  try {
    state = JSON.parse(await fs.readFile(file, 'utf8')) as StateFile;
  } catch (error) {
    throw new BadInputError(`${dir} has no training to resume: ${STATE_FILE} cannot be read (${(error as Error).message})`);
  }
  const weights = await readWeightsFile(dir, WEIGHTS_FILE, state.weightsManifest, STATE_FILE);
  const optimizer = await readWeightsFile(dir, OPTIMIZER_FILE, state.optimizerManifest, STATE_FILE);
  const best = await readWeightsFile(dir, MODEL_WEIGHTS_FILE, (await readManifest(dir)).weightsManifest, MANIFEST_FILE);
  return {
    config: state.config,
    training: state.training,
    record: state.record,
    random: state.random,
    weights: tf.io.decodeWeights(weights.data, weights.specs),
    optimizer: { step: state.optimizerStep, moments: tf.io.decodeWeights(optimizer.data, optimizer.specs) },
    best,
  };
}
