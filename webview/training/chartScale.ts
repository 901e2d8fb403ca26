// The chart's axes: where a step or a loss value lies between the plot's edges, and the tick values.
// Losses fall by orders of magnitude early in a training, so the loss axis is logarithmic when the
// values span a factor of 10 or more (and are all positive).

export interface Axis {
  min: number;
  max: number;
  log: boolean;
}

const LOG_SPAN = 10;

/** The axis over the finite values (a degenerate range is widened so that it has a height). */
export function lossAxis(values: readonly number[]): Axis {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: 0, max: 1, log: false };
  let [min, max] = [Math.min(...finite), Math.max(...finite)];
  const log = min > 0 && max / min >= LOG_SPAN;
  if (max === min) [min, max] = [min - Math.abs(min || 1) * 0.05, max + Math.abs(max || 1) * 0.05];
  return { min, max, log };
}

/** 0 at the axis's minimum, 1 at its maximum: (v - min) / (max - min), of the logarithms on a log axis. */
export function axisFraction(axis: Axis, value: number): number {
  const f = axis.log ? Math.log(value / axis.min) / Math.log(axis.max / axis.min) : (value - axis.min) / (axis.max - axis.min);
  return Number.isFinite(f) ? f : 0;
}

/** `count` ticks from min to max, evenly spaced on the axis (geometrically on a log axis). */
export function axisTicks(axis: Axis, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const t = count === 1 ? 0 : i / (count - 1);
    return axis.log ? axis.min * (axis.max / axis.min) ** t : axis.min + (axis.max - axis.min) * t;
  });
}

/** Which of the labels at `positions` (ascending) to draw so that no two are closer than `minGap`: greedily from the first. */
export function spacedIndices(positions: readonly number[], minGap: number): number[] {
  const kept: number[] = [];
  positions.forEach((position, i) => {
    if (kept.length === 0 || position - positions[kept[kept.length - 1]] >= minGap) kept.push(i);
  });
  return kept;
}
