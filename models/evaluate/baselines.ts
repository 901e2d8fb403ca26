// The baselines every map must beat (methods.md §11), computed from the scan alone, without a model,
// for the same pixels as the maps: for brains, the normalized intensity itself (FLAIR thresholding,
// Meissen et al. 2021), raw and through the same post-processing stage as the maps; for 2D images,
// the absolute difference to the mean normal (training) image and to a median-filtered copy of the
// image itself, raw and post-processed like the maps.
import { fromModelGrid, toModelInput, type AspectPolicy } from '../io/modelGrid';
import { axialSlice } from '../io/slice';
import type { Volume } from '../io/volume';
import { medianFilter, postProcessMap, prepareScan, type PostProcessing } from '../scoring/postProcessing';
import type { VolumeScore } from '../scoring/scoreScan';
import type { Grid } from '../worker/protocol';

/** Side of the median filter of the median-difference baseline, in image pixels. */
export const BASELINE_MEDIAN_SIZE = 11;

/** 'intensity': the normalized scan; 'intensity-postprocessed': the same through postProcessMap with the maps' settings (no polarity: it has none). */
export function intensityBaselines(score: VolumeScore, settings: PostProcessing): Record<string, Grid> {
  const input = { dims: score.image.dims, image: score.image.data, reconstruction: score.maps.reconstruction.data };
  const scan = prepareScan(input, settings);
  return {
    intensity: score.image,
    'intensity-postprocessed': { dims: score.image.dims, data: postProcessMap(score.image.data, 'latent', scan, settings) },
  };
}

/** The mean of normal images after fitting each to a size x size square as the model does (modelGrid.ts). */
export function meanImage(images: Volume[], size: number, aspect: AspectPolicy): Float32Array {
  const mean = new Float32Array(size * size);
  for (const image of images) {
    const fitted = toModelInput(axialSlice(image, 0), image.dims[0], image.dims[1], size, aspect);
    for (let p = 0; p < mean.length; p++) mean[p] += fitted[p] / images.length;
  }
  return mean;
}

/**
 * 'mean-difference': |x - mean normal image| (taken back to the image's size); 'median-difference':
 * |x - median_k(x)|, k = BASELINE_MEDIAN_SIZE; each also '-postprocessed': through postProcessMap with
 * the maps' settings, its expected image standing for the reconstruction (so the polarity applies).
 */
export function imageBaselines(score: VolumeScore, mean: Float32Array, size: number, aspect: AspectPolicy, settings: PostProcessing): Record<string, Grid> {
  const { dims, data: x } = score.image;
  const expectations = {
    'mean-difference': fromModelGrid(mean, size, size, dims[0], dims[1], aspect),
    'median-difference': medianFilter(x, dims, BASELINE_MEDIAN_SIZE, new Uint8Array(x.length).fill(1)),
  };
  const baselines: Record<string, Grid> = {};
  for (const [name, expected] of Object.entries(expectations)) {
    const difference = x.map((v, i) => Math.abs(v - expected[i]));
    const scan = prepareScan({ dims, image: x, reconstruction: expected }, settings);
    baselines[name] = { dims, data: difference };
    baselines[`${name}-postprocessed`] = { dims, data: postProcessMap(difference, 'intensity', scan, settings) };
  }
  return baselines;
}
