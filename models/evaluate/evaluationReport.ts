// What an evaluation reports (written as report.json; report.md is made from it).

import type { CurvePoint } from '../metrics/curve';
import type { ExampleSummary } from './exampleOverlays';
import type { GroupMetrics } from './samples';

/** The metrics of one anomaly map (methods.md §8). NaN (null in JSON) where a metric is undefined. */
export interface MapMetrics {
  pixel: {
    auroc: number;
    averagePrecision: number;
    /** Searched over every threshold on the test set itself: an upper bound. */
    bestDice: number;
    bestDiceThreshold: number;
    auPro: number;
    /** Pearson correlation of the map with the normalized input intensity over the evaluated pixels: near 1, the map is the input in disguise. */
    inputCorrelation: number;
    /** Dice at a threshold chosen without the test set (e.g. on normal validation scans), when one was given. */
    diceAtThreshold?: { threshold: number; dice: number };
  };
  /** Image level (a slice of a volume is a sample); the sample's score is scoreOfRegion of the map (scoring/maps.ts). */
  sample: { auroc: number; averagePrecision: number };
  /** Thinned to at most CURVE_POINTS points each: pixel ROC (x = FPR, y = TPR), pixel PR (x = recall, y = precision), sample ROC. */
  curves: { pixelRoc: CurvePoint[]; pixelPrecisionRecall: CurvePoint[]; sampleRoc: CurvePoint[] };
}

export interface EvaluationReport {
  created: string;
  model: { dir: string; name: string; inputSize: number; epochs: number; trainedOn: string };
  testSet: string;
  backend: string;
  options: { limit: number | null; maxPixels: number; minLesionArea: number; maxFpr: number };
  counts: {
    /** Scans evaluated, and of those, with a ground-truth mask. */
    scans: number;
    scansWithMask: number;
    samples: number;
    anomalousSamples: number;
    /** Pixels evaluated: all of a 2D image's; a volume's body and lesion pixels in its slices with foreground. */
    totalPixels: number;
    anomalousPixels: number;
    /** Pixels the pixel metrics were computed on (pixelSample.ts). */
    keptPixels: number;
    regions: number;
  };
  timing: { seconds: number; meanMsPerScan: number; medianMsPerScan: number };
  maps: Record<string, MapMetrics>;
  /** Per group of scans (a CSV's defect_type), when the test set names groups. */
  groups: Record<string, GroupMetrics>;
  skipped: { file: string; reason: string }[];
  /** Example overlays (exampleOverlays.ts), PNG files beside report.md. */
  examples: ExampleSummary[];
}

/** A report and its example overlay PNGs (file name -> bytes): everything a report folder holds but the rendered text. */
export interface Evaluation {
  report: EvaluationReport;
  images: Record<string, Uint8Array>;
}

/** A report without its curves: what the extension shows and keeps. */
export type EvaluationSummary = Omit<EvaluationReport, 'maps'> & { maps: Record<string, Omit<MapMetrics, 'curves'>> };

export function summaryOf(report: EvaluationReport): EvaluationSummary {
  const maps = Object.fromEntries(Object.entries(report.maps).map(([name, { pixel, sample }]) => [name, { pixel, sample }]));
  return { ...report, maps };
}

export const CURVE_POINTS = 200;
