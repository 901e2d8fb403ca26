// Trains a VQ-VAE on 2D slices (methods.md §1, §3): Adam with a learning-rate schedule, optional
// augmentation, a seeded validation split, early stopping, and the semi-supervised loss when labelled
// anomalies are given. After every epoch the model folder is replaced atomically: weights.bin holds the
// best epoch so far (lowest validation loss; lowest training loss without validation), resume/ the
// latest epoch with the optimizer and generator states (resumeState.ts). Cancellable between steps.
import * as tf from '@tensorflow/tfjs-core';
import { basename } from 'node:path';
import { evenlySpaced } from '../io/evenlySpaced';
import { BadInputError } from '../io/errors';
import { registerGradients } from '../runtime/gradients';
import type { TrainProgress, TrainResult } from '../worker/protocol';
import { Adam } from './adam';
import { augmentImage } from './augment';
import type { Normalization } from '../io/normalize';
import { PREVIOUS_PRIOR_FOLDER, priorDir, setPriorAside } from '../prior/priorCheckpoint';
import { type EncodedWeights, manifestNormalization, type ModelManifest, saveModel } from './checkpoint';
import { resolveTrainingConfig, resolveVqVaeConfig, type ResolvedTrainingConfig, type TrainingConfig, type VqVaeConfig } from './config';
import { initialiseCodebookFromData, restartDeadCodes } from './codebookFromData';
import { learningRateAt } from './lrSchedule';
import { bestConstantImage, meanAbsoluteError, modelHealth } from './modelHealth';
import { VqVae, type VqVaeOutput } from './model';
import { type EpochRecord, readResumeState, resumeFiles } from './resumeState';
import { SeededRandom } from './seededRandom';
import { semiSupervisedLoss } from './semiSupervised';
import { validateTrainingConfig, validateVqVaeConfig } from './validateConfig';
import { splitTrainValidation } from './validationSplit';

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
  /** How the slices were normalized (recorded in the manifest, so scoring does the same); default percentile. */
  normalization?: Normalization;
  backendName: string;
  /** Continue from this model (same configuration) with a fresh optimizer: fine-tuning. */
  initial?: VqVae;
  /** Recorded in the manifest when fine-tuning. */
  fineTunedFrom?: string;
  /** Recorded in the manifest when this training fine-tunes after the aggregated codebook. */
  aggregatedCodebook?: ModelManifest['aggregatedCodebook'];
  /** Continue the training checkpointed in modelDir (same settings except `epochs`) exactly where it stopped. */
  resume?: boolean;
  /** Labelled anomalous images: trains the ss-VQ-VAE (methods.md §3). */
  anomalous?: Float32Array[];
  /**
   * Validation images split off by the caller (the dataset loader splits by file); when given, `slices`
   * are all training images. Otherwise a seeded `validationFraction` of the slices is held out here.
   */
  validation?: Float32Array[];
}

/** The seeded generators of a run, one per purpose. */
interface Generators {
  shuffle: SeededRandom;
  augment: SeededRandom;
  anomalous: SeededRandom;
}

/** What one epoch's steps produced. */
interface EpochStats {
  meanLoss: number;
  /** The distinct codes chosen during the epoch's steps (since the codebook was replaced, if it was). */
  codesUsed: Set<number>;
  /** The codebook was initialised from the data during the epoch: its usage so far says nothing of the new codes. */
  codebookReplaced: boolean;
}

/** A configuration as JSON with sorted keys, so that two equal ones compare equal as text. */
const configText = (config: object): string => JSON.stringify(config, Object.keys(config).sort());

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkSlices(slices: Float32Array[], inputSize: number, what: string): void {
  const pixels = inputSize * inputSize;
  const wrong = slices.findIndex((s) => s.length !== pixels);
  if (wrong >= 0) throw new Error(`trainVqVae: ${what} ${wrong} has ${slices[wrong].length} values, expected ${inputSize}x${inputSize} = ${pixels}`);
}

/** The images at `indices`, one after the other: the values of a [B, S, S, 1] batch. */
function batchValues(images: Float32Array[], pixels: number): Float32Array {
  const values = new Float32Array(images.length * pixels);
  images.forEach((image, i) => values.set(image, i * pixels));
  return values;
}

/** The loss a training step minimizes: the VQ-VAE loss of the batch, or the ss-VQ-VAE loss with a batch of anomalies. */
function stepLoss(
  model: VqVae,
  batch: tf.Tensor4D,
  anomalies: tf.Tensor4D | undefined,
  training: ResolvedTrainingConfig,
): { loss: tf.Scalar; out: VqVaeOutput } {
  const out = model.forward(batch, { training: true });
  const normal = model.loss(batch, out).total;
  const loss = anomalies
    ? semiSupervisedLoss(normal, model.anomalousLoss(model.forward(anomalies, { training: true }), training.anomalousMargin), training.eta)
    : normal;
  return { loss, out };
}

/** One optimizer step (and EMA codebook step); returns the loss and the code indices the batch used. */
async function trainStep(
  model: VqVae,
  optimizer: Adam,
  learningRate: number,
  batch: { values: Float32Array; count: number; anomalies?: Float32Array; anomalyCount: number },
  training: ResolvedTrainingConfig,
): Promise<{ loss: number; indices: Int32Array }> {
  const size = model.config.inputSize;
  const { loss, indices } = tf.tidy(() => {
    const x = tf.tensor4d(batch.values, [batch.count, size, size, 1]);
    const y = batch.anomalies ? tf.tensor4d(batch.anomalies, [batch.anomalyCount, size, size, 1]) : undefined;
    let encodings: tf.Tensor4D | undefined;
    let used: tf.Tensor3D | undefined;
    const cost = optimizer.minimize(() => {
      const { loss: value, out } = stepLoss(model, x, y, training);
      [encodings, used] = [tf.keep(out.zE), tf.keep(out.indices)];
      return value;
    }, learningRate);
    model.updateCodebookEma(encodings as tf.Tensor4D, used as tf.Tensor3D);
    tf.dispose(encodings);
    return { loss: cost, indices: used as tf.Tensor3D };
  });
  try {
    return { loss: (await loss.data())[0], indices: (await indices.data()) as Int32Array };
  } finally {
    tf.dispose([loss, indices]);
  }
}

/** Mean loss and mean L1 error |x - x̂| of the model (inference mode: no dropout, BatchNorm running statistics) over the images. */
async function evaluate(model: VqVae, images: Float32Array[], batchSize: number): Promise<{ loss: number; l1: number }> {
  const size = model.config.inputSize;
  let [lossSum, l1Sum] = [0, 0];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const figures = tf.tidy(() => {
      const x = tf.tensor4d(batchValues(chunk, size * size), [chunk.length, size, size, 1]);
      const out = model.forward(x);
      return tf.stack([model.loss(x, out).total, tf.mean(tf.abs(tf.sub(x, model.imageOf(out.reconstruction))))]);
    });
    const [loss, l1] = await figures.data();
    figures.dispose();
    lossSum += loss * chunk.length;
    l1Sum += l1 * chunk.length;
    await nextTick();
  }
  return { loss: lossSum / images.length, l1: l1Sum / images.length };
}

/** Images the health check uses without a validation split, and the most the constant image is taken from. */
const HEALTH_IMAGES = 128;
const CONSTANT_IMAGE_SAMPLE = 512;

/** The loss that chooses the best epoch and early stopping: validation when there is a split, else training. */
const monitoredHistory = (record: EpochRecord): number[] => (record.validationLossHistory.length > 0 ? record.validationLossHistory : record.lossHistory);

/**
 * Trains `initial` (or a new model from `training.seed`, or the checkpoint in modelDir with `resume`) on
 * the slices (each inputSize² values in [0, 1], row-major). A seeded part (validationFraction) is held out
 * for validation. Every epoch visits the training slices in a seeded random order, in batches of
 * `batchSize`, and ends by saving the model folder. Training stops after `epochs`, after
 * `earlyStoppingPatience` epochs without a better monitored loss, or on a cancel: then before the next
 * step, leaving the folder at the last completed epoch (absent if none); the returned model then
 * includes the partial epoch. Otherwise the returned model holds the best epoch's weights, as the folder.
 */
export async function trainVqVae(
  slices: Float32Array[],
  modelConfig: VqVaeConfig,
  trainingConfig: TrainingConfig,
  opts: TrainOptions,
): Promise<TrainResult & { model: VqVae }> {
  validateVqVaeConfig(modelConfig);
  validateTrainingConfig(trainingConfig);
  const config = resolveVqVaeConfig(modelConfig);
  const training = resolveTrainingConfig(trainingConfig);
  registerGradients(); // done by selectBackend already; repeated so that training never depends on call order
  if (slices.length === 0) throw new BadInputError('No training images: the data folder gave no usable slices');
  checkSlices(slices, config.inputSize, 'slice');
  const anomalous = opts.anomalous ?? [];
  checkSlices(anomalous, config.inputSize, 'anomalous slice');
  if (opts.initial && configText(opts.initial.config) !== configText(config)) {
    throw new Error(`trainVqVae: the initial model's configuration ${configText(opts.initial.config)} differs from ${configText(config)}`);
  }
  const resumed = opts.resume ? await readResumeState(opts.modelDir) : undefined;
  if (resumed) checkResumable(opts.modelDir, resumed, config, training);

  const model = opts.initial ?? VqVae.create(config, training.seed);
  const optimizer = new Adam(model.trainableWeights());
  const generators: Generators = {
    shuffle: new SeededRandom(training.seed, 'shuffle'),
    augment: new SeededRandom(training.seed, 'augment'),
    anomalous: new SeededRandom(training.seed, 'anomalous'),
  };
  const record: EpochRecord = resumed?.record ?? {
    created: new Date().toISOString(),
    epochsCompleted: 0,
    lossHistory: [],
    validationLossHistory: [],
    bestEpoch: 0,
    bestCodebookUsage: 0,
    seconds: 0,
  };
  let bestWeights: EncodedWeights | undefined;
  if (resumed) {
    model.setWeights(resumed.weights);
    optimizer.setState(resumed.optimizer);
    tf.dispose([resumed.weights, resumed.optimizer.moments]);
    generators.shuffle.state = resumed.random.shuffle;
    generators.augment.state = resumed.random.augment;
    generators.anomalous.state = resumed.random.anomalous;
    model.dropoutRandomState = resumed.random.dropout;
    bestWeights = resumed.best;
    opts.log?.(`Resuming ${opts.modelDir} after epoch ${record.epochsCompleted}`);
  }
  if (await setPriorAside(opts.modelDir)) {
    opts.log?.(`The prior in ${priorDir(opts.modelDir)} no longer matches the model's tokens: moved to ${PREVIOUS_PRIOR_FOLDER}/ (train-prior again)`);
  }

  const split = opts.validation ? undefined : splitTrainValidation(slices.length, training.validationFraction, training.seed);
  const trainImages = split ? split.train.map((i) => slices[i]) : slices;
  const validationImages = split ? split.validation.map((i) => slices[i]) : (opts.validation ?? []);
  checkSlices(validationImages, config.inputSize, 'validation slice');
  const { batchSize } = training;
  const stepsPerEpoch = Math.ceil(trainImages.length / batchSize);
  // Small folders get more epochs, so that every training reaches minSteps optimizer steps.
  const epochs = Math.max(training.epochs, Math.ceil(training.minSteps / stepsPerEpoch));
  if (epochs > training.epochs)
    opts.log?.(`${epochs} epochs instead of ${training.epochs}, to reach ${training.minSteps} optimizer steps (${stepsPerEpoch} per epoch)`);
  const pixels = config.inputSize ** 2;
  const started = Date.now() - record.seconds * 1000;
  const epochsWithoutImprovement = (): number => record.epochsCompleted - record.bestEpoch;
  // The health check (modelHealth.ts) compares the model with the best constant image on the validation images (else training images).
  const healthImages = validationImages.length > 0 ? validationImages : evenlySpaced(trainImages, HEALTH_IMAGES);
  const constantL1 = meanAbsoluteError(healthImages, bestConstantImage(evenlySpaced(trainImages, CONSTANT_IMAGE_SAMPLE)));
  let cancelled = false;
  let stoppedEarly = false;
  opts.log?.(
    `Training on ${trainImages.length} images, validating on ${validationImages.length}` +
      (anomalous.length > 0 ? `, ${anomalous.length} labelled anomalies (ss-VQ-VAE, eta ${training.eta})` : ''),
  );

  /** Runs one epoch's steps; null when cancelled before its end. */
  const runEpoch = async (epoch: number): Promise<EpochStats | null> => {
    const order = generators.shuffle.shuffled(trainImages.map((_, i) => i));
    const codesUsed = new Set<number>();
    let codebookReplaced = false;
    let lossSum = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (opts.isCancelled?.()) return null;
      const images = order
        .slice(step * batchSize, (step + 1) * batchSize)
        .map((i) => augmentImage(trainImages[i], config.inputSize, training.augment, generators.augment));
      const anomalyBatch = anomalous.length > 0 ? Array.from({ length: batchSize }, () => anomalous[generators.anomalous.int(anomalous.length)]) : [];
      const globalStep = (epoch - 1) * stepsPerEpoch + step;
      const learningRate = learningRateAt(training.lrSchedule, training.learningRate, globalStep, epochs * stepsPerEpoch, training.warmupSteps);
      const batch = {
        values: batchValues(images, pixels),
        count: images.length,
        anomalies: anomalyBatch.length > 0 ? batchValues(anomalyBatch, pixels) : undefined,
        anomalyCount: anomalyBatch.length,
      };
      const { loss, indices } = await trainStep(model, optimizer, learningRate, batch, training);
      lossSum += loss * images.length;
      indices.forEach((k) => codesUsed.add(k));
      if (globalStep + 1 === training.codebookInitSteps && !opts.initial) {
        const inUse = await initialiseCodebookFromData(model, trainImages, generators.shuffle, training.seed);
        opts.log?.(`Step ${globalStep + 1}: codebook replaced by k-means of training encodings, ${inUse}/${config.codebookSize} codes in use`);
        codesUsed.clear();
        codebookReplaced = true;
      }
      opts.onProgress?.({ epoch, epochs, step: step + 1, stepsPerEpoch, loss, learningRate });
      await nextTick(); // lets cancel messages in
    }
    return { meanLoss: lossSum / trainImages.length, codesUsed, codebookReplaced };
  };

  /** The manifest of the folder as it stands after the latest epoch. */
  const manifest = (): Omit<ModelManifest, 'format' | 'version' | 'weightsManifest'> => ({
    name: basename(opts.modelDir),
    created: record.created,
    backend: opts.backendName,
    config: model.config,
    training: {
      ...training,
      epochsCompleted: record.epochsCompleted,
      finalLoss: record.lossHistory[record.lossHistory.length - 1],
      lossHistory: [...record.lossHistory],
      seconds: record.seconds,
      validationLossHistory: [...record.validationLossHistory],
      bestEpoch: record.bestEpoch,
      stoppedEarly,
      trainImages: trainImages.length,
      validationImages: validationImages.length,
      anomalousImages: anomalous.length,
    },
    normalization: manifestNormalization(opts.normalization ?? 'percentile'),
    data: opts.dataSummary,
    // Codebook usage counted over the training images during the best epoch's steps (no extra pass).
    codebookUsage: record.bestCodebookUsage,
    ...(record.bestHealth ? { health: record.bestHealth } : {}),
    method: anomalous.length > 0 ? 'ss-vqvae' : 'vq-vae',
    ...(opts.fineTunedFrom ? { fineTunedFrom: opts.fineTunedFrom } : {}),
    ...(opts.aggregatedCodebook ? { aggregatedCodebook: opts.aggregatedCodebook } : {}),
  });

  try {
    for (let epoch = record.epochsCompleted + 1; epoch <= epochs; epoch++) {
      const stats = await runEpoch(epoch);
      if (stats === null) {
        cancelled = true;
        const kept = epoch > 1 ? `${opts.modelDir} keeps epoch ${epoch - 1}` : 'no model was saved';
        opts.log?.(`Training cancelled during epoch ${epoch}; ${kept}`);
        break;
      }
      record.epochsCompleted = epoch;
      record.lossHistory.push(stats.meanLoss);
      if (training.restartDeadCodes && config.codebookUpdate !== 'ema' && !stats.codebookReplaced) {
        const restarted = await restartDeadCodes(model, trainImages, stats.codesUsed, generators.shuffle, batchSize);
        if (restarted > 0) opts.log?.(`Epoch ${epoch}: ${restarted} unused codes restarted at training encodings`);
      }
      const checked = await evaluate(model, healthImages, batchSize);
      if (validationImages.length > 0) record.validationLossHistory.push(checked.loss);
      const monitored = monitoredHistory(record);
      const improved = record.bestEpoch === 0 || monitored[epoch - 1] < monitored[record.bestEpoch - 1];
      if (improved) {
        record.bestEpoch = epoch;
        record.bestCodebookUsage = stats.codesUsed.size;
        record.bestHealth = modelHealth({
          reconstructionL1: checked.l1,
          constantL1,
          codesInUse: stats.codesUsed.size,
          codebookSize: config.codebookSize,
          checkedOn: validationImages.length > 0 ? 'validation' : 'training',
        });
        bestWeights = await tf.io.encodeWeights(model.getWeights());
      }
      stoppedEarly =
        training.earlyStoppingPatience > 0 &&
        epochsWithoutImprovement() >= training.earlyStoppingPatience &&
        epoch < epochs &&
        epoch * stepsPerEpoch >= training.minSteps;
      record.seconds = (Date.now() - started) / 1000;
      const random = {
        shuffle: generators.shuffle.state,
        augment: generators.augment.state,
        anomalous: generators.anomalous.state,
        dropout: model.dropoutRandomState,
      };
      await saveModel(opts.modelDir, model, manifest(), {
        weights: bestWeights,
        extraFiles: await resumeFiles(model, optimizer, training, record, random),
      });
      const validationLoss = record.validationLossHistory.length > 0 ? { validationLoss: record.validationLossHistory[epoch - 1] } : {};
      opts.onProgress?.({
        epoch,
        epochs,
        step: stepsPerEpoch,
        stepsPerEpoch,
        loss: stats.meanLoss,
        checkpointed: true,
        ...validationLoss,
        bestEpoch: record.bestEpoch,
      });
      const validation = validationImages.length > 0 ? `, validation loss ${monitored[epoch - 1].toFixed(5)}` : '';
      opts.log?.(
        `Epoch ${epoch}/${epochs}: mean loss ${stats.meanLoss.toFixed(5)}${validation}, ${stats.codesUsed.size}/${config.codebookSize} codes used, ` +
          `${record.seconds.toFixed(1)} s; saved ${opts.modelDir} (best epoch ${record.bestEpoch})`,
      );
      if (stoppedEarly) {
        opts.log?.(
          `Early stopping: no better ${validation ? 'validation' : 'training'} loss for ${training.earlyStoppingPatience} epochs; the model keeps epoch ${record.bestEpoch}`,
        );
        break;
      }
    }
    const health = record.bestHealth;
    if (health) {
      opts.log?.(
        `Model health (epoch ${record.bestEpoch}, ${health.checkedOn} images): L1 ${health.reconstructionL1.toFixed(4)} vs ${health.constantL1.toFixed(4)} ` +
          `for the best constant image, ${health.codesInUse}/${health.codebookSize} codes in use${health.problems.length > 0 ? '' : ': healthy'}`,
      );
      for (const problem of health.problems) opts.log?.(`Warning: ${problem}`);
    }
    if (!cancelled && bestWeights && record.bestEpoch !== record.epochsCompleted) {
      const best = tf.io.decodeWeights(bestWeights.data, bestWeights.specs);
      model.setWeights(best);
      tf.dispose(best);
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
    epochsCompleted: record.epochsCompleted,
    finalLoss: record.lossHistory.length > 0 ? record.lossHistory[record.lossHistory.length - 1] : NaN,
    bestEpoch: record.bestEpoch,
    bestLoss: record.bestEpoch > 0 ? monitoredHistory(record)[record.bestEpoch - 1] : NaN,
    bestLossOn: record.validationLossHistory.length > 0 ? 'validation' : 'training',
    images: trainImages.length + validationImages.length,
    trainImages: trainImages.length,
    validationImages: validationImages.length,
    cancelled,
    ...(record.bestHealth && { health: record.bestHealth }),
  };
}

/** Refuses to resume with other settings than the checkpoint's (only `epochs` may change). */
function checkResumable(dir: string, resumed: { config: object; training: ResolvedTrainingConfig }, config: object, training: ResolvedTrainingConfig): void {
  if (configText(resumed.config) !== configText(config)) {
    throw new BadInputError(`Cannot resume ${dir}: its model configuration ${configText(resumed.config)} differs from ${configText(config)}`);
  }
  const comparable = (t: ResolvedTrainingConfig): string => configText({ ...t, epochs: 0, augment: configText(t.augment) });
  if (comparable(resumed.training) !== comparable(training)) {
    throw new BadInputError(
      `Cannot resume ${dir}: its training settings ${comparable(resumed.training)} differ from ${comparable(training)} (only epochs may change)`,
    );
  }
}
