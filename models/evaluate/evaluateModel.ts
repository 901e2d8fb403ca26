// Evaluates a trained model on a labelled test set (methods.md §8): every scan is scored as in the
// product (scoring/scoreScan.ts), its ground truth is read in the scan's grid, and for every anomaly map
// the pixel metrics (AUROC, AP, best Dice, AUPRO) and the sample metrics (AUROC, AP) are computed.
// Samples: a 2D image is one sample, anomalous when its CSV label says so or else when its mask is
// not empty; each scored axial slice of a volume is one sample, anomalous when its lesion area is at
// least `minLesionArea` pixels (smaller specks, like some of brain-ms patient 07's lesions, count as
// normal). Pixels: all pixels of a 2D image; in a volume, the foreground pixels (the body, as
// scoring masks it: normalized intensity > FOREGROUND_THRESHOLD) and the lesion pixels of the slices
// with foreground, so that the empty background around the body does not inflate the metrics.

import { FOREGROUND_THRESHOLD, hasForeground } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { readScan } from '../io/volume';
import { DEFAULT_MAX_FPR, auPro } from '../metrics/auPro';
import { bestDiceOf } from '../metrics/bestDice';
import { labelComponents } from '../metrics/connectedComponents';
import { thinCurve } from '../metrics/curve';
import { averagePrecisionOf, precisionRecallCurve } from '../metrics/precisionRecall';
import { rocAuc, rocCurve } from '../metrics/roc';
import { thresholdSweep } from '../metrics/thresholdSweep';
import { meanOf } from '../scoring/maps';
import { scoreVolume, type VolumeScore } from '../scoring/scoreScan';
import { loadModel, normalizationOf } from '../vqvae/checkpoint';
import { PRIOR_MAP_NAMES, type AnyMapName } from '../worker/protocol';
import { CURVE_POINTS, type EvaluationReport, type MapMetrics } from './evaluationReport';
import { readMask } from './groundTruth';
import type { LabelledScan } from './labelledScans';
import { DEFAULT_MAX_PIXELS, type PixelSet, type PixelSlice, PixelSample } from './pixelSample';
import { groupMetrics, type Samples } from './samples';
import { PriorCache } from '../prior/priorCache';
import type { PriorMapOptions } from '../scoring/priorMaps';

export const DEFAULT_MIN_LESION_AREA = 20;

export interface EvaluateOptions {
  /** Evaluate only this many scans, evenly spaced over the list (so that every group is represented). */
  limit?: number;
  maxPixels?: number;
  minLesionArea?: number;
  maxFpr?: number;
  /** The backend in use, for the report. */
  backend: string;
  /** Settings of the prior's maps (NLL, restoration, KDE), evaluated when the model has a prior. */
  priorMaps?: Partial<PriorMapOptions>;
  /** Named in the report. */
  testSet: string;
  log?(line: string): void;
}

/** The maps that are anomaly maps (the reconstruction is not). */
const anomalyMapNames = (score: VolumeScore) => (Object.keys(score.maps) as AnyMapName[]).filter((name) => name !== 'reconstruction');

export async function evaluateModel(modelDir: string, testSet: LabelledScan[], options: EvaluateOptions): Promise<EvaluationReport> {
  const { model, manifest } = await loadModel(modelDir);
  // With a prior, its maps are evaluated too (anomalyMapNames takes every map the scoring returns).
  const prior = await new PriorCache().load(modelDir);
  if (prior) options.log?.(`The model has a prior: its maps (${PRIOR_MAP_NAMES.join(', ')}) are evaluated too`);
  const scans = evenlySpaced(testSet, options.limit);
  const minLesionArea = options.minLesionArea ?? DEFAULT_MIN_LESION_AREA;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let pixels: PixelSample | undefined;
  const samples: Samples = { scores: {}, labels: [], groups: [] };
  const milliseconds: number[] = [];
  const skipped: EvaluationReport['skipped'] = [];
  let scansWithMask = 0;
  const start = performance.now();
  try {
    for (const [index, labelled] of scans.entries()) {
      options.log?.(`[${index + 1}/${scans.length}] ${labelled.scan}`);
      try {
        const volume = await readScan(labelled.scan, options.log);
        const mask = labelled.mask ? await readMask(labelled.mask, volume.dims) : new Uint8Array(volume.data.length);
        const scoringStart = performance.now();
        const score = await scoreVolume(model, volume, { normalization: normalizationOf(manifest), prior, priorMaps: options.priorMaps });
        milliseconds.push(performance.now() - scoringStart);
        pixels ??= new PixelSample(anomalyMapNames(score), scans.length, maxPixels);
        addScan(score, mask, labelled, minLesionArea, pixels, samples);
        if (labelled.mask) scansWithMask++;
      } catch (error) {
        if (!(error instanceof BadInputError)) throw error;
        skipped.push({ file: labelled.scan, reason: error.message });
        options.log?.(`skipped ${error.message}`);
      }
    }
  } finally {
    model.dispose();
  }
  if (!pixels) throw new BadInputError(`${options.testSet}: none of the ${scans.length} scans could be evaluated (first problem: ${skipped[0]?.reason})`);

  options.log?.('computing the metrics');
  const pixelSet = pixels.pixels();
  const maxFpr = options.maxFpr ?? DEFAULT_MAX_FPR;
  const maps: Record<string, MapMetrics> = {};
  for (const name of Object.keys(pixelSet.scores)) maps[name] = mapMetrics(name, pixelSet, samples, maxFpr);
  const sorted = milliseconds.slice().sort((a, b) => a - b);
  return {
    created: new Date().toISOString(),
    model: { dir: modelDir, name: manifest.name, inputSize: manifest.config.inputSize, epochs: manifest.training.epochsCompleted, trainedOn: manifest.data.folder },
    testSet: options.testSet,
    backend: options.backend,
    options: { limit: options.limit ?? null, maxPixels, minLesionArea, maxFpr },
    counts: {
      scans: scans.length - skipped.length,
      scansWithMask,
      samples: samples.labels.length,
      anomalousSamples: samples.labels.filter((label) => label === 1).length,
      totalPixels: pixelSet.totalPixels,
      anomalousPixels: pixelSet.anomalousPixels,
      keptPixels: pixelSet.keptPixels,
      regions: pixelSet.regionCount,
    },
    timing: { seconds: (performance.now() - start) / 1000, meanMsPerScan: meanOf(milliseconds), medianMsPerScan: sorted[Math.floor(sorted.length / 2)] },
    maps,
    groups: groupMetrics(samples),
    skipped,
  };
}

/** `count` items evenly spaced over the list (all of them without a count). */
export function evenlySpaced<T>(items: T[], count?: number): T[] {
  if (count === undefined || count >= items.length) return items;
  return Array.from({ length: count }, (_, k) => items[Math.floor((k * items.length) / count)]);
}

/** Adds a scored scan's scored slices to the pixel sample and to the samples (see the file comment). */
function addScan(score: VolumeScore, mask: Uint8Array, labelled: LabelledScan, minLesionArea: number, pixels: PixelSample, samples: Samples): void {
  const [width, height, depth] = score.image.dims;
  const sliceLength = width * height;
  const sliceOf = <T extends Float32Array | Uint8Array>(data: T, z: number) => data.subarray(z * sliceLength, (z + 1) * sliceLength) as T;
  const names = anomalyMapNames(score);
  const slices: PixelSlice[] = [];
  for (let z = 0; z < depth; z++) {
    const image = sliceOf(score.image.data, z);
    if (depth > 1 && !hasForeground(image)) continue;
    const components = labelComponents(sliceOf(mask, z), width, height);
    const maps = Object.fromEntries(names.map((name) => [name, sliceOf(score.maps[name]!.data, z)]));
    const slice = { maps, regions: components.labels, regionCount: components.count };
    slices.push(depth === 1 ? slice : onlyBodyAndLesions(slice, image));
    const lesionArea = components.sizes.reduce((sum, size) => sum + size, 0);
    samples.labels.push(depth === 1 ? labelled.label ?? (lesionArea > 0 ? 1 : 0) : lesionArea >= minLesionArea ? 1 : 0);
    samples.groups.push(labelled.group ?? '');
    for (const name of names) (samples.scores[name] ??= []).push(meanOf(maps[name]));
  }
  pixels.addScan(slices);
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
