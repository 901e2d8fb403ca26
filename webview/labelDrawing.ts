// Draws a label layer (labelLayer.ts) over a slice: the slice split into regions, each drawn as its
// outline (the region's boundary pixels) or as a filled tint, in the region's colour. Pure functions on
// typed arrays; render.ts calls drawLabels after the anomaly overlay and its contour.

import type { LabelLayer } from './labelLayer';
import { extractSlice, type ViewAxis } from './orthoSlice';

export type LabelStyle = 'outline' | 'fill';
export const LABEL_STYLES: readonly LabelStyle[] = ['outline', 'fill'];

/** The region of each pixel of a slice: its label (0 = none), or for a volume 1 where it is >= the threshold. */
export function sliceRegions(slice: Float32Array, layer: Pick<LabelLayer, 'kind' | 'threshold'>): Uint8Array {
  const regions = new Uint8Array(slice.length);
  for (let i = 0; i < slice.length; i++) {
    const v = slice[i];
    regions[i] = layer.kind === 'labels' ? (Number.isNaN(v) ? 0 : v) : v >= layer.threshold ? 1 : 0;
  }
  return regions;
}

/**
 * Marks the boundary pixels of the regions in `out` (1 = boundary): a pixel of a region (not 0) whose
 * 4-neighbour is in another region, in none, or beyond the slice's edge (as contour.ts does); returns how many.
 */
export function regionOutline(regions: Uint8Array, width: number, height: number, out: Uint8Array): number {
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < width && y < height ? regions[y * width + x] : 0);
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = regions[y * width + x];
      const onBoundary = r !== 0 && (at(x - 1, y) !== r || at(x + 1, y) !== r || at(x, y - 1) !== r || at(x, y + 1) !== r);
      out[y * width + x] = onBoundary ? 1 : 0;
      if (onBoundary) count++;
    }
  }
  return count;
}

/** The colour of region r (label 1 first): green, magenta, orange, blue, yellow, then round again. */
const REGION_RGB: readonly (readonly [number, number, number])[] = [
  [0, 230, 64],
  [255, 64, 255],
  [255, 150, 0],
  [64, 140, 255],
  [255, 255, 0],
];
export function regionColour(region: number): readonly [number, number, number] {
  return REGION_RGB[(region - 1) % REGION_RGB.length];
}

/** The opacity of a filled region's tint. */
export const FILL_OPACITY = 0.45;

/** A label layer to draw over a slice, and how. */
export interface LabelRequest {
  layer: LabelLayer;
  style: LabelStyle;
}

/** What drawing a label layer painted: pixels painted, and (outline style) the boundary pixels as slice offsets (row * width + col, grid rows). */
export interface DrawnLabels {
  labelPixels: number;
  labelOutline: number[];
}

/**
 * Paints slice `slice` of a view of the label layer into the opaque RGBA `pixels` (width x height of the
 * slice; `offsetOf(x, y)` is where slice pixel (x, y) is in them): the outline opaquely in each region's
 * colour, or each region's pixels tinted with it: c = c * (1 - FILL_OPACITY) + colour * FILL_OPACITY.
 */
export function drawLabels(
  { layer, style }: LabelRequest,
  view: ViewAxis,
  slice: number,
  width: number,
  height: number,
  offsetOf: (x: number, y: number) => number,
  pixels: Uint8ClampedArray,
): DrawnLabels {
  const regions = sliceRegions(extractSlice(layer.grid, view, slice), layer);
  const outline = new Uint8Array(regions.length);
  if (style === 'outline') regionOutline(regions, width, height, outline);
  const labelOutline: number[] = [];
  let labelPixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const painted = style === 'outline' ? outline[i] === 1 : regions[i] !== 0;
      if (!painted) continue;
      const rgb = regionColour(regions[i]);
      const o = offsetOf(x, y);
      const a = style === 'outline' ? 1 : FILL_OPACITY;
      for (let c = 0; c < 3; c++) pixels[o + c] = pixels[o + c] * (1 - a) + rgb[c] * a;
      labelPixels++;
      if (style === 'outline') labelOutline.push(i);
    }
  }
  return { labelPixels, labelOutline };
}
