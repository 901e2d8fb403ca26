// The maps a latent prior gives one slice (methods.md §6), at the model's sizes: the NLL of every token,
// the LSR sample score, the LSR restoration score with its restorations, and the ILTM KDE map.
import * as tf from '@tensorflow/tfjs-core';
import { sampleScore } from '../prior/nll';
import type { PriorCalibration } from '../prior/priorCheckpoint';
import { resampleTokens } from '../prior/resample';
import { sequenceNll } from '../prior/sequenceNll';
import type { PriorTransformer } from '../prior/transformer';
import { BadInputError } from '../io/errors';
import { latentSize } from '../vqvae/config';
import type { VqVae } from '../vqvae/model';
import { CancelledError } from '../worker/cancelled';
import { KDE_EPS, kdeAnomaly } from './kde';
import { restorationScore } from './restoration';

/** A loaded prior and its thresholds (absent when its training was cancelled before calibration). */
export interface ScoringPrior {
  prior: PriorTransformer;
  calibration?: PriorCalibration;
}

/** The settings of the prior's maps (`vqAnomaly.lsr.*`, `vqAnomaly.kde.*`). */
export interface PriorMapOptions {
  /** Restorations S per slice (LSR: 15); 0 = no restoration map. Needs lambda_p: a calibrated prior or a fixed lambdaP. */
  restorationSamples: number;
  /** What the restorations are compared to: the input (LSR) or the reconstruction of the original tokens (LSGS). */
  restorationReference: 'input' | 'reconstruction';
  /** Resamplings N of the unlikely tokens per slice for the KDE map (ILTM: 60); 0 = no KDE map. */
  kdeSamplings: number;
  /** Decodes M of each resampling with decoder dropout (ILTM: 5). */
  kdeDropoutDecodes: number;
  /** Tokens with p(s_i) below t are resampled (ILTM: 0.005). */
  kdeThreshold: number;
  /** The bandwidth floor eps on intensities in [0, 1] (ILTM: 0.05). */
  kdeEps: number;
  seed: number;
  /** A fixed lambda_s instead of the calibrated one (`vqAnomaly.prior.lambdaS`); absent = the prior's calibration. */
  lambdaS?: number;
  /** A fixed lambda_p instead of the calibrated one (`vqAnomaly.prior.lambdaP`); absent = the prior's calibration. */
  lambdaP?: number;
}

export const DEFAULT_PRIOR_MAP_OPTIONS: PriorMapOptions = {
  restorationSamples: 15,
  restorationReference: 'input',
  kdeSamplings: 20,
  kdeDropoutDecodes: 5,
  kdeThreshold: 0.005,
  kdeEps: KDE_EPS,
  seed: 1,
};

/** What the prior needs of one slice, at the model's sizes. */
export interface SliceTokens {
  /** Index of the slice in its scan (varies the sampling seed). */
  z: number;
  /** The model's input and its reconstruction, inputSize² values. */
  input: Float32Array;
  reconstruction: Float32Array;
  /** The code indices, raster order. */
  tokens: Int32Array;
  /** Slice position in [-0.5, 0.5], for a prior conditioned on it. */
  condition?: number;
}

export interface SlicePriorMaps {
  /** nll_i per token, on the latent grid (raster order). */
  nll: Float32Array;
  /** AS_sample = sum of nll_i > lambda_s, with a calibrated prior or a fixed lambda_s. */
  sampleScore?: number;
  /** AS_pixel (unsmoothed) and the S restorations, inputSize² values each. */
  restoration?: { score: Float32Array; samples: Float32Array[] };
  /** -log f_h(x) per pixel, inputSize² values. */
  kde?: Float32Array;
}

/** Throws BadInputError when the prior models another token grid than the model's (a prior trained for another VQ-VAE). */
function checkTokenGrid(model: VqVae, prior: PriorTransformer): void {
  const { vocabSize, sequenceLength } = prior.config;
  const tokens = latentSize(model.config) ** 2;
  if (vocabSize !== model.config.codebookSize || sequenceLength !== tokens) {
    throw new BadInputError(
      `The prior models ${sequenceLength} tokens of ${vocabSize} codes, but the model gives ${tokens} tokens of ${model.config.codebookSize} codes: train the prior again for this model`,
    );
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The LSR thresholds in use: a fixed one from the options, else the calibrated one; absent when neither is there. */
export function priorThresholds(
  calibration: PriorCalibration | undefined,
  options: Pick<PriorMapOptions, 'lambdaS' | 'lambdaP'>,
): { lambdaS?: number; lambdaP?: number } {
  return { lambdaS: options.lambdaS ?? calibration?.lambdaS, lambdaP: options.lambdaP ?? calibration?.lambdaP };
}

/** The prior's maps of a batch of slices; `isCancelled` is checked before each slice (a restoration can take seconds). */
export async function slicePriorMaps(
  model: VqVae,
  scoring: ScoringPrior,
  given: SliceTokens[],
  options: PriorMapOptions,
  isCancelled?: () => boolean,
): Promise<SlicePriorMaps[]> {
  checkTokenGrid(model, scoring.prior);
  // Only a prior conditioned on the slice position reads it.
  const conditioned = scoring.prior.config.conditionOnSlicePosition;
  const slices = given.map((s) => ({ ...s, condition: conditioned ? (s.condition ?? 0) : undefined }));
  const nlls = await sequenceNll(
    scoring.prior,
    slices.map((s) => s.tokens),
    conditioned ? slices.map((s) => s.condition ?? 0) : undefined,
  );
  const { lambdaS, lambdaP } = priorThresholds(scoring.calibration, options);
  const result: SlicePriorMaps[] = [];
  for (const [i, slice] of slices.entries()) {
    await nextTick(); // lets a cancel message in
    if (isCancelled?.()) throw new CancelledError('Scoring cancelled');
    const nll = nlls[i];
    const maps: SlicePriorMaps = { nll };
    if (lambdaS !== undefined) maps.sampleScore = sampleScore(nll, lambdaS);
    if (lambdaP !== undefined && options.restorationSamples > 0) maps.restoration = restore(model, scoring.prior, slice, nll, lambdaP, options);
    if (options.kdeSamplings > 0) maps.kde = kdeMap(model, scoring.prior, slice, nll, options);
    result.push(maps);
  }
  return result;
}

/** The token grids [count * n] decoded as images [count, P] (P = inputSize²). */
function decodeChains(model: VqVae, chains: Int32Array, count: number, dropout: boolean): tf.Tensor2D {
  const side = Math.round(Math.sqrt(chains.length / count));
  return tf.tidy(() => tf.reshape(model.decodeTokens(tf.tensor3d(chains, [count, side, side], 'int32'), { dropout }), [count, -1]) as tf.Tensor2D);
}

/** Latent-space restoration (LSR): S chains with the tokens of nll > lambda_p resampled, decoded in one batch, scored against the reference. */
function restore(
  model: VqVae,
  prior: PriorTransformer,
  slice: SliceTokens,
  nll: Float32Array,
  lambdaP: number,
  options: PriorMapOptions,
): SlicePriorMaps['restoration'] {
  const chains = options.restorationSamples;
  const flagged = Array.from(nll, (v) => v > lambdaP);
  const tokens = resampleTokens(prior, slice.tokens, flagged, { chains, seed: options.seed + slice.z, condition: slice.condition });
  const [score, images] = tf.tidy(() => {
    const restorations = decodeChains(model, tokens, chains, false);
    const reference = options.restorationReference === 'input' ? slice.input : slice.reconstruction;
    return [restorationScore(tf.tensor1d(reference), restorations).dataSync() as Float32Array, restorations.dataSync() as Float32Array];
  });
  const pixels = slice.input.length;
  return { score, samples: Array.from({ length: chains }, (_, j) => images.slice(j * pixels, (j + 1) * pixels)) };
}

/** ILTM: N resamplings of the tokens with p < t, each decoded M times with dropout, then the per-pixel KDE at the input. */
export function kdeMap(model: VqVae, prior: PriorTransformer, slice: SliceTokens, nll: Float32Array, options: PriorMapOptions): Float32Array {
  const { kdeSamplings: samplings, kdeDropoutDecodes: decodes } = options;
  const unlikely = -Math.log(options.kdeThreshold); // p < t  <=>  nll > -log t
  const flagged = Array.from(nll, (v) => v > unlikely);
  const tokens = resampleTokens(prior, slice.tokens, flagged, { chains: samplings, seed: options.seed + slice.z + 1_000_003, condition: slice.condition });
  const repeated = new Int32Array(tokens.length * decodes);
  for (let m = 0; m < decodes; m++) repeated.set(tokens, m * tokens.length);
  return tf.tidy(() => {
    const samples = decodeChains(model, repeated, samplings * decodes, true); // [N * M, P]
    return kdeAnomaly(samples, tf.tensor1d(slice.input), options.kdeEps).dataSync() as Float32Array;
  });
}
