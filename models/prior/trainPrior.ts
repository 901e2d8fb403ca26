// Trains the prior on token sequences with Adam, saving `<modelDir>/prior/` after every epoch.
// causal: cross-entropy of every token given the ones before it, optionally leaving ILTM-masked tokens
// out of the attention keys and the loss. bidirectional: the LSGS tampering with the focal loss.
// Cancellable between steps: the folder then keeps the last completed epoch.
import * as tf from '@tensorflow/tfjs-core';
import { BadInputError } from '../io/errors';
import type { TrainProgress } from '../worker/protocol';
import { SeededRandom } from '../vqvae/seededRandom';
import { maskedMeanNll } from './nll';
import { savePrior } from './priorCheckpoint';
import { sequenceNll } from './sequenceNll';
import { validatePriorTrainingConfig, type PriorTrainingConfig } from './priorTrainingConfig';
import { focalReplacementLoss, tamperTokens } from './replacementLoss';
import { PriorTransformer } from './transformer';
import type { PriorConfig } from './transformerConfig';

export interface PriorTrainOptions {
  /** The model folder; the prior is saved to its `prior/` sub-folder. */
  modelDir: string;
  backendName: string;
  /** Slice position c in [-0.5, 0.5] of each sequence; required when the config conditions on it. */
  conditions?: number[];
  /** ILTM token masks (causal mode), one per sequence: 1 = keep, 0 = masked from attention and loss. */
  tokenMasks?: Uint8Array[];
  /**
   * Held-out sequences: a causal prior reports their mean per-token NLL (its training loss, without
   * dropout) as `validationLoss` at each epoch's end. The bidirectional prior's focal loss has no such twin.
   */
  validation?: Int32Array[];
  /** The slice position condition of each validation sequence, for a prior conditioned on it. */
  validationConditions?: number[];
  /** After every step, and once more per epoch with `checkpointed: true` once its checkpoint is written. */
  onProgress?(p: TrainProgress): void;
  /** Polled before every step; true stops training there. */
  isCancelled?(): boolean;
  log?(line: string): void;
}

export interface PriorTrainResult {
  prior: PriorTransformer;
  epochsCompleted: number;
  finalLoss: number;
  cancelled: boolean;
}

/** The tensors' values for one batch of sequences. */
interface BatchValues {
  count: number;
  tokens: Int32Array;
  /** Keep mask of the tokens (1 = keep), present when the training has ILTM masks. */
  keep?: Float32Array;
  conditions?: Float32Array;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkInputs(sequences: Int32Array[], config: PriorConfig, opts: PriorTrainOptions): void {
  if (sequences.length === 0) throw new BadInputError('No token sequences to train the prior on');
  const problems: string[] = [];
  const wrongLength = sequences.findIndex((s) => s.length !== config.sequenceLength);
  if (wrongLength >= 0) problems.push(`sequence ${wrongLength} has ${sequences[wrongLength].length} tokens, the prior models ${config.sequenceLength}`);
  const outOfRange = sequences.findIndex((s) => s.some((k) => k < 0 || k >= config.vocabSize));
  if (outOfRange >= 0) problems.push(`sequence ${outOfRange} has a token outside [0, ${config.vocabSize})`);
  if (config.conditionOnSlicePosition && opts.conditions?.length !== sequences.length)
    problems.push('the config conditions on the slice position: give one condition per sequence');
  if (!config.conditionOnSlicePosition && opts.conditions !== undefined)
    problems.push('conditions were given, but the config does not condition on the slice position');
  if (opts.tokenMasks && config.attention !== 'causal') problems.push('token masks (ILTM) need the causal prior');
  if (opts.tokenMasks && (opts.tokenMasks.length !== sequences.length || opts.tokenMasks.some((m) => m.length !== config.sequenceLength))) {
    problems.push(`give one token mask of ${config.sequenceLength} values per sequence`);
  }
  if (problems.length > 0) throw new Error(`trainPrior: ${problems.join('; ')}`);
}

function batchValues(indices: number[], sequences: Int32Array[], config: PriorConfig, opts: PriorTrainOptions): BatchValues {
  const n = config.sequenceLength;
  const tokens = new Int32Array(indices.length * n);
  indices.forEach((index, i) => tokens.set(sequences[index], i * n));
  const masks = opts.tokenMasks;
  const keep = masks ? new Float32Array(indices.length * n) : undefined;
  if (keep && masks) indices.forEach((index, i) => keep.set(masks[index], i * n));
  const given = opts.conditions;
  const conditions = given ? Float32Array.from(indices, (index) => given[index]) : undefined;
  return { count: indices.length, tokens, keep, conditions };
}

/** The loss of one batch: causal masked cross-entropy, or the LSGS focal loss on a freshly tampered copy. */
function batchLoss(prior: PriorTransformer, batch: BatchValues, training: PriorTrainingConfig, tamperRandom: SeededRandom): tf.Scalar {
  const { sequenceLength: n, vocabSize } = prior.config;
  const shape: [number, number] = [batch.count, n];
  const original = tf.tensor2d(batch.tokens, shape, 'int32');
  const condition = batch.conditions ? tf.tensor1d(batch.conditions) : undefined;
  if (prior.config.attention === 'causal') {
    const keep = batch.keep ? tf.tensor2d(batch.keep, shape) : undefined;
    return maskedMeanNll(prior.forward(original, { keyMask: keep, condition, training: true }), original, keep);
  }
  const tampered = new Int32Array(batch.tokens.length);
  const replaced = new Float32Array(batch.tokens.length);
  for (let i = 0; i < batch.count; i++) {
    const one = tamperTokens(batch.tokens.subarray(i * n, (i + 1) * n), vocabSize, training.replacedFraction, tamperRandom);
    tampered.set(one.tokens, i * n);
    replaced.set(one.replaced, i * n);
  }
  const logits = prior.forward(tf.tensor2d(tampered, shape, 'int32'), { condition, training: true });
  return focalReplacementLoss(logits, original, tf.tensor2d(replaced, shape), training.focalBeta);
}

/** The mean per-token NLL of the held-out sequences under a causal prior; undefined without any, or for a bidirectional prior. */
async function heldOutLoss(prior: PriorTransformer, validation: Int32Array[] | undefined, conditions: number[] | undefined): Promise<number | undefined> {
  if (!validation?.length || prior.config.attention !== 'causal') return undefined;
  const maps = await sequenceNll(prior, validation, conditions);
  return maps.reduce((sum, map) => sum + map.reduce((a, b) => a + b, 0), 0) / (maps.length * prior.config.sequenceLength);
}

/**
 * Trains `initial` (or a new prior from `training.seed`) on the sequences (each sequenceLength tokens in
 * [0, vocabSize)). Every epoch visits them in a seeded random order in batches of `batchSize` and ends by
 * saving `<modelDir>/prior/`. On a cancel it stops before the next step; the folder keeps the last
 * completed epoch (absent if none), the returned prior includes the partial epoch.
 */
export async function trainPrior(
  sequences: Int32Array[],
  config: PriorConfig,
  training: PriorTrainingConfig,
  opts: PriorTrainOptions,
  initial?: PriorTransformer,
): Promise<PriorTrainResult> {
  validatePriorTrainingConfig(training);
  checkInputs(sequences, config, opts);
  const prior = initial ?? PriorTransformer.create(config, training.seed);

  const { epochs, batchSize } = training;
  const stepsPerEpoch = Math.ceil(sequences.length / batchSize);
  const shuffler = new SeededRandom(training.seed, 'prior-shuffle');
  const tamperRandom = new SeededRandom(training.seed, 'prior-tamper');
  const allIndices = sequences.map((_, i) => i);
  const optimizer = tf.train.adam(training.learningRate);
  const created = new Date().toISOString();
  const started = Date.now();
  const lossHistory: number[] = [];
  let cancelled = false;

  /** Runs one epoch; its mean loss, or null when cancelled before its end. */
  const runEpoch = async (epoch: number): Promise<number | null> => {
    const order = shuffler.shuffled(allIndices);
    let lossSum = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (opts.isCancelled?.()) return null;
      const batch = batchValues(order.slice(step * batchSize, (step + 1) * batchSize), sequences, config, opts);
      const lossTensor = tf.tidy(
        () => optimizer.minimize(() => batchLoss(prior, batch, training, tamperRandom), true, prior.trainableVariables()) as tf.Scalar,
      );
      const loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      lossSum += loss * batch.count;
      opts.onProgress?.({ epoch, epochs, step: step + 1, stepsPerEpoch, loss, learningRate: training.learningRate });
      await nextTick(); // lets cancel messages in
    }
    return lossSum / sequences.length;
  };

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const meanLoss = await runEpoch(epoch);
      if (meanLoss === null) {
        cancelled = true;
        opts.log?.(`Prior training cancelled during epoch ${epoch}; ${epoch > 1 ? `the saved prior keeps epoch ${epoch - 1}` : 'no prior was saved'}`);
        break;
      }
      lossHistory.push(meanLoss);
      const seconds = (Date.now() - started) / 1000;
      await savePrior(opts.modelDir, prior, {
        created,
        backend: opts.backendName,
        config: prior.config,
        training: { ...training, epochsCompleted: epoch, finalLoss: meanLoss, lossHistory: [...lossHistory], seconds, sequences: sequences.length },
      });
      const validationLoss = await heldOutLoss(prior, opts.validation, opts.validationConditions);
      opts.onProgress?.({
        epoch,
        epochs,
        step: stepsPerEpoch,
        stepsPerEpoch,
        loss: meanLoss,
        checkpointed: true,
        ...(validationLoss !== undefined && { validationLoss }),
      });
      opts.log?.(`Prior epoch ${epoch}/${epochs}: mean loss ${meanLoss.toFixed(5)}, ${seconds.toFixed(1)} s; saved ${opts.modelDir}/prior`);
    }
  } catch (error) {
    if (!initial) prior.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }

  return { prior, epochsCompleted: lossHistory.length, finalLoss: lossHistory.length > 0 ? lossHistory[lossHistory.length - 1] : NaN, cancelled };
}
