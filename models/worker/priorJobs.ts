// The prior's jobs behind the worker's `trainPrior` method and the CLI's `train-prior` command: encode a
// folder's slices with a trained VQ-VAE, train the latent prior on the token sequences (methods.md §5),
// then calibrate the LSR thresholds lambda_s and lambda_p on held-out sequences (methods.md §6).
// A prior conditioned on the slice position trains each slice with its position in its volume; a
// fine-tune starts from the prior already saved in the model folder.

import { loadTrainingSlices } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { calibrateLambda } from '../prior/nll';
import { foregroundTokenMask, valuesAtTokens } from '../prior/foregroundTokens';
import { PriorCache } from '../prior/priorCache';
import { iltmConverged, iltmThreshold, latentKeepMask, type IltmIteration } from '../prior/iltm';
import { hasPrior, loadPrior, updatePriorManifest, type PriorCalibration } from '../prior/priorCheckpoint';
import { DEFAULT_PRIOR_TRAINING, validatePriorTrainingConfig, type PriorTrainingConfig } from '../prior/priorTrainingConfig';
import { sequenceNll } from '../prior/sequenceNll';
import { encodeTokens } from '../prior/tokens';
import { trainPrior, type PriorTrainResult } from '../prior/trainPrior';
import type { PriorTransformer } from '../prior/transformer';
import { priorConfigFor, sliceCondition, type PriorConfig } from '../prior/transformerConfig';
import type { BackendName } from '../runtime/backendNames';
import { DEFAULT_PRIOR_MAP_OPTIONS, kdeMap, priorThresholds, type PriorMapOptions, type ScoringPrior } from '../scoring/priorMaps';
import type { ScoreVolumeOptions, VolumeScore } from '../scoring/scoreScan';
import { loadModel, normalizationOf } from '../vqvae/checkpoint';
import { latentSize, type ResolvedVqVaeConfig } from '../vqvae/config';
import type { VqVae } from '../vqvae/model';
import type { JobControl } from './jobs';
import type { FileScore, ScoringParameters, TrainPriorParams, TrainPriorResult, TrainProgress } from './protocol';

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

/**
 * What folder scoring adds with a prior: scoreVolume's options for the LSR sample score (FileScore.priorScore)
 * from the NLL alone, with the restorations and KDE samplings off (they take seconds a slice); {} when
 * the model has no prior, or no lambda_s (neither calibrated nor fixed).
 */
export async function folderPriorScoring(modelDir: string, scoring: ScoringParameters = {}): Promise<Pick<ScoreVolumeOptions, 'prior' | 'priorMaps'>> {
  const prior = await loadScoringPrior(modelDir);
  if (!prior || priorThresholds(prior.calibration, scoring.priorMaps ?? {}).lambdaS === undefined) return {};
  return { prior, priorMaps: { ...scoring.priorMaps, restorationSamples: 0, kdeSamplings: 0 } };
}

/** The LSR sample score of a scan scored with folderPriorScoring's options, as a FileScore field (none without it). */
export function priorScoreOf(scored: VolumeScore): Pick<FileScore, 'priorScore'> {
  return scored.priorScores ? { priorScore: scored.priorScores.score } : {};
}

/** The prior configuration: the given overrides on the CPU architecture, with the model's own token grid. */
export function resolvePriorConfig(model: ResolvedVqVaeConfig, overrides: Partial<PriorConfig> = {}): PriorConfig {
  const grid = priorConfigFor({ vocabSize: model.codebookSize, latentSize: latentSize(model) });
  return { ...grid, ...overrides, vocabSize: grid.vocabSize, sequenceLength: grid.sequenceLength };
}

/** The prior saved in `modelDir`, to fine-tune; BadInputError when it models another token grid than the model. */
async function savedPriorToFineTune(modelDir: string, model: ResolvedVqVaeConfig): Promise<PriorTransformer> {
  const { prior } = await loadPrior(modelDir);
  const grid = resolvePriorConfig(model);
  if (prior.config.vocabSize !== grid.vocabSize || prior.config.sequenceLength !== grid.sequenceLength) {
    prior.dispose();
    throw new BadInputError(
      `The prior in ${modelDir} models ${prior.config.sequenceLength} tokens of ${prior.config.vocabSize} codes, the model ${grid.sequenceLength} of ${grid.vocabSize}: train the prior again instead of fine-tuning it`,
    );
  }
  return prior;
}

/** The condition of each slice for a prior conditioned on the slice position, else undefined. */
function conditionsFor(config: PriorConfig, positions: (number | undefined)[]): number[] | undefined {
  return config.conditionOnSlicePosition ? positions.map(sliceCondition) : undefined;
}

/**
 * lambda_s and lambda_p from the per-token NLL of `sequences` (with their `conditions` for a conditioned
 * prior) at their foreground tokens (`foreground`, foregroundTokens.ts), or at all tokens when none is.
 */
export async function calibrateThresholds(
  prior: PriorTransformer,
  sequences: Int32Array[],
  foreground: Uint8Array[],
  source: PriorCalibration['source'],
  conditions?: number[],
): Promise<PriorCalibration> {
  const { values, foregroundOnly } = valuesAtTokens(await sequenceNll(prior, sequences, conditions), foreground);
  return {
    lambdaS: calibrateLambda(values, LAMBDA_S_PERCENTILE),
    lambdaP: calibrateLambda(values, LAMBDA_P_PERCENTILE),
    percentileS: LAMBDA_S_PERCENTILE,
    percentileP: LAMBDA_P_PERCENTILE,
    source,
    sequences: sequences.length,
    tokens: foregroundOnly ? 'foreground' : 'all',
  };
}

/** What the ILTM loop needs besides the prior: the model, the training slices and their tokens, and how to retrain. */
interface IltmInputs {
  model: VqVae;
  slices: Float32Array[];
  sequences: Int32Array[];
  /** The slice position condition of each sequence, for a conditioned prior. */
  conditions?: number[];
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
async function runIltm(
  prior: PriorTransformer,
  iterations: number,
  inputs: IltmInputs,
): Promise<{ iterations: IltmIteration[]; converged: boolean; cancelled: boolean }> {
  const { model, slices, sequences, conditions, control } = inputs;
  const latent = latentSize(model.config);
  const records: IltmIteration[] = [];
  const stop = (converged: boolean, cancelled = false) => ({ iterations: records, converged, cancelled });
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const threshold = iltmThreshold(inputs.kde.kdeThreshold, iteration);
    const nlls = await sequenceNll(prior, sequences, conditions);
    const masks: Uint8Array[] = [];
    for (const [z, input] of slices.entries()) {
      await nextTick(); // lets a cancel message in: a KDE map takes seconds
      if (control.isCancelled()) return stop(false, true);
      const kde = kdeMap(model, prior, { z, input, reconstruction: input, tokens: sequences[z], condition: conditions?.[z] }, nlls[z], {
        ...inputs.kde,
        kdeThreshold: threshold,
      });
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
 * Trains the prior of `params.modelDir` (a new one, or with `fineTune` the saved one) on every usable
 * slice of `params.folder` (10 % of the files held out), saving `<modelDir>/prior/` every epoch,
 * optionally refines it by ILTM, then stores lambda_s / lambda_p (and the ILTM record) in its manifest.
 * On a cancel it returns `cancelled: true` without calibrating (the folder keeps the last completed epoch).
 */
export async function runTrainPrior(params: TrainPriorParams, backend: BackendName, control: JobControl<TrainProgress>): Promise<TrainPriorResult> {
  const training: PriorTrainingConfig = { ...DEFAULT_PRIOR_TRAINING, ...params.training };
  validatePriorTrainingConfig(training); // before reading the data, which can take long
  const iltmIterations = params.iltm?.iterations ?? 0;
  if (!(Number.isInteger(iltmIterations) && iltmIterations >= 0)) throw new BadInputError(`ILTM iterations must be a whole number >= 0, got ${iltmIterations}`);
  const { model, manifest } = await loadModel(params.modelDir);
  try {
    if (params.fineTune && !hasPrior(params.modelDir))
      throw new BadInputError(`${params.modelDir} has no latent prior to fine-tune: train one first (Train latent prior)`);
    // The slices exactly as the VQ-VAE was trained on them: its normalization and aspect policy.
    const data = await loadTrainingSlices(params.folder, model.config.inputSize, control.log, {
      validationFraction: CALIBRATION_FRACTION,
      seed: training.seed,
      normalization: normalizationOf(manifest),
      aspect: model.config.aspect,
    });
    const sequences = await encodeTokens(model, data.slices);
    const heldOut = await encodeTokens(model, data.validation.slices);
    const initial = params.fineTune ? await savedPriorToFineTune(params.modelDir, model.config) : undefined;
    const config = initial?.config ?? resolvePriorConfig(model.config, params.prior);
    const conditions = conditionsFor(config, data.positions);
    const heldOutConditions = conditionsFor(config, data.validation.positions);
    const what = `${initial ? 'Fine-tuning the saved prior' : 'Prior'}${conditions ? ' conditioned on the slice position' : ''}`;
    control.log(`${what}: ${sequences.length} token sequences of ${config.sequenceLength} tokens for training, ${heldOut.length} held out`);

    const trainOptions = {
      modelDir: params.modelDir,
      backendName: backend,
      conditions,
      validation: heldOut,
      validationConditions: heldOutConditions,
      onProgress: control.onProgress,
      isCancelled: control.isCancelled,
      log: control.log,
    };
    let trained = await trainPrior(sequences, config, training, trainOptions, initial).catch((error) => {
      initial?.dispose(); // trainPrior disposes only a prior it created
      throw error;
    });
    try {
      const iltm =
        !trained.cancelled && iltmIterations > 0
          ? await runIltm(trained.prior, iltmIterations, {
              model,
              slices: data.slices,
              sequences,
              conditions,
              control,
              kde: { ...DEFAULT_PRIOR_MAP_OPTIONS, ...params.iltm?.kde },
              retrain: async (tokenMasks, initial) => (trained = await trainPrior(sequences, config, training, { ...trainOptions, tokenMasks }, initial)),
            })
          : undefined;
      const result = {
        modelDir: params.modelDir,
        epochsCompleted: trained.epochsCompleted,
        finalLoss: trained.finalLoss,
        sequences: sequences.length,
        cancelled: trained.cancelled || iltm?.cancelled === true,
        ...(iltm && { iltm: iltm.iterations }),
      };
      if (result.cancelled) return { ...result, lambdaS: NaN, lambdaP: NaN };
      const enoughHeldOut = heldOut.length >= MIN_CALIBRATION_SEQUENCES;
      if (!enoughHeldOut) control.log(`Only ${heldOut.length} held-out sequences: calibrating lambda_s and lambda_p on the training sequences (biased low)`);
      const foregroundOf = (slices: Float32Array[]) => slices.map((slice) => foregroundTokenMask(slice, model.config.inputSize, latentSize(model.config)));
      const calibration = enoughHeldOut
        ? await calibrateThresholds(trained.prior, heldOut, foregroundOf(data.validation.slices), 'held-out', heldOutConditions)
        : await calibrateThresholds(trained.prior, sequences, foregroundOf(data.slices), 'training', conditions);
      await updatePriorManifest(params.modelDir, { calibration, ...(iltm && { iltm: { iterations: iltm.iterations, converged: iltm.converged } }) });
      control.log(
        `Prior calibrated on ${calibration.sequences} ${calibration.source} sequences: lambda_s = ${calibration.lambdaS.toFixed(3)}, lambda_p = ${calibration.lambdaP.toFixed(3)}`,
      );
      return { ...result, lambdaS: calibration.lambdaS, lambdaP: calibration.lambdaP };
    } finally {
      trained.prior.dispose();
    }
  } finally {
    model.dispose();
  }
}
