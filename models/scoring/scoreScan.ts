// Scores one scan with a trained VQ-VAE. The scan is normalized and sliced exactly as for training
// (normalizeVolume, axialSlice, toModelInput); each slice is reconstructed in batches; the
// reconstruction and the model's maps are taken back to the slice's own size (fromModelGrid) and
// written into the scan's grid (setAxialSlice), the residual compared there with the scan itself at
// its own resolution. Then every anomaly map goes through the one post-processing stage
// (postProcessing.ts), and the slice and scan scores are read from the post-processed residual.

import * as tf from '@tensorflow/tfjs-core';
import { hasForeground } from '../io/dataset';
import { fromModelGrid, toModelInput } from '../io/modelGrid';
import { normalizeVolume, type Normalization } from '../io/normalize';
import { axialSlice, setAxialSlice } from '../io/slice';
import type { Volume } from '../io/volume';
import { latentSize } from '../vqvae/config';
import type { VqVae } from '../vqvae/model';
import { CancelledError } from '../worker/cancelled';
import { MAP_NAMES, type AnyMapName, type CountProgress, type Grid, type MapName, type ScanScore } from '../worker/protocol';
import { residualMap, scoreOfRegion } from './maps';
import { METHODS } from './methods';
import { postProcessingSettings, type Modality } from './modality';
import { POST_PROCESSING_OFF, postProcessMap, prepareScan, type PostProcessing, type PostProcessingInput } from './postProcessing';
import { DEFAULT_PRIOR_MAP_OPTIONS, type PriorMapOptions, type ScoringPrior } from './priorMaps';
import { PriorScanMaps, type ScoredSlice } from './priorScanMaps';
import { DEFAULT_SSIM_OPTIONS, ssimAnomalyMap } from './ssim';
import { DEFAULT_DILATION_SIZE, ssimAlignmentMap } from './ssimAlignment';
import { scanFit, sliceFit, type SliceFit } from './trainingFit';

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
  /** The scan's modality, which chooses the post-processing defaults (modality.ts); default: 'volume' or 'image' by depth. */
  modality?: Modality;
  /** Post-processing settings over the modality's defaults. */
  postProcessing?: Partial<PostProcessing>;
  /** True: no post-processing but the (filled, uneroded) foreground mask: the maps as computed. */
  raw?: boolean;
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
 * test training uses) are not run through the model: their maps and slice score are 0. The anomaly maps
 * (all but the reconstruction) are post-processed (postProcessing.ts: in a volume they are kept only on
 * the eroded foreground, so the background outside the body never counts as anomalous). A slice's
 * score, and the scan's, is scoreOfRegion of the post-processed residual.
 */
export async function scoreVolume(model: VqVae, volume: Volume, options: ScoreVolumeOptions = {}): Promise<VolumeScore> {
  const [width, height, depth] = volume.dims;
  const normalized: Volume = { ...volume, data: normalizeVolume(volume, options.normalization) };
  const emptyMap = (): Volume => ({ ...volume, data: new Float32Array(volume.data.length) });
  const maps = Object.fromEntries(MAP_NAMES.map((name) => [name, emptyMap()])) as Record<MapName, Volume>;
  // The slices to score, by index: their images are taken per batch (keeping them all is a second copy of the volume).
  const slices = Array.from({ length: depth }, (_, z) => z).filter((z) => depth === 1 || hasForeground(axialSlice(normalized, z)));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const priorMaps = options.prior && new PriorScanMaps(normalized, options.prior, { ...DEFAULT_PRIOR_MAP_OPTIONS, ...options.priorMaps }, slices.length);
  const fits: SliceFit[] = [];

  for (let start = 0; start < slices.length; start += batchSize) {
    if (options.isCancelled?.()) throw new CancelledError('Scoring cancelled');
    const batch = slices.slice(start, start + batchSize).map((z) => ({ z, image: axialSlice(normalized, z) }));
    const mapped = await mapSlices(
      model,
      batch.map((s) => s.image),
      width,
      height,
      options,
    );
    batch.forEach(({ z }, i) => {
      for (const name of MAP_NAMES) setAxialSlice(maps[name], z, mapped[i].maps[name]);
      fits.push(sliceFit(mapped[i].input, mapped[i].reconstruction));
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
  const allMaps = { ...(Object.fromEntries(MAP_NAMES.map((name) => [name, grid(maps[name])])) as Record<MapName, Grid>), ...fromPrior?.maps };
  const modality = options.modality ?? (depth > 1 ? 'volume' : 'image');
  const settings = options.raw ? POST_PROCESSING_OFF : postProcessingSettings(modality, options.postProcessing);
  postProcessAll(allMaps, { dims: volume.dims, image: normalized.data, reconstruction: maps.reconstruction.data }, settings);
  const sliceLength = width * height;
  const sliceOf = (data: Float32Array, z: number) => data.subarray(z * sliceLength, (z + 1) * sliceLength);
  const sliceScores = new Array<number>(depth).fill(0);
  for (const z of slices) sliceScores[z] = scoreOfRegion(sliceOf(allMaps.residual.data, z), sliceOf(normalized.data, z), depth > 1);
  return {
    image: grid(normalized),
    maps: allMaps,
    sliceScores,
    score: scoreOfRegion(allMaps.residual.data, normalized.data, depth > 1),
    fit: scanFit(modality, [width, height], fits),
    postProcessing: settings,
    ...(fromPrior?.priorScores && { priorScores: fromPrior.priorScores }),
    ...(fromPrior?.restorations && { restorations: fromPrior.restorations }),
  };
}

/** Every anomaly map (all but the reconstruction) through the post-processing stage, in place; intensity maps get the polarity. */
function postProcessAll(maps: Partial<Record<AnyMapName, Grid>>, input: PostProcessingInput, settings: PostProcessing): void {
  const scan = prepareScan(input, settings);
  for (const [name, grid] of Object.entries(maps) as [AnyMapName, Grid][]) {
    if (name === 'reconstruction') continue;
    grid.data = postProcessMap(grid.data, METHODS[name].kind, scan, settings);
  }
}

/** Runs one batch of width x height slices through the model and returns each slice's maps at its own size. */
async function mapSlices(model: VqVae, slices: Float32Array[], width: number, height: number, options: ScoreVolumeOptions): Promise<MappedSlice[]> {
  const size = model.config.inputSize;
  const aspect = model.config.aspect;
  const pixels = size * size;
  const batch = new Float32Array(slices.length * pixels);
  const inputs = slices.map((slice, i) => {
    const input = toModelInput(slice, width, height, size, aspect);
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
  const toSliceSize = (map: Float32Array) => fromModelGrid(map, size, size, width, height, aspect);
  return inputs.map((input, i) => {
    const atModelSize = (maps: Float32Array) => maps.subarray(i * pixels, (i + 1) * pixels);
    const reconstructed = atModelSize(reconstructions);
    const reconstruction = toSliceSize(reconstructed);
    const maps = {
      reconstruction,
      // At the scan's own resolution: the slice against its reconstruction enlarged to it.
      residual: residualMap(slices[i], reconstruction),
      // Straight from the latent grid to the slice: one interpolation instead of two (the alignment map, methods.md §4).
      alignment: fromModelGrid(distances.subarray(i * latentPixels, (i + 1) * latentPixels), latentW, latentH, width, height, aspect),
      ssim: toSliceSize(atModelSize(ssims)),
      ssimAlignment: toSliceSize(atModelSize(ssimAlignments)),
    };
    return { maps, input, reconstruction: reconstructed, tokens: indices.subarray(i * latentPixels, (i + 1) * latentPixels) };
  });
}
