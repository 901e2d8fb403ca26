// The scored scans of an evaluation, gathered scan by scan for the metrics of methods.md §8.
// Samples: a 2D image is one sample, anomalous when its CSV label says so or else when its mask is
// not empty, scored like the product scores slices (scoreOfRegion); each scored axial slice of a volume is one sample, anomalous when its lesion area is at
// least `minLesionArea` pixels (smaller specks, like some of brain-ms patient 07's lesions, count as
// normal). Pixels: all pixels of a 2D image; in a volume, the foreground pixels (the body, as
// scoring masks it: normalized intensity > FOREGROUND_THRESHOLD) and the lesion pixels of the slices
// with foreground, so that the empty background around the body does not inflate the metrics.

import { FOREGROUND_THRESHOLD, hasForeground } from '../io/dataset';
import { auPro } from '../metrics/auPro';
import { bestDiceOf } from '../metrics/bestDice';
import { labelComponents } from '../metrics/connectedComponents';
import { thinCurve } from '../metrics/curve';
import { averagePrecisionOf, precisionRecallCurve } from '../metrics/precisionRecall';
import { rocAuc, rocCurve } from '../metrics/roc';
import { type ThresholdSweep, thresholdSweep } from '../metrics/thresholdSweep';
import { scoreOfRegion } from '../scoring/maps';
import type { VolumeScore } from '../scoring/scoreScan';
import type { Grid } from '../worker/protocol';
import { CURVE_POINTS, type EvaluationReport, type MapMetrics } from './evaluationReport';
import { EXAMPLE_MAP, ExampleChooser } from './exampleOverlays';
import type { LabelledScan } from './labelledScans';
import { type PixelSet, type PixelSlice, PixelSample } from './pixelSample';
import { groupMetrics, type Samples } from './samples';

/** The maps that are anomaly maps (the reconstruction is not), and the maps added beside them (e.g. baselines). */
const anomalyMapNames = (maps: Record<string, unknown>) => Object.keys(maps).filter((name) => name !== 'reconstruction');

/** The pixel series of the normalized input, kept beside the maps for their input correlation. */
const INPUT = 'input intensity';

export class ScoredTestSet {
  private pixels: PixelSample | undefined;
  private readonly samples: Samples = { scores: {}, labels: [], groups: [] };
  private readonly examples = new ExampleChooser();

  /** `scans`: how many scans will be added (it shares the pixel budget `maxPixels` among them). */
  constructor(
    private readonly scans: number,
    private readonly maxPixels: number,
    private readonly minLesionArea: number,
  ) {}

  /** True until a scan was added. */
  get isEmpty(): boolean {
    return this.pixels === undefined;
  }

  /**
   * Adds a scored scan's scored slices (see the file comment); `mask` is its binary ground truth in the
   * scan's grid; `extra` maps in the same grid are evaluated beside the scan's own (the benchmark's baselines).
   */
  add(score: VolumeScore, mask: Uint8Array, labelled: LabelledScan, extra: Record<string, Grid> = {}): void {
    const [width, height, depth] = score.image.dims;
    const sliceLength = width * height;
    const sliceOf = <T extends Float32Array | Uint8Array>(data: T, z: number) => data.subarray(z * sliceLength, (z + 1) * sliceLength) as T;
    const allMaps: Record<string, Grid | undefined> = { ...score.maps, ...extra };
    const names = anomalyMapNames(allMaps);
    this.pixels ??= new PixelSample([...names, INPUT], this.scans, this.maxPixels);
    const slices: PixelSlice[] = [];
    for (let z = 0; z < depth; z++) {
      const image = sliceOf(score.image.data, z);
      if (depth > 1 && !hasForeground(image)) continue;
      const components = labelComponents(sliceOf(mask, z), width, height);
      const maps = Object.fromEntries(names.map((name) => [name, sliceOf(allMaps[name]!.data, z)]));
      const slice = { maps: { ...maps, [INPUT]: image }, regions: components.labels, regionCount: components.count };
      slices.push(depth === 1 ? slice : onlyBodyAndLesions(slice, image));
      const lesionArea = components.sizes.reduce((sum, size) => sum + size, 0);
      const label = depth === 1 ? (labelled.label ?? (lesionArea > 0 ? 1 : 0)) : lesionArea >= this.minLesionArea ? 1 : 0;
      this.samples.labels.push(label);
      this.samples.groups.push(labelled.group ?? '');
      // Each map scores its samples as the product scores slices (scoreOfRegion).
      for (const name of names) (this.samples.scores[name] ??= []).push(scoreOfRegion(maps[name], image, depth > 1));
      this.examples.offer({
        scan: labelled.scan,
        slice: depth === 1 ? null : z,
        score: scoreOfRegion(maps[EXAMPLE_MAP], image, depth > 1),
        anomalous: label === 1,
        width,
        height,
        pixels: () => ({ image, map: maps[EXAMPLE_MAP], mask: sliceOf(mask, z) }),
      });
    }
    this.pixels.addScan(slices);
  }

  /**
   * The metrics of every anomaly map, the per-group metrics, the counts of samples and pixels, and the
   * example overlays; `thresholds` by map name add the Dice at that threshold.
   */
  results(maxFpr: number, thresholds: Record<string, number> = {}) {
    if (!this.pixels) throw new Error('ScoredTestSet.results: no scan was added');
    const pixelSet = this.pixels.pixels();
    const maps: Record<string, MapMetrics> = {};
    for (const name of Object.keys(pixelSet.scores).filter((n) => n !== INPUT)) maps[name] = mapMetrics(name, pixelSet, this.samples, maxFpr, thresholds[name]);
    const counts: Omit<EvaluationReport['counts'], 'scans' | 'scansWithMask'> = {
      samples: this.samples.labels.length,
      anomalousSamples: this.samples.labels.filter((label) => label === 1).length,
      totalPixels: pixelSet.totalPixels,
      anomalousPixels: pixelSet.anomalousPixels,
      keptPixels: pixelSet.keptPixels,
      regions: pixelSet.regionCount,
    };
    return { maps, groups: groupMetrics(this.samples), counts, ...this.examples.render() };
  }
}

/** The pixels of a volume slice that are foreground or lesion. */
function onlyBodyAndLesions(slice: PixelSlice, image: Float32Array): PixelSlice {
  const kept = Array.from(image.keys()).filter((i) => image[i] > FOREGROUND_THRESHOLD || slice.regions[i] !== 0);
  return {
    maps: Object.fromEntries(Object.entries(slice.maps).map(([name, map]) => [name, Float32Array.from(kept, (i) => map[i])])),
    regions: Int32Array.from(kept, (i) => slice.regions[i]),
    regionCount: slice.regionCount,
  };
}

/** Average precision where it ranks something: NaN without negatives too (where scikit-learn's AP is a trivial 1 beside an undefined AUROC). */
function rankedAveragePrecision(sweep: ThresholdSweep): number {
  return sweep.negatives === 0 ? NaN : averagePrecisionOf(sweep);
}

/** The metrics of map `name` on the kept pixels and on the samples. */
function mapMetrics(name: string, pixels: PixelSet, samples: Samples, maxFpr: number, threshold?: number): MapMetrics {
  const scores = pixels.scores[name];
  const pixelSweep = thresholdSweep(scores, pixels.labels, pixels.weights);
  const sampleSweep = thresholdSweep(Float32Array.from(samples.scores[name]), Uint8Array.from(samples.labels));
  const dice = bestDiceOf(pixelSweep);
  return {
    pixel: {
      auroc: rocAuc(pixelSweep),
      averagePrecision: averagePrecisionOf(pixelSweep),
      bestDice: dice.dice,
      bestDiceThreshold: dice.threshold,
      auPro: auPro(scores, pixels.regions, maxFpr, pixels.weights),
      inputCorrelation: weightedCorrelation(scores, pixels.scores[INPUT], pixels.weights),
      ...(threshold !== undefined && { diceAtThreshold: { threshold, dice: diceAt(scores, pixels.labels, pixels.weights, threshold) } }),
    },
    sample: { auroc: rocAuc(sampleSweep), averagePrecision: rankedAveragePrecision(sampleSweep) },
    curves: {
      pixelRoc: thinCurve(rocCurve(pixelSweep), CURVE_POINTS),
      pixelPrecisionRecall: thinCurve(precisionRecallCurve(pixelSweep), CURVE_POINTS),
      sampleRoc: thinCurve(rocCurve(sampleSweep), CURVE_POINTS),
    },
  };
}

/** Pearson correlation of a and b with weights w: cov_w(a, b) / sqrt(var_w(a) var_w(b)); 0 when either is constant. */
export function weightedCorrelation(a: Float32Array, b: Float32Array, w: Float32Array): number {
  let [sw, sa, sb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [sw, sa, sb] = [sw + w[i], sa + w[i] * a[i], sb + w[i] * b[i]];
  const [ma, mb] = [sa / sw, sb / sw];
  let [cab, caa, cbb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const [da, db] = [a[i] - ma, b[i] - mb];
    [cab, caa, cbb] = [cab + w[i] * da * db, caa + w[i] * da * da, cbb + w[i] * db * db];
  }
  return caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : 0;
}

/** Dice 2 TP / (2 TP + FP + FN) of the pixels scoring >= threshold, with weights. */
export function diceAt(scores: Float32Array, labels: Uint8Array, weights: Float32Array, threshold: number): number {
  let [tp, fp, fn] = [0, 0, 0];
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1 && predicted) tp += weights[i];
    else if (labels[i] === 1) fn += weights[i];
    else if (predicted) fp += weights[i];
  }
  return tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
}
