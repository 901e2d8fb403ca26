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
