// Scores one scan with a trained VQ-VAE. The scan is normalized and sliced exactly as for training
// (normalizeVolume, axialSlice); each slice is resized to the model's input size and reconstructed in
// batches; its maps are computed from the model's output and resized back to the slice's own size,
// then written into the scan's grid (setAxialSlice), so every map lies in the scan's grid.

import * as tf from '@tensorflow/tfjs-core';
import { FOREGROUND_THRESHOLD, hasForeground } from '../io/dataset';
import { normalizeVolume, type Normalization } from '../io/normalize';
import { resizeBilinear } from '../io/resize';
import { axialSlice, setAxialSlice } from '../io/slice';
import type { Volume } from '../io/volume';
import { latentSize } from '../vqvae/config';
import type { VqVae } from '../vqvae/model';
import { CancelledError } from '../worker/cancelled';
import { MAP_NAMES, type CountProgress, type Grid, type MapName, type ScanScore } from '../worker/protocol';
import { alignmentMap, maskByForeground, meanOf, residualMap } from './maps';
import { DEFAULT_PRIOR_MAP_OPTIONS, type PriorMapOptions, type ScoringPrior } from './priorMaps';
import { PriorScanMaps, type ScoredSlice } from './priorScanMaps';
import { DEFAULT_SSIM_OPTIONS, ssimAnomalyMap } from './ssim';
import { DEFAULT_DILATION_SIZE, ssimAlignmentMap } from './ssimAlignment';

/** A scan's score without its file name (the caller knows the file). */
export type VolumeScore = Omit<ScanScore, 'file'>;

export interface ScoreVolumeOptions {
  /** The intensity normalization the model was trained with (its manifest: normalizationOf); default percentile. */
  normalization?: Normalization;
  /** Slices per forward pass. */
  batchSize?: number;
  /** Called after each batch; counts the slices that go through the model. */
  onProgress?(progress: CountProgress): void;
  /** Checked before each batch; when it returns true, scoring stops with a CancelledError. */
  isCancelled?(): boolean;
  /** Side of the SSIM window in model pixels (ssim.ts). */
  ssimWindowSize?: number;
  /** Side of the grey dilation of the alignment map in the SSIM + AM map, in model pixels (ssimAlignment.ts). */
  dilationSize?: number;
  /** The model's latent prior: adds the NLL, restoration and KDE maps and the LSR scores (priorScanMaps.ts). */
  prior?: ScoringPrior;
  /** Settings of the prior's maps; absent fields take DEFAULT_PRIOR_MAP_OPTIONS. */
  priorMaps?: Partial<PriorMapOptions>;
}

const DEFAULT_BATCH_SIZE = 16;

/** The maps of one slice, row-major at the slice's size. */
type SliceMaps = Record<MapName, Float32Array>;

/** A slice through the model: its maps, and at the model's sizes its input, reconstruction and tokens (for the prior). */
interface MappedSlice {
  maps: SliceMaps;
  input: Float32Array;
  reconstruction: Float32Array;
  tokens: Int32Array;
}

/**
 * Scores a volume (or a 2D image, depth 1). Slices of a volume without foreground (hasForeground, the
 * test training uses) are not run through the model: their maps and slice score are 0. In a volume the
 * anomaly maps (all but the reconstruction) are kept only on the foreground (the brain), so that the background
 * outside the body never counts as anomalous; 2D images are not masked. A slice's score is the mean of
 * its residual map; the scan's score is the mean over the scored slices.
 */
export async function scoreVolume(model: VqVae, volume: Volume, options: ScoreVolumeOptions = {}): Promise<VolumeScore> {
  const [width, height, depth] = volume.dims;
  const normalized: Volume = { ...volume, data: normalizeVolume(volume, options.normalization) };
  const emptyMap = (): Volume => ({ ...volume, data: new Float32Array(volume.data.length) });
  const maps = Object.fromEntries(MAP_NAMES.map((name) => [name, emptyMap()])) as Record<MapName, Volume>;
  const sliceScores = new Array<number>(depth).fill(0);
  // The slices to score, by index: their images are taken per batch (keeping them all is a second copy of the volume).
  const slices = Array.from({ length: depth }, (_, z) => z).filter((z) => depth === 1 || hasForeground(axialSlice(normalized, z)));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const priorMaps = options.prior && new PriorScanMaps(normalized, options.prior, { ...DEFAULT_PRIOR_MAP_OPTIONS, ...options.priorMaps }, slices.length);

  for (let start = 0; start < slices.length; start += batchSize) {
    if (options.isCancelled?.()) throw new CancelledError('Scoring cancelled');
    const batch = slices.slice(start, start + batchSize).map((z) => ({ z, image: axialSlice(normalized, z) }));
    const mapped = await mapSlices(model, batch.map((s) => s.image), width, height, depth > 1, options);
    batch.forEach(({ z }, i) => {
      for (const name of MAP_NAMES) setAxialSlice(maps[name], z, mapped[i].maps[name]);
      sliceScores[z] = meanOf(mapped[i].maps.residual);
    });
    if (priorMaps) {
      // The slice position c in [-0.5, 0.5] that a conditioned prior reads (LSR §2).
      const condition = (z: number) => (depth > 1 ? z / (depth - 1) - 0.5 : 0);
      const scored: ScoredSlice[] = batch.map(({ z, image }, i) => {
        const { input, reconstruction, tokens } = mapped[i];
        return { z, image, condition: condition(z), input, reconstruction, tokens };
      });
      await priorMaps.addBatch(model, scored, latentSize(model.config), options.isCancelled);
    }
    options.onProgress?.({ done: start + batch.length, total: slices.length });
  }

  const grid = (v: Volume): Grid => ({ dims: [width, height, depth], data: v.data });
  const fromPrior = priorMaps?.result();
  return {
    image: grid(normalized),
    maps: { ...(Object.fromEntries(MAP_NAMES.map((name) => [name, grid(maps[name])])) as Record<MapName, Grid>), ...fromPrior?.maps },
    sliceScores,
    score: meanOf(slices.map((z) => sliceScores[z])),
    ...(fromPrior?.priorScores && { priorScores: fromPrior.priorScores }),
    ...(fromPrior?.restorations && { restorations: fromPrior.restorations }),
  };
}

/**
 * Runs one batch of width x height slices through the model and returns each slice's maps at its own
 * size, with the anomaly maps masked to the slice's foreground when `maskForeground` is set.
 */
async function mapSlices(
  model: VqVae,
  slices: Float32Array[],
  width: number,
  height: number,
  maskForeground: boolean,
  options: ScoreVolumeOptions,
): Promise<MappedSlice[]> {
  const size = model.config.inputSize;
  const pixels = size * size;
  const batch = new Float32Array(slices.length * pixels);
  const inputs = slices.map((slice, i) => {
    const input = resizeBilinear(slice, width, height, size, size);
    batch.set(input, i * pixels);
    return input;
  });

  // The SSIM maps are computed at the model size, on the model's input and output.
  const ssimOptions = { ...DEFAULT_SSIM_OPTIONS, windowSize: options.ssimWindowSize ?? DEFAULT_SSIM_OPTIONS.windowSize };
  const outputs = tf.tidy(() => {
    const x = tf.tensor4d(batch, [slices.length, size, size, 1]);
    const output = model.forward(x, { training: false });
    const reconstruction = model.imageOf(output.reconstruction);
    const ssim = ssimAnomalyMap(x, reconstruction, ssimOptions);
    const ssimAlignment = ssimAlignmentMap(ssim, output.distance, options.dilationSize ?? DEFAULT_DILATION_SIZE);
    return [reconstruction, output.distance, ssim, ssimAlignment, output.indices];
  });
  const [, latentH, latentW] = outputs[1].shape;
  let values: Float32Array[];
  let indices: Int32Array;
  try {
    values = (await Promise.all(outputs.slice(0, 4).map((t) => t.data()))) as Float32Array[];
    indices = (await outputs[4].data()) as Int32Array;
  } finally {
    tf.dispose(outputs);
  }
  const [reconstructions, distances, ssims, ssimAlignments] = values;

  const latentPixels = latentH * latentW;
  const toSliceSize = (map: Float32Array) => resizeBilinear(map, size, size, width, height);
  return inputs.map((input, i) => {
    const atModelSize = (maps: Float32Array) => maps.subarray(i * pixels, (i + 1) * pixels);
    const reconstructed = atModelSize(reconstructions);
    const slicedDistance = distances.subarray(i * latentPixels, (i + 1) * latentPixels);
    const masked = (map: Float32Array) => (maskForeground ? maskByForeground(map, slices[i], FOREGROUND_THRESHOLD) : map);
    const maps = {
      reconstruction: toSliceSize(reconstructed),
      residual: masked(toSliceSize(residualMap(input, reconstructed))),
      // Straight from the latent grid to the slice: one interpolation instead of two.
      alignment: masked(alignmentMap(slicedDistance, latentW, latentH, width, height)),
      ssim: masked(toSliceSize(atModelSize(ssims))),
      ssimAlignment: masked(toSliceSize(atModelSize(ssimAlignments))),
    };
    return { maps, input, reconstruction: reconstructed, tokens: indices.subarray(i * latentPixels, (i + 1) * latentPixels) };
  });
}
