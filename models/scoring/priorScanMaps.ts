// Gathers the prior's maps of a scan slice by slice (priorMaps.ts) into the scan's grid: the NLL map
// upsampled from the latent grid, the restoration map smoothed (MinPool then AvgPool, 3D in volumes),
// the KDE map, the LSR sample scores, and the restorations to browse. Like the VQ-VAE maps, they are
// post-processed (masked to the foreground among others) by scoreVolume.
import { fromModelGrid } from '../io/modelGrid';
import { setAxialSlice } from '../io/slice';
import type { Volume } from '../io/volume';
import type { VqVae } from '../vqvae/model';
import type { Grid, PriorMapName, ScanScore } from '../worker/protocol';
import { meanOf } from './maps';
import { priorThresholds, slicePriorMaps, type PriorMapOptions, type ScoringPrior, type SliceTokens } from './priorMaps';
import { smoothMap2d, smoothMap3d } from './smoothing';

/** Volumes with more scored slices than this send no restorations (S volumes each), only their mean. */
export const MAX_RESTORED_SLICES = 16;

/** A scored slice: its index, its normalized image at its own size, and what the prior needs. */
export interface ScoredSlice extends SliceTokens {
  image: Float32Array;
}

export type PriorScanResult = Pick<ScanScore, 'priorScores' | 'restorations'> & { maps: Partial<Record<PriorMapName, Grid>> };

/** The mean image of equally sized images. */
function pixelMean(images: Float32Array[]): Float32Array {
  const mean = new Float32Array(images[0].length);
  for (const image of images) for (let p = 0; p < mean.length; p++) mean[p] += image[p] / images.length;
  return mean;
}

export class PriorScanMaps {
  private readonly nll: Volume;
  private readonly restoration?: Volume;
  private readonly kde?: Volume;
  private readonly restorationMean?: Volume;
  /** The S restorations as volumes, when kept (MAX_RESTORED_SLICES). */
  private readonly restorationSamples: Volume[] = [];
  private readonly sampleScores: number[];
  private readonly scoredSlices: number[] = [];
  /** lambda_s of the sample scores: fixed in the options or calibrated; absent = no sample scores. */
  private readonly lambdaS?: number;

  /** `normalized`: the scan after normalization; `scoredSliceCount`: how many slices will be added. */
  constructor(
    private readonly normalized: Volume,
    private readonly scoring: ScoringPrior,
    private readonly options: PriorMapOptions,
    scoredSliceCount: number,
  ) {
    const empty = (): Volume => ({ ...normalized, data: new Float32Array(normalized.data.length) });
    this.nll = empty();
    const { lambdaS, lambdaP } = priorThresholds(scoring.calibration, options);
    this.lambdaS = lambdaS;
    const restores = lambdaP !== undefined && options.restorationSamples > 0;
    if (restores) {
      this.restoration = empty();
      this.restorationMean = empty();
      const keepSamples = normalized.dims[2] === 1 || scoredSliceCount <= MAX_RESTORED_SLICES;
      if (keepSamples) this.restorationSamples = Array.from({ length: options.restorationSamples }, empty);
    }
    if (options.kdeSamplings > 0) this.kde = empty();
    this.sampleScores = new Array<number>(normalized.dims[2]).fill(0);
  }

  /** Scores a batch of slices with the prior and writes their maps into the scan's grid; stops with a CancelledError when `isCancelled`. */
  async addBatch(model: VqVae, slices: ScoredSlice[], latentSize: number, isCancelled?: () => boolean): Promise<void> {
    const [width, height] = this.normalized.dims;
    const { inputSize: size, aspect } = model.config;
    const toSliceSize = (map: Float32Array) => fromModelGrid(map, size, size, width, height, aspect);
    const maps = await slicePriorMaps(model, this.scoring, slices, this.options, isCancelled);
    slices.forEach((slice, i) => {
      const { nll, sampleScore, restoration, kde } = maps[i];
      setAxialSlice(this.nll, slice.z, fromModelGrid(nll, latentSize, latentSize, width, height, aspect));
      this.sampleScores[slice.z] = sampleScore ?? 0;
      this.scoredSlices.push(slice.z);
      if (kde && this.kde) setAxialSlice(this.kde, slice.z, toSliceSize(kde));
      if (restoration && this.restoration && this.restorationMean) {
        setAxialSlice(this.restoration, slice.z, toSliceSize(restoration.score)); // smoothed in result()
        const samples = restoration.samples.map(toSliceSize);
        setAxialSlice(this.restorationMean, slice.z, pixelMean(samples));
        this.restorationSamples.forEach((volume, j) => setAxialSlice(volume, slice.z, samples[j]));
      }
    });
  }

  /** The maps in the scan's grid, the LSR sample scores (with lambda_s calibrated or fixed) and the restorations. */
  result(): PriorScanResult {
    const [width, height, depth] = this.normalized.dims;
    const grid = (v: Volume): Grid => ({ dims: [width, height, depth], data: v.data });
    const result: PriorScanResult = { maps: { nll: grid(this.nll) } };
    if (this.kde) result.maps.kde = grid(this.kde);
    if (this.restoration && this.restorationMean) {
      result.maps.restoration = grid(this.smoothedRestoration(this.restoration));
      result.restorations = { mean: grid(this.restorationMean), samples: this.restorationSamples.map(grid) };
    }
    if (this.lambdaS !== undefined) {
      const sliceScores = this.sampleScores;
      result.priorScores = { sliceScores, score: meanOf(this.scoredSlices.map((z) => sliceScores[z])), lambdaS: this.lambdaS };
    }
    return result;
  }

  /** MinPool then AvgPool (2D for an image, 3D for a volume; LSR §2.3). */
  private smoothedRestoration(raw: Volume): Volume {
    const [width, height, depth] = raw.dims;
    return { ...raw, data: depth === 1 ? smoothMap2d(raw.data, width, height) : smoothMap3d(raw.data, width, height, depth) };
  }
}
