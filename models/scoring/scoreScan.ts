// Scores one scan with a trained VQ-VAE. The scan is normalized and sliced exactly as for training
// (normalizeVolume, axialSlice); each slice is resized to the model's input size and reconstructed in
// batches; its maps are computed from the model's output and resized back to the slice's own size,
// then written into the scan's grid (setAxialSlice), so every map lies in the scan's grid.

import * as tf from '@tensorflow/tfjs-core';
import { FOREGROUND_THRESHOLD, hasForeground } from '../io/dataset';
import { normalizeVolume } from '../io/normalize';
import { resizeBilinear } from '../io/resize';
import { axialSlice, setAxialSlice } from '../io/slice';
import type { Volume } from '../io/volume';
import type { VqVae } from '../vqvae/model';
import { CancelledError } from '../worker/cancelled';
import type { CountProgress, Grid, MapName, ScanScore } from '../worker/protocol';
import { alignmentMap, maskByForeground, meanOf, residualMap } from './maps';

/** A scan's score without its file name (the caller knows the file). */
export type VolumeScore = Omit<ScanScore, 'file'>;

export interface ScoreVolumeOptions {
  /** Slices per forward pass. */
  batchSize?: number;
  /** Called after each batch; counts the slices that go through the model. */
  onProgress?(progress: CountProgress): void;
  /** Checked before each batch; when it returns true, scoring stops with a CancelledError. */
  isCancelled?(): boolean;
}

const DEFAULT_BATCH_SIZE = 16;

const MAP_NAMES: MapName[] = ['reconstruction', 'residual', 'alignment'];

/** The maps of one slice, row-major at the slice's size. */
type SliceMaps = Record<MapName, Float32Array>;

/**
 * Scores a volume (or a 2D image, depth 1). Slices of a volume without foreground (hasForeground, the
 * test training uses) are not run through the model: their maps and slice score are 0. In a volume the
 * residual and alignment maps are kept only on the foreground (the brain), so that the background
 * outside the body never counts as anomalous; 2D images are not masked. A slice's score is the mean of
 * its residual map; the scan's score is the mean over the scored slices.
 */
export async function scoreVolume(model: VqVae, volume: Volume, options: ScoreVolumeOptions = {}): Promise<VolumeScore> {
  const [width, height, depth] = volume.dims;
  const normalized: Volume = { ...volume, data: normalizeVolume(volume) };
  const emptyMap = (): Volume => ({ ...volume, data: new Float32Array(volume.data.length) });
  const maps: Record<MapName, Volume> = { reconstruction: emptyMap(), residual: emptyMap(), alignment: emptyMap() };
  const sliceScores = new Array<number>(depth).fill(0);
  const slices = Array.from({ length: depth }, (_, z) => ({ z, image: axialSlice(normalized, z) }))
    .filter(({ image }) => depth === 1 || hasForeground(image));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  for (let start = 0; start < slices.length; start += batchSize) {
    if (options.isCancelled?.()) throw new CancelledError('Scoring cancelled');
    const batch = slices.slice(start, start + batchSize);
    const batchMaps = await mapSlices(model, batch.map((s) => s.image), width, height, depth > 1);
    batch.forEach(({ z }, i) => {
      for (const name of MAP_NAMES) setAxialSlice(maps[name], z, batchMaps[i][name]);
      sliceScores[z] = meanOf(batchMaps[i].residual);
    });
    options.onProgress?.({ done: start + batch.length, total: slices.length });
  }

  const grid = (v: Volume): Grid => ({ dims: [width, height, depth], data: v.data });
  return {
    image: grid(normalized),
    maps: { reconstruction: grid(maps.reconstruction), residual: grid(maps.residual), alignment: grid(maps.alignment) },
    sliceScores,
    score: meanOf(slices.map(({ z }) => sliceScores[z])),
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
): Promise<SliceMaps[]> {
  const size = model.config.inputSize;
  const pixels = size * size;
  const batch = new Float32Array(slices.length * pixels);
  const inputs = slices.map((slice, i) => {
    const input = resizeBilinear(slice, width, height, size, size);
    batch.set(input, i * pixels);
    return input;
  });

  const [reconstruction, distance] = tf.tidy(() => {
    const output = model.forward(tf.tensor4d(batch, [slices.length, size, size, 1]), { training: false });
    return [output.reconstruction, output.distance] as const;
  });
  const [, latentH, latentW] = distance.shape;
  let reconstructions: Float32Array;
  let distances: Float32Array;
  try {
    [reconstructions, distances] = (await Promise.all([reconstruction.data(), distance.data()])) as Float32Array[];
  } finally {
    tf.dispose([reconstruction, distance]);
  }

  const latentPixels = latentH * latentW;
  const toSliceSize = (map: Float32Array) => resizeBilinear(map, size, size, width, height);
  return inputs.map((input, i) => {
    const reconstructed = reconstructions.subarray(i * pixels, (i + 1) * pixels);
    const slicedDistance = distances.subarray(i * latentPixels, (i + 1) * latentPixels);
    const masked = (map: Float32Array) => (maskForeground ? maskByForeground(map, slices[i], FOREGROUND_THRESHOLD) : map);
    return {
      reconstruction: toSliceSize(reconstructed),
      residual: masked(toSliceSize(residualMap(input, reconstructed))),
      // Straight from the latent grid to the slice: one interpolation instead of two.
      alignment: masked(alignmentMap(slicedDistance, latentW, latentH, width, height)),
    };
  });
}
