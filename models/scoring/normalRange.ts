// Where a scan's score lies among normal scans: a score of 0.031 says little by itself, "above 95 % of
// 20 normal scans" says how unusual the scan is. The normal scans are the model's validation files,
// which it never trained on, scored at the end of training exactly as scans are scored later (the
// post-processed residual's score, scoreScan.ts); their scores are kept in the manifest per scan kind,
// with the post-processing they were scored with: a scan scored with other settings gets no rank.

import type { ScanKind } from './ranking';
import type { PostProcessing } from './postProcessing';
import { plural } from '../cliSupport';

/** The normal scores of one scan kind, ascending, and the post-processing they were computed with. */
export interface NormalScores {
  scores: number[];
  postProcessing: PostProcessing;
}

/** Per scan kind (volumes and images are not comparable): the manifest's `normalScores`. */
export type NormalRange = Partial<Record<ScanKind, NormalScores>>;

/** A score's place among `count` normal scores: the percentage of them it is at or above. */
export interface NormalRank {
  percentile: number;
  count: number;
}

/** True when two post-processing settings are the same, field by field (whatever order they were written in). */
export function samePostProcessing(a: PostProcessing, b: PostProcessing): boolean {
  return a.polarity === b.polarity && a.erosion === b.erosion && a.medianSize === b.medianSize && a.hyperintensityPercentile === b.hyperintensityPercentile;
}

/** percentile = 100 * #{normal scores <= score} / #normal scores. */
export function normalRank(score: number, normal: readonly number[]): NormalRank {
  const atOrBelow = normal.filter((value) => value <= score).length;
  return { percentile: (100 * atOrBelow) / normal.length, count: normal.length };
}

/** The rank of a scan of `kind` scored with `postProcessing`, or undefined without normal scores of its kind scored the same way. */
export function rankAmongNormal(score: number, kind: ScanKind, postProcessing: PostProcessing, range: NormalRange | undefined): NormalRank | undefined {
  const normal = range?.[kind];
  if (!normal || normal.scores.length === 0 || !samePostProcessing(normal.postProcessing, postProcessing)) return undefined;
  return normalRank(score, normal.scores);
}

/** "above all 20 normal scans", "above 95 % of 20 normal scans", "below all 20 normal scans". */
export function normalRankText({ percentile, count }: NormalRank): string {
  const scans = plural(count, 'normal scan');
  if (percentile === 100) return `above all ${scans}`;
  if (percentile === 0) return `below all ${scans}`;
  return `above ${Math.round(percentile)} % of ${scans}`;
}
