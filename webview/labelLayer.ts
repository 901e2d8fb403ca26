// A label mask or a second volume drawn over the scan, in the scan's grid (e.g. the expert lesion mask
// beside the anomaly map): each slice is split into regions, drawn as their outline (the region's
// boundary) or as a filled tint. A label image (every value a whole number 0..255; 0 is background) has
// one region per label value; any other volume has one region: where it is at or above the middle of its
// robust window (render.ts: gridWindow).

import type { Grid } from '../models/worker/protocol';
import { gridWindow } from './render';
import { checkGridOfScan, type Scan } from './scene';

/** The largest label value a label image may hold (region ids are bytes). */
export const MAX_LABEL = 255;

export interface LabelLayer {
  /** The file's name, for the controls. */
  name: string;
  grid: Grid;
  /** 'labels': the regions are the label values; 'volume': one region, at or above `threshold`. */
  kind: 'labels' | 'volume';
  threshold: number;
}

/** Why the Score button is not offered for a mask file `name`. */
export function maskFileNote(name: string): string {
  return `${name} is a mask by the project's file naming conventions (e.g. *mask*, *_seg, masks/): it is shown as labels and not scored`;
}

/** True when every value is a whole number in 0..MAX_LABEL (NaN counts as background): a label image, not a volume of intensities. */
export function isLabelImage(data: Float32Array): boolean {
  for (const v of data) if (!Number.isNaN(v) && !(Number.isInteger(v) && v >= 0 && v <= MAX_LABEL)) return false;
  return true;
}

/** The layer of overlay file `name` over the scan; throws unless its grid is the scan's (the same dims). */
export function loadLabelLayer(name: string, grid: Grid, scan: Scan): LabelLayer {
  checkGridOfScan(grid, `The overlay ${name}`, scan);
  if (isLabelImage(grid.data)) return { name, grid, kind: 'labels', threshold: 1 };
  const { low, high } = gridWindow(grid);
  return { name, grid, kind: 'volume', threshold: (low + high) / 2 };
}
