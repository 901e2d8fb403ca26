// The scored scans of an evaluation, gathered scan by scan for the metrics of methods.md §8.
// Samples: a 2D image is one sample, anomalous when its CSV label says so or else when its mask is
// not empty; each scored axial slice of a volume is one sample, anomalous when its lesion area is at
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
import { thresholdSweep } from '../metrics/thresholdSweep';
import { meanOf } from '../scoring/maps';
import type { VolumeScore } from '../scoring/scoreScan';
import type { AnyMapName } from '../worker/protocol';
import { CURVE_POINTS, type EvaluationReport, type MapMetrics } from './evaluationReport';
import { EXAMPLE_MAP, ExampleChooser } from './exampleOverlays';
import type { LabelledScan } from './labelledScans';
import { type PixelSet, type PixelSlice, PixelSample } from './pixelSample';
import { groupMetrics, type Samples } from './samples';

/** The maps that are anomaly maps (the reconstruction is not). */
const anomalyMapNames = (score: VolumeScore) => (Object.keys(score.maps) as AnyMapName[]).filter((name) => name !== 'reconstruction');

export class ScoredTestSet {
  private pixels: PixelSample | undefined;
  private readonly samples: Samples = { scores: {}, labels: [], groups: [] };
  private readonly examples = new ExampleChooser();

  /** `scans`: how many scans will be added (it shares the pixel budget `maxPixels` among them). */
  constructor(private readonly scans: number, private readonly maxPixels: number, private readonly minLesionArea: number) {}

  /** True until a scan was added. */
  get isEmpty(): boolean {
    return this.pixels === undefined;
  }

  /** Adds a scored scan's scored slices (see the file comment); `mask` is its binary ground truth in the scan's grid. */
  add(score: VolumeScore, mask: Uint8Array, labelled: LabelledScan): void {
    const [width, height, depth] = score.image.dims;
    const sliceLength = width * height;
    const sliceOf = <T extends Float32Array | Uint8Array>(data: T, z: number) => data.subarray(z * sliceLength, (z + 1) * sliceLength) as T;
    const names = anomalyMapNames(score);
    this.pixels ??= new PixelSample(names, this.scans, this.maxPixels);
    const slices: PixelSlice[] = [];
    for (let z = 0; z < depth; z++) {
      const image = sliceOf(score.image.data, z);
      if (depth > 1 && !hasForeground(image)) continue;
      const components = labelComponents(sliceOf(mask, z), width, height);
      const maps = Object.fromEntries(names.map((name) => [name, sliceOf(score.maps[name]!.data, z)]));
      const slice = { maps, regions: components.labels, regionCount: components.count };
      slices.push(depth === 1 ? slice : onlyBodyAndLesions(slice, image));
      const lesionArea = components.sizes.reduce((sum, size) => sum + size, 0);
      const label = depth === 1 ? labelled.label ?? (lesionArea > 0 ? 1 : 0) : lesionArea >= this.minLesionArea ? 1 : 0;
      this.samples.labels.push(label);
      this.samples.groups.push(labelled.group ?? '');
      for (const name of names) (this.samples.scores[name] ??= []).push(meanOf(maps[name]));
      this.examples.offer({
        scan: labelled.scan,
        slice: depth === 1 ? null : z,
        score: meanOf(maps[EXAMPLE_MAP]),
        anomalous: label === 1,
        width,
        height,
        pixels: () => ({ image, map: maps[EXAMPLE_MAP], mask: sliceOf(mask, z) }),
      });
    }
    this.pixels.addScan(slices);
  }

  /** The metrics of every anomaly map, the per-group metrics, the counts of samples and pixels, and the example overlays. */
  results(maxFpr: number) {
    if (!this.pixels) throw new Error('ScoredTestSet.results: no scan was added');
    const pixelSet = this.pixels.pixels();
    const maps: Record<string, MapMetrics> = {};
    for (const name of Object.keys(pixelSet.scores)) maps[name] = mapMetrics(name, pixelSet, this.samples, maxFpr);
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

/** The metrics of map `name` on the kept pixels and on the samples. */
function mapMetrics(name: string, pixels: PixelSet, samples: Samples, maxFpr: number): MapMetrics {
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
    },
    sample: { auroc: rocAuc(sampleSweep), averagePrecision: averagePrecisionOf(sampleSweep) },
    curves: {
      pixelRoc: thinCurve(rocCurve(pixelSweep), CURVE_POINTS),
      pixelPrecisionRecall: thinCurve(precisionRecallCurve(pixelSweep), CURVE_POINTS),
      sampleRoc: thinCurve(rocCurve(sampleSweep), CURVE_POINTS),
    },
  };
}
