// The prior's jobs behind the worker's `trainPrior` method and the CLI's `train-prior` command: encode a
// folder's slices with a trained VQ-VAE, train the latent prior on the token sequences (methods.md §5),
// then calibrate the LSR thresholds lambda_s and lambda_p on held-out sequences (methods.md §6).

import { loadTrainingSlices } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { calibrateLambda } from '../prior/nll';
import { PriorCache } from '../prior/priorCache';
import { iltmConverged, iltmThreshold, latentKeepMask, type IltmIteration } from '../prior/iltm';
import { updatePriorManifest, type PriorCalibration } from '../prior/priorCheckpoint';
import { DEFAULT_PRIOR_TRAINING, validatePriorTrainingConfig, type PriorTrainingConfig } from '../prior/priorTrainingConfig';
import { sequenceNll } from '../prior/sequenceNll';
import { encodeTokens } from '../prior/tokens';
import { trainPrior, type PriorTrainResult } from '../prior/trainPrior';
import type { PriorTransformer } from '../prior/transformer';
import { priorConfigFor, type PriorConfig } from '../prior/transformerConfig';
import type { BackendName } from '../runtime/backendNames';
import { DEFAULT_PRIOR_MAP_OPTIONS, kdeMap, type PriorMapOptions, type ScoringPrior } from '../scoring/priorMaps';
import { loadModel } from '../vqvae/checkpoint';
import { latentSize, type ResolvedVqVaeConfig } from '../vqvae/config';
import type { VqVae } from '../vqvae/model';
import type { JobControl } from './jobs';
import type { TrainPriorParams, TrainPriorResult, TrainProgress } from './protocol';

/** lambda_s: the 98th percentile of normal per-token NLL (LSR §3: 7). */
export const LAMBDA_S_PERCENTILE = 98;
/** lambda_p: the 90th percentile (LSR §3: 5). */
export const LAMBDA_P_PERCENTILE = 90;
/** Fraction of the folder's files held out of the prior's training to calibrate the thresholds on. */
const CALIBRATION_FRACTION = 0.1;
/** Fewer held-out sequences than this give no usable percentile: the training sequences are used instead. */
const MIN_CALIBRATION_SEQUENCES = 4;

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The prior of the model scored last, kept in memory while the process lives. */
const scoringPriors = new PriorCache();

/** The prior of `modelDir` with its calibration for scoring (scoreVolume's `prior` option), or undefined when it has none. */
export function loadScoringPrior(modelDir: string): Promise<ScoringPrior | undefined> {
  return scoringPriors.load(modelDir);
}

/** The prior configuration: the given overrides on the CPU architecture, with the model's own token grid. */
export function resolvePriorConfig(model: ResolvedVqVaeConfig, overrides: Partial<PriorConfig> = {}): PriorConfig {
  const grid = priorConfigFor({ vocabSize: model.codebookSize, latentSize: latentSize(model) });
  const config = { ...grid, ...overrides, vocabSize: grid.vocabSize, sequenceLength: grid.sequenceLength };
  if (config.conditionOnSlicePosition) {
    throw new BadInputError('Training a prior conditioned on the slice position is not supported yet: the training slices carry no position');
  }
  return config;
}

/** lambda_s and lambda_p from the per-token NLL of `sequences` under the prior. */
export async function calibrateThresholds(prior: PriorTransformer, sequences: Int32Array[], source: PriorCalibration['source']): Promise<PriorCalibration> {
  const maps = await sequenceNll(prior, sequences);
  const values = new Float32Array(maps.reduce((n, m) => n + m.length, 0));
  maps.reduce((offset, m) => (values.set(m, offset), offset + m.length), 0);
  return {
    lambdaS: calibrateLambda(values, LAMBDA_S_PERCENTILE),
    lambdaP: calibrateLambda(values, LAMBDA_P_PERCENTILE),
    percentileS: LAMBDA_S_PERCENTILE,
    percentileP: LAMBDA_P_PERCENTILE,
    source,
    sequences: sequences.length,
  };
}

/** What the ILTM loop needs besides the prior: the model, the training slices and their tokens, and how to retrain. */
interface IltmInputs {
  model: VqVae;
  slices: Float32Array[];
  sequences: Int32Array[];
  kde: PriorMapOptions;
  /** Trains the given prior further with the token masks (trainPrior with `initial`). */
  retrain(tokenMasks: Uint8Array[], initial: PriorTransformer): Promise<PriorTrainResult>;
  control: JobControl<TrainProgress>;
}

/**
 * ILTM (methods.md §7): KDE maps of the training slices with the current prior, thresholded at likelihood
 * 0.005 and downsampled to token masks, then the prior retrained with them; t lowered 12.5 % per
 * iteration; stops when the masked count changes by less than 1 % or after `iterations`.
 */
async function runIltm(prior: PriorTransformer, iterations: number, inputs: IltmInputs): Promise<{ iterations: IltmIteration[]; converged: boolean; cancelled: boolean }> {
  const { model, slices, sequences, control } = inputs;
  const latent = latentSize(model.config);
  const records: IltmIteration[] = [];
  const stop = (converged: boolean, cancelled = false) => ({ iterations: records, converged, cancelled });
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const threshold = iltmThreshold(inputs.kde.kdeThreshold, iteration);
    const nlls = await sequenceNll(prior, sequences);
    const masks: Uint8Array[] = [];
    for (const [z, input] of slices.entries()) {
      await nextTick(); // lets a cancel message in: a KDE map takes seconds
      if (control.isCancelled()) return stop(false, true);
      const kde = kdeMap(model, prior, { z, input, reconstruction: input, tokens: sequences[z] }, nlls[z], { ...inputs.kde, kdeThreshold: threshold });
      masks.push(latentKeepMask(kde, model.config.inputSize, latent));
    }
    const maskedTokens = masks.reduce((sum, mask) => sum + mask.filter((keep) => keep === 0).length, 0);
    control.log(`ILTM iteration ${iteration}: t = ${threshold.toPrecision(3)}, ${maskedTokens} of ${sequences.length * latent * latent} tokens masked`);
    const previous = records.at(-1)?.maskedTokens;
    records.push({ threshold, maskedTokens });
    if (previous !== undefined && iltmConverged(previous, maskedTokens)) return stop(true);
    // Retraining with every token masked would learn nothing (zero loss): keep the prior as it is.
    if (maskedTokens === sequences.length * latent * latent) {
      control.log(`ILTM stopped: every token is masked (the KDE maps find the whole training set anomalous); the prior is kept as trained`);
      return stop(false);
    }
    if ((await inputs.retrain(masks, prior)).cancelled) return stop(false, true);
  }
  return stop(false);
}

/**
 * Trains the prior of `params.modelDir` on every usable slice of `params.folder` (10 % of the files held
 * out), saving `<modelDir>/prior/` every epoch, optionally refines it by ILTM, then stores lambda_s /
 * lambda_p (and the ILTM record) in its manifest. On a cancel it returns `cancelled: true` without
 * calibrating (the folder keeps the last completed epoch).
 */
export async function runTrainPrior(params: TrainPriorParams, backend: BackendName, control: JobControl<TrainProgress>): Promise<TrainPriorResult> {
  const training: PriorTrainingConfig = { ...DEFAULT_PRIOR_TRAINING, ...params.training };
  validatePriorTrainingConfig(training); // before reading the data, which can take long
  const iltmIterations = params.iltm?.iterations ?? 0;
  if (!(Number.isInteger(iltmIterations) && iltmIterations >= 0)) throw new BadInputError(`ILTM iterations must be a whole number >= 0, got ${iltmIterations}`);
  const { model } = await loadModel(params.modelDir);
  try {
    const config = resolvePriorConfig(model.config, params.prior);
    const data = await loadTrainingSlices(params.folder, model.config.inputSize, control.log, { validationFraction: CALIBRATION_FRACTION, seed: training.seed });
    const sequences = await encodeTokens(model, data.slices);
    const heldOut = await encodeTokens(model, data.validation.slices);
    control.log(`Prior: ${sequences.length} token sequences of ${config.sequenceLength} tokens for training, ${heldOut.length} held out`);

    const trainOptions = { modelDir: params.modelDir, backendName: backend, onProgress: control.onProgress, isCancelled: control.isCancelled, log: control.log };
    let trained = await trainPrior(sequences, config, training, trainOptions);
    try {
      const iltm = !trained.cancelled && iltmIterations > 0
        ? await runIltm(trained.prior, iltmIterations, {
          model, slices: data.slices, sequences, control, kde: { ...DEFAULT_PRIOR_MAP_OPTIONS, ...params.iltm?.kde },
          retrain: async (tokenMasks, initial) => (trained = await trainPrior(sequences, config, training, { ...trainOptions, tokenMasks }, initial)),
        })
        : undefined;
      const result = {
        modelDir: params.modelDir, epochsCompleted: trained.epochsCompleted, finalLoss: trained.finalLoss, sequences: sequences.length,
        cancelled: trained.cancelled || iltm?.cancelled === true,
        ...(iltm && { iltm: iltm.iterations }),
      };
      if (result.cancelled) return { ...result, lambdaS: NaN, lambdaP: NaN };
      const enoughHeldOut = heldOut.length >= MIN_CALIBRATION_SEQUENCES;
      if (!enoughHeldOut) control.log(`Only ${heldOut.length} held-out sequences: calibrating lambda_s and lambda_p on the training sequences (biased low)`);
      const calibration = await calibrateThresholds(trained.prior, enoughHeldOut ? heldOut : sequences, enoughHeldOut ? 'held-out' : 'training');
      await updatePriorManifest(params.modelDir, { calibration, ...(iltm && { iltm: { iterations: iltm.iterations, converged: iltm.converged } }) });
      control.log(`Prior calibrated on ${calibration.sequences} ${calibration.source} sequences: lambda_s = ${calibration.lambdaS.toFixed(3)}, lambda_p = ${calibration.lambdaP.toFixed(3)}`);
      return { ...result, lambdaS: calibration.lambdaS, lambdaP: calibration.lambdaP };
    } finally {
      trained.prior.dispose();
    }
  } finally {
    model.dispose();
  }
}
