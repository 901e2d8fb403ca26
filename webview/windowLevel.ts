// Window level / width (the radiologist's contrast controls): the gray ramp runs from
// level - width / 2 (black) to level + width / 2 (white). A left-mouse drag changes them.

import type { IntensityWindow } from './render';

export interface WindowLevel {
  level: number;
  width: number;
}

export function windowOfLevel({ level, width }: WindowLevel): IntensityWindow {
  return { low: level - width / 2, high: level + width / 2 };
}

export function levelOfWindow({ low, high }: IntensityWindow): WindowLevel {
  return { level: (low + high) / 2, width: high - low };
}

/** How much one CSS pixel of dragging changes level or width: 1/256 of the scan's automatic window. */
export function dragSensitivity(auto: IntensityWindow): number {
  return Math.max(auto.high - auto.low, Number.EPSILON) / 256;
}

/**
 * Dragging by (dx, dy) CSS pixels from `start`: right widens the window (less contrast), down raises
 * the level (darker); the width stays at least one drag step.
 */
export function dragWindowLevel(start: WindowLevel, dx: number, dy: number, sensitivity: number): WindowLevel {
  return { level: start.level + dy * sensitivity, width: Math.max(sensitivity, start.width + dx * sensitivity) };
}

/**
 * The contrast presets: percentiles of the scan's finite nonzero voxels (render.ts: robustWindow), so
 * they suit MRI's arbitrary units: the automatic window (brain tissue, 1st to 99th percentile), the
 * full range (minimum to maximum of all voxels) and a FLAIR lesion window (median to 99.9th
 * percentile: normal tissue dark, hyperintensities bright).
 */
export type WindowPreset = 'brain' | 'full' | 'lesion';

export const WINDOW_PRESETS: readonly { name: WindowPreset; label: string }[] = [
  { name: 'brain', label: 'Brain (1–99 %)' },
  { name: 'full', label: 'Full range' },
  { name: 'lesion', label: 'FLAIR lesion (50–99.9 %)' },
];

/** The preset whose window `windowLevel` is (null: the automatic one, 'brain'), or 'custom' for one dragged or typed. */
export function presetOf(windowLevel: WindowLevel | null, presets: Record<WindowPreset, IntensityWindow>): WindowPreset | 'custom' {
  if (windowLevel === null) return 'brain';
  const { low, high } = windowOfLevel(windowLevel);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return WINDOW_PRESETS.find(({ name }) => close(presets[name].low, low) && close(presets[name].high, high))?.name ?? 'custom';
}
