// The pixels the pixel-level metrics are computed on. A test set can hold far more pixels than the
// exact metrics should sort (592 magnetic-tile images: ~50 M; one brain volume: 7 M), so each scan
// keeps all its anomalous pixels but about `maxPixels / scans` of its normal ones, drawn with a seeded
// generator (deterministic). A kept normal pixel carries the weight (normal pixels of its scan) / (kept
// ones), so the weighted FPR, precision and Dice estimate those of all pixels without bias, and PRO is
// exact (every anomalous pixel is kept). With fewer pixels than the cap, nothing is dropped: exact.
// (Binning the scores into a histogram would also bound memory, but ties within a bin would blur the
// curves; a subsample keeps the exact metrics.)

import { SeededRandom } from '../vqvae/seededRandom';

export const DEFAULT_MAX_PIXELS = 2_000_000;

export interface PixelSet {
  /** Per map name, the kept pixels' scores. */
  scores: Record<string, Float32Array>;
  /** 1 for anomalous pixels. */
  labels: Uint8Array;
  /** 0 for normal pixels, else the ground-truth region number, unique over the whole test set. */
  regions: Int32Array;
  /** 1 for anomalous pixels; for normal ones, how many pixels each stands for. */
  weights: Float32Array;
  /** Pixels evaluated (before subsampling), anomalous pixels, kept pixels, ground-truth regions. */
  totalPixels: number;
  anomalousPixels: number;
  keptPixels: number;
  regionCount: number;
}

/** One image, or one slice of a volume: its maps (same length each) and its ground-truth regions numbered 1..regionCount (0 = normal). */
export interface PixelSlice {
  maps: Record<string, Float32Array>;
  regions: Int32Array;
  regionCount: number;
}

export class PixelSample {
  private readonly chunks: { scores: Record<string, Float32Array>; regions: Int32Array; weights: Float32Array }[] = [];
  private readonly random: SeededRandom;
  private readonly normalPixelsPerScan: number;
  private totalPixels = 0;
  private regionCount = 0;

  constructor(
    private readonly mapNames: string[],
    scans: number,
    maxPixels = DEFAULT_MAX_PIXELS,
    seed = 1,
  ) {
    this.normalPixelsPerScan = Math.max(1, Math.floor(maxPixels / Math.max(1, scans)));
    this.random = new SeededRandom(seed, 'evaluation-pixels');
  }

  /** Adds one scan's pixels: its image, or its slices. */
  addScan(slices: PixelSlice[]): void {
    const normalCount = (slice: PixelSlice) => slice.regions.reduce((n, region) => n + (region === 0 ? 1 : 0), 0);
    const normal = slices.reduce((n, slice) => n + normalCount(slice), 0);
    const keepProbability = Math.min(1, this.normalPixelsPerScan / Math.max(1, normal));
    const kept = slices.map(({ regions }) =>
      Array.from(regions.keys()).filter((i) => regions[i] !== 0 || keepProbability === 1 || this.random.next() < keepProbability),
    );
    const keptNormal = kept.reduce((n, indices, k) => n + indices.filter((i) => slices[k].regions[i] === 0).length, 0);
    const normalWeight = keptNormal === 0 ? 0 : normal / keptNormal;
    slices.forEach(({ maps, regions, regionCount }, k) => {
      const offset = this.regionCount;
      this.chunks.push({
        scores: Object.fromEntries(this.mapNames.map((name) => [name, Float32Array.from(kept[k], (i) => maps[name][i])])),
        regions: Int32Array.from(kept[k], (i) => (regions[i] === 0 ? 0 : regions[i] + offset)),
        weights: Float32Array.from(kept[k], (i) => (regions[i] === 0 ? normalWeight : 1)),
      });
      this.totalPixels += regions.length;
      this.regionCount += regionCount;
    });
  }

  /** All kept pixels, concatenated. */
  pixels(): PixelSet {
    const concat = <T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T => {
      const all = make(parts.reduce((n, part) => n + part.length, 0));
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
      return all;
    };
    const regions = concat(
      this.chunks.map((c) => c.regions),
      (n) => new Int32Array(n),
    );
    const labels = Uint8Array.from(regions, (region) => (region === 0 ? 0 : 1));
    return {
      scores: Object.fromEntries(
        this.mapNames.map((name) => [
          name,
          concat(
            this.chunks.map((c) => c.scores[name]),
            (n) => new Float32Array(n),
          ),
        ]),
      ),
      labels,
      regions,
      weights: concat(
        this.chunks.map((c) => c.weights),
        (n) => new Float32Array(n),
      ),
      totalPixels: this.totalPixels,
      anomalousPixels: labels.reduce((n, label) => n + label, 0),
      keptPixels: regions.length,
      regionCount: this.regionCount,
    };
  }
}
