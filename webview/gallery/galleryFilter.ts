// The gallery's order and its score filter: pure functions over the entries' scores.

import { byKindThenScore, type ScanKind } from '../../models/scoring/ranking';

/** The entries ranked as the worker ranks them: volumes, then images, each most anomalous first; equal scores keep their order. */
export function mostAnomalousFirst<T extends { kind: ScanKind; score: number }>(entries: readonly T[]): T[] {
  return [...entries].sort(byKindThenScore);
}

/** Whether an entry shows under the filter "scores >= minScore". */
export function passesFilter(score: number, minScore: number): boolean {
  return score >= minScore;
}

/** How many of `scores` the filter shows. */
export function visibleCount(scores: readonly number[], minScore: number): number {
  return scores.filter((score) => passesFilter(score, minScore)).length;
}

/** Positions a filter slider offers: SLIDER_STEPS + 1 evenly spaced values from the lowest to the highest score. */
export const SLIDER_STEPS = 100;

/** The score at slider position `position` (0..SLIDER_STEPS): low + position (high - low) / SLIDER_STEPS. */
export function scoreAtSlider(scores: readonly number[], position: number): number {
  const { low, high } = scoreRange(scores);
  return low + (position * (high - low)) / SLIDER_STEPS;
}

/** The slider position of a filter value (the nearest one, clamped to the slider). */
export function sliderAtScore(scores: readonly number[], minScore: number): number {
  const { low, high } = scoreRange(scores);
  if (!(high > low)) return minScore > high ? SLIDER_STEPS : 0;
  return Math.min(SLIDER_STEPS, Math.max(0, Math.round(((minScore - low) / (high - low)) * SLIDER_STEPS)));
}

/** The lowest and highest score (both 0 without scores). */
export function scoreRange(scores: readonly number[]): { low: number; high: number } {
  if (scores.length === 0) return { low: 0, high: 0 };
  return { low: Math.min(...scores), high: Math.max(...scores) };
}
