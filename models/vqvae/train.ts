// Trains a VQ-VAE on 2D slices with Adam, writing a checkpoint (the model folder) after every epoch.
// Cancellable between steps: the folder then keeps the last completed epoch.
import * as tf from '@tensorflow/tfjs-core';
import { basename } from 'node:path';
import { BadInputError } from '../io/errors';
import { registerGradients } from '../runtime/gradients';
import type { TrainProgress, TrainResult } from '../worker/protocol';
import { saveModel, type ModelManifest } from './checkpoint';
import type { TrainingConfig, VqVaeConfig } from './config';
import { VqVae } from './model';
import { SeededRandom } from './seededRandom';
import { validateTrainingConfig } from './validateConfig';

export interface TrainCallbacks {
  /** After every step, and once more per epoch with `checkpointed: true` once its checkpoint is written. */
  onProgress?(p: TrainProgress): void;
  /** Polled before every step; true stops training there. */
  isCancelled?(): boolean;
  log?(line: string): void;
}

export interface TrainOptions extends TrainCallbacks {
  modelDir: string;
  dataSummary: ModelManifest['data'];
  backendName: string;
  /** Continue from this model (same configuration) instead of a fresh one. */
  initial?: VqVae;
}

/** What one epoch produced. */
interface EpochStats {
  meanLoss: number;
  /** Distinct codes chosen during the epoch's steps. */
  codesUsed: number;
}

/** A configuration as JSON with sorted keys, so that two equal ones compare equal as text. */
const configText = (config: VqVaeConfig): string => JSON.stringify(config, Object.keys(config).sort());

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkSlices(slices: Float32Array[], inputSize: number): void {
  if (slices.length === 0) throw new BadInputError('No training images: the data folder gave no usable slices');
  const pixels = inputSize * inputSize;
  const wrong = slices.findIndex((s) => s.length !== pixels);
  if (wrong >= 0) throw new Error(`trainVqVae: slice ${wrong} has ${slices[wrong].length} values, expected ${inputSize}x${inputSize} = ${pixels}`);
}

/** The pixels of the slices at `indices`, one after the other: the values of a [B, S, S, 1] batch. */
function batchValues(slices: Float32Array[], indices: number[], pixels: number): Float32Array {
  const values = new Float32Array(indices.length * pixels);
  indices.forEach((index, i) => values.set(slices[index], i * pixels));
  return values;
}

/** One Adam step on a batch of `count` images; returns the batch's loss and the code indices it used. */
async function trainStep(model: VqVae, optimizer: tf.Optimizer, values: Float32Array, count: number): Promise<{ loss: number; indices: Int32Array }> {
  const size = model.config.inputSize;
  const { loss, indices } = tf.tidy(() => {
    const batch = tf.tensor4d(values, [count, size, size, 1]);
    let used: tf.Tensor3D | undefined;
    const cost = optimizer.minimize(
      () => {
        const out = model.forward(batch, { training: true });
        used = tf.keep(out.indices);
        return model.loss(batch, out).total;
      },
      true,
      model.trainableVariables(),
    ) as tf.Scalar;
    return { loss: cost, indices: used as tf.Tensor3D };
  });
  try {
    return { loss: (await loss.data())[0], indices: (await indices.data()) as Int32Array };
  } finally {
    tf.dispose([loss, indices]);
  }
}

/**
 * Trains `initial` (or a new model from `training.seed`) on the slices (each inputSize² values in [0, 1],
 * row-major). Every epoch visits the slices in a seeded random order, in batches of `batchSize`, and ends
 * by saving the model folder `modelDir`. On a cancel it stops before the next step and leaves the folder
 * at the last completed epoch (absent if none); the returned model then includes the partial epoch.
 */
export async function trainVqVae(
  slices: Float32Array[],
  config: VqVaeConfig,
  training: TrainingConfig,
  opts: TrainOptions,
): Promise<TrainResult & { model: VqVae }> {
  validateTrainingConfig(training);
  registerGradients(); // done by selectBackend already; repeated so that training never depends on call order
  checkSlices(slices, config.inputSize);
  if (opts.initial && configText(opts.initial.config) !== configText(config)) {
    throw new Error(`trainVqVae: the initial model's configuration ${configText(opts.initial.config)} differs from ${configText(config)}`);
  }
  const model = opts.initial ?? VqVae.create(config, training.seed);

  const { epochs, batchSize } = training;
  const stepsPerEpoch = Math.ceil(slices.length / batchSize);
  const shuffler = new SeededRandom(training.seed, 'shuffle');
  const allIndices = slices.map((_, i) => i);
  const optimizer = tf.train.adam(training.learningRate);
  const created = new Date().toISOString();
  const started = Date.now();
  const lossHistory: number[] = [];
  let cancelled = false;

  /** Runs one epoch; null when cancelled before its end. */
  const runEpoch = async (epoch: number): Promise<EpochStats | null> => {
    const order = shuffler.shuffled(allIndices);
    const codesUsed = new Set<number>();
    let lossSum = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (opts.isCancelled?.()) return null;
      const batchIndices = order.slice(step * batchSize, (step + 1) * batchSize);
      const values = batchValues(slices, batchIndices, config.inputSize ** 2);
      const { loss, indices } = await trainStep(model, optimizer, values, batchIndices.length);
      lossSum += loss * batchIndices.length;
      indices.forEach((k) => codesUsed.add(k));
      opts.onProgress?.({ epoch, epochs, step: step + 1, stepsPerEpoch, loss });
      await nextTick(); // lets cancel messages in
    }
    return { meanLoss: lossSum / slices.length, codesUsed: codesUsed.size };
  };

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const stats = await runEpoch(epoch);
      if (stats === null) {
        cancelled = true;
        const kept = epoch > 1 ? `${opts.modelDir} keeps epoch ${epoch - 1}` : 'no model was saved';
        opts.log?.(`Training cancelled during epoch ${epoch}; ${kept}`);
        break;
      }
      lossHistory.push(stats.meanLoss);
      const seconds = (Date.now() - started) / 1000;
      await saveModel(opts.modelDir, model, {
        name: basename(opts.modelDir),
        created,
        backend: opts.backendName,
        config: model.config,
        training: { ...training, epochsCompleted: epoch, finalLoss: stats.meanLoss, lossHistory: [...lossHistory], seconds },
        normalization: 'percentile-0.5-99.5',
        data: opts.dataSummary,
        // Codebook usage counted over the training images during this epoch's steps (no extra pass).
        codebookUsage: stats.codesUsed,
      });
      opts.onProgress?.({ epoch, epochs, step: stepsPerEpoch, stepsPerEpoch, loss: stats.meanLoss, checkpointed: true });
      opts.log?.(
        `Epoch ${epoch}/${epochs}: mean loss ${stats.meanLoss.toFixed(5)}, ${stats.codesUsed}/${config.codebookSize} codes used, ` +
          `${seconds.toFixed(1)} s; saved ${opts.modelDir}`,
      );
    }
  } catch (error) {
    if (!opts.initial) model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }

  return {
    model,
    modelDir: opts.modelDir,
    epochsCompleted: lossHistory.length,
    finalLoss: lossHistory.length > 0 ? lossHistory[lossHistory.length - 1] : NaN,
    images: slices.length,
    cancelled,
  };
}
