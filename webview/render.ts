// Draws one slice of a scan, and optionally an anomaly map over it, into RGBA pixel buffers. Pure
// functions on plain typed arrays (no DOM), so they run in unit tests; main.ts puts the result on a canvas.

import type { Grid } from '../models/worker/protocol';
import { GRAY, HOT, lutIndex, type ColorLut } from './colormap';

/** An intensity range mapped to black..white (or, for a map, to the bottom..top of its colormap). */
export interface IntensityWindow {
  low: number;
  high: number;
}

/** Overlay values (as a fraction of the map's colour window) below this are not drawn. */
const OVERLAY_FLOOR = 0.05;

/** Percentiles are taken from at most this many evenly strided voxels (exact for smaller grids). */
const MAX_PERCENTILE_SAMPLES = 1 << 20;

/**
 * Display window [p_low, p_high] of a whole volume: nearest-rank percentiles of its finite nonzero
 * values (of all finite values when none is nonzero), so a black background does not pull the window down.
 */
export function robustWindow(data: Float32Array, lowP = 0.01, highP = 0.99): IntensityWindow {
  const stride = Math.max(1, Math.ceil(data.length / MAX_PERCENTILE_SAMPLES));
  const all: number[] = [];
  const nonzero: number[] = [];
  for (let i = 0; i < data.length; i += stride) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    all.push(v);
    if (v !== 0) nonzero.push(v);
  }
  const values = Float64Array.from(nonzero.length > 0 ? nonzero : all).sort();
  if (values.length === 0) return { low: 0, high: 0 };
  const at = (p: number) => values[Math.round(p * (values.length - 1))];
  const low = at(lowP);
  const high = at(highP);
  // A constant volume: widen to include 0, so a constant nonzero image still shows (as white).
  return high > low ? { low, high } : { low: Math.min(low, 0), high: Math.max(high, 0) };
}

/**
 * The colour window of an anomaly map: from the median of its nonzero values (transparent, so the
 * typical level of a map stays invisible and only the higher half shows) to the 99th percentile (full
 * colour, robust to a few hot voxels). The threshold slider of a later version replaces the median.
 */
export function overlayWindow(map: Grid): IntensityWindow {
  return robustWindow(map.data, 0.5, 0.99);
}

/** (x - low) / (high - low) clamped to [0, 1]; an empty window shows x > low as 1; NaN shows as 0. */
export function windowed(x: number, window: IntensityWindow): number {
  const range = window.high - window.low;
  if (!(range > 0)) return x > window.low ? 1 : 0;
  const v = (x - window.low) / range;
  return v > 0 ? Math.min(1, v) : 0;
}

/** Slice z of a grid: width * height values, row-major (y then x). */
export function sliceOf(grid: Grid, z: number): Float32Array {
  const [width, height] = grid.dims;
  return grid.data.subarray(z * width * height, (z + 1) * width * height);
}

/**
 * Volumes are shown with y flipped (row 0 of the grid at the bottom, so anterior is up for RAS-ordered
 * NIfTI, as niivue does); 2D images (depth 1) are shown as stored, row 0 at the top.
 */
export function isFlippedY(grid: Grid): boolean {
  return grid.dims[2] > 1;
}

/** Where the pixel (x, y) of a slice goes in the RGBA buffer, in bytes. */
function pixelOffset(x: number, y: number, width: number, height: number, flipY: boolean): number {
  return ((flipY ? height - 1 - y : y) * width + x) * 4;
}

/** Paints every pixel opaquely with lut[window(value)]; returns how many pixels came out non-black. */
function paintOpaque(slice: Float32Array, width: number, height: number, window: IntensityWindow, lut: ColorLut, flipY: boolean, out: Uint8ClampedArray): number {
  let painted = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const entry = lutIndex(windowed(slice[y * width + x], window)) * 4;
      const o = pixelOffset(x, y, width, height, flipY);
      for (let c = 0; c < 4; c++) out[o + c] = lut[entry + c];
      if (out[o] > 0 || out[o + 1] > 0 || out[o + 2] > 0) painted++;
    }
  }
  return painted;
}

/**
 * Paints a map with the hot colormap and alpha = opacity * v, where v = the value windowed to [0, 1],
 * and alpha = 0 below OVERLAY_FLOOR; returns how many pixels got a nonzero alpha byte.
 */
function paintOverlay(slice: Float32Array, width: number, height: number, window: IntensityWindow, opacity: number, flipY: boolean, out: Uint8ClampedArray): number {
  let painted = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = windowed(slice[y * width + x], window);
      const entry = lutIndex(v) * 4;
      const o = pixelOffset(x, y, width, height, flipY);
      for (let c = 0; c < 3; c++) out[o + c] = HOT[entry + c];
      out[o + 3] = v < OVERLAY_FLOOR ? 0 : opacity * v * 255;
      if (out[o + 3] > 0) painted++;
    }
  }
  return painted;
}

/** Source-over blending of an RGBA layer onto an opaque base, in place: c = base * (1 - a) + layer * a. */
export function blendOnto(base: Uint8ClampedArray, layer: Uint8ClampedArray): void {
  for (let o = 0; o < base.length; o += 4) {
    const a = layer[o + 3] / 255;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) base[o + c] = base[o + c] * (1 - a) + layer[o + c] * a;
  }
}

export interface SliceRequest {
  /** The grid drawn in gray (the scan, or the reconstruction in its place) and its display window. */
  base: Grid;
  baseWindow: IntensityWindow;
  slice: number;
  /** The anomaly map drawn over it, in the same grid, with the value shown at full colour and the opacity. */
  overlay?: { map: Grid; window: IntensityWindow; opacity: number };
}

export interface RenderedSlice {
  width: number;
  height: number;
  /** Opaque RGBA pixels, the overlay already blended in (ready for `new ImageData`). */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** Pixels whose gray image is not black, and pixels where the overlay layer has alpha > 0. */
  imagePixels: number;
  overlayPixels: number;
}

/** Draws one slice: gray base, then the overlay layer blended over it; counts come from the drawn layers. */
export function renderSlice(request: SliceRequest): RenderedSlice {
  const { base, slice } = request;
  const [width, height] = base.dims;
  const flipY = isFlippedY(base);
  const pixels = new Uint8ClampedArray(width * height * 4);
  const imagePixels = paintOpaque(sliceOf(base, slice), width, height, request.baseWindow, GRAY, flipY, pixels);
  let overlayPixels = 0;
  if (request.overlay) {
    const { map, window, opacity } = request.overlay;
    const layer = new Uint8ClampedArray(pixels.length);
    overlayPixels = paintOverlay(sliceOf(map, slice), width, height, window, opacity, flipY, layer);
    blendOnto(pixels, layer);
  }
  return { width, height, pixels, imagePixels, overlayPixels };
}
