// Draws one slice (axial, coronal or sagittal) of a scan, and optionally an anomaly map with its contour
// over it, into RGBA pixel buffers. Pure functions on plain typed arrays (no DOM), so they run in unit
// tests; main.ts puts the result on a canvas.

import { GRAY, lutIndex, type ColorLut } from './colormap';
import { contourMask } from './contour';
import { drawLabels, type LabelRequest } from './labelDrawing';
import { extractSlice, sliceShape, type ViewAxis } from './orthoSlice';
import { valueAt, type ViewerGrid } from './viewerGrid';

/** An intensity range mapped to black..white (or, for a map, to the bottom..top of its colormap). */
export interface IntensityWindow {
  low: number;
  high: number;
}

/** Overlay values (as a fraction of the map's colour window) below this are not drawn. */
const OVERLAY_FLOOR = 0.05;

/** Percentiles are taken from at most this many evenly strided voxels (exact for smaller grids). */
const MAX_PERCENTILE_SAMPLES = 1 << 20;

/** The stride that picks at most MAX_PERCENTILE_SAMPLES of `count` values evenly. */
function percentileStride(count: number): number {
  return Math.max(1, Math.ceil(count / MAX_PERCENTILE_SAMPLES));
}

/**
 * Display window [p_low, p_high] of a whole volume: nearest-rank percentiles of its finite nonzero
 * values (of all finite values when none is nonzero), so a black background does not pull the window down.
 */
export function robustWindow(data: Float32Array, lowP = 0.01, highP = 0.99): IntensityWindow {
  const stride = percentileStride(data.length);
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

/** The robustWindow of a grid, float32 or quantized: its evenly strided voxels decoded, then taken whole. */
export function gridWindow(grid: ViewerGrid, lowP = 0.01, highP = 0.99): IntensityWindow {
  const voxels = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const stride = percentileStride(voxels);
  const sampled = Float32Array.from({ length: Math.ceil(voxels / stride) }, (_, k) => valueAt(grid, k * stride));
  return robustWindow(sampled, lowP, highP);
}

/** The smallest and largest finite value of a grid (every voxel; 0 to 0 when none is finite). */
export function valueRange(grid: ViewerGrid): IntensityWindow {
  let low = Infinity;
  let high = -Infinity;
  const voxels = grid.dims[0] * grid.dims[1] * grid.dims[2];
  for (let i = 0; i < voxels; i++) {
    const v = valueAt(grid, i);
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? { low, high } : { low: 0, high: 0 };
}

/**
 * The colour window of an anomaly map: from the median of its nonzero values (transparent, so the
 * typical level of a map stays invisible and only the higher half shows) to the 99th percentile (full
 * colour, robust to a few hot voxels). The threshold slider of a later version replaces the median.
 */
export function overlayWindow(map: ViewerGrid): IntensityWindow {
  return gridWindow(map, 0.5, 0.99);
}

/** (x - low) / (high - low) clamped to [0, 1]; an empty window shows x > low as 1; NaN shows as 0. */
export function windowed(x: number, window: IntensityWindow): number {
  const range = window.high - window.low;
  if (!(range > 0)) return x > window.low ? 1 : 0;
  const v = (x - window.low) / range;
  return v > 0 ? Math.min(1, v) : 0;
}

/**
 * Volumes are shown with rows flipped (row 0 of a slice at the bottom, so anterior / superior is up for
 * RAS-ordered NIfTI, as niivue does); 2D images (depth 1) are shown as stored, row 0 at the top.
 */
export function isFlippedY(grid: ViewerGrid): boolean {
  return grid.dims[2] > 1;
}

/** Where the pixel (x, y) of a slice goes in the RGBA buffer, in bytes. */
function pixelOffset(x: number, y: number, width: number, height: number, flipY: boolean): number {
  return ((flipY ? height - 1 - y : y) * width + x) * 4;
}

/** Paints every pixel opaquely with lut[window(value)]; returns how many pixels came out non-black. */
function paintOpaque(
  slice: Float32Array,
  width: number,
  height: number,
  window: IntensityWindow,
  lut: ColorLut,
  flipY: boolean,
  out: Uint8ClampedArray,
): number {
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
 * Paints a map with its colormap and alpha = opacity * v, where v = the value windowed to [0, 1],
 * and alpha = 0 below OVERLAY_FLOOR; returns how many pixels got a nonzero alpha byte.
 */
function paintOverlay(
  slice: Float32Array,
  width: number,
  height: number,
  window: IntensityWindow,
  lut: ColorLut,
  opacity: number,
  flipY: boolean,
  out: Uint8ClampedArray,
): number {
  let painted = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = windowed(slice[y * width + x], window);
      const entry = lutIndex(v) * 4;
      const o = pixelOffset(x, y, width, height, flipY);
      for (let c = 0; c < 3; c++) out[o + c] = lut[entry + c];
      out[o + 3] = v < OVERLAY_FLOOR ? 0 : opacity * v * 255;
      if (out[o + 3] > 0) painted++;
    }
  }
  return painted;
}

/** The contour colour: cyan, which stands out against gray and against the warm end of every colormap offered. */
export const CONTOUR_RGB: readonly [number, number, number] = [0, 255, 255];

/** Paints the contour of {map >= threshold} opaquely over the pixels; returns how many contour pixels there are. */
function paintContour(slice: Float32Array, width: number, height: number, threshold: number, flipY: boolean, out: Uint8ClampedArray): number {
  const mask = new Uint8Array(width * height);
  const count = contourMask(slice, width, height, threshold, mask);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const o = pixelOffset(x, y, width, height, flipY);
      for (let c = 0; c < 3; c++) out[o + c] = CONTOUR_RGB[c];
    }
  }
  return count;
}

/** Source-over blending of an RGBA layer onto an opaque base, in place: c = base * (1 - a) + layer * a. */
export function blendOnto(base: Uint8ClampedArray, layer: Uint8ClampedArray): void {
  for (let o = 0; o < base.length; o += 4) {
    const a = layer[o + 3] / 255;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) base[o + c] = base[o + c] * (1 - a) + layer[o + c] * a;
  }
}

/** An anomaly map drawn over the base: its colour window, colormap and opacity, and optionally its contour. */
export interface OverlayRequest {
  map: ViewerGrid;
  window: IntensityWindow;
  colormap: ColorLut;
  opacity: number;
  /** Outline the region where the map is at or above this value; none when undefined. */
  contourAt?: number;
}

export interface SliceRequest {
  /** The grid drawn in gray (the scan, or the reconstruction) and its display window. */
  base: ViewerGrid;
  baseWindow: IntensityWindow;
  view: ViewAxis;
  slice: number;
  overlay?: OverlayRequest;
  /** A label mask or second volume drawn over everything else, as an outline or a tint (labelDrawing.ts). */
  labels?: LabelRequest;
}

const NO_LABELS = { labelPixels: 0, labelOutline: [] };

export interface RenderedSlice {
  width: number;
  height: number;
  /** Opaque RGBA pixels, the overlay and contour already painted in (ready for `new ImageData`). */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** Pixels whose gray image is not black, pixels where the overlay layer has alpha > 0, and contour pixels. */
  imagePixels: number;
  overlayPixels: number;
  contourPixels: number;
  /** Pixels the label layer painted, and its outline's pixels as slice offsets (row * width + col, grid rows; [] without an outline). */
  labelPixels: number;
  labelOutline: number[];
}

/** Draws one slice of a view: gray base, the overlay layer blended over it, the contour, then the label layer; counts come from the drawn layers. */
export function renderSlice(request: SliceRequest): RenderedSlice {
  const { base, view, slice } = request;
  const { width, height } = sliceShape(base.dims, view);
  const flipY = isFlippedY(base);
  const pixels = new Uint8ClampedArray(width * height * 4);
  const imagePixels = paintOpaque(extractSlice(base, view, slice), width, height, request.baseWindow, GRAY, flipY, pixels);
  let overlayPixels = 0;
  let contourPixels = 0;
  if (request.overlay) {
    const { map, window, colormap, opacity, contourAt } = request.overlay;
    const mapSlice = extractSlice(map, view, slice);
    const layer = new Uint8ClampedArray(pixels.length);
    overlayPixels = paintOverlay(mapSlice, width, height, window, colormap, opacity, flipY, layer);
    blendOnto(pixels, layer);
    if (contourAt !== undefined) contourPixels = paintContour(mapSlice, width, height, contourAt, flipY, pixels);
  }
  const offsetOf = (x: number, y: number) => pixelOffset(x, y, width, height, flipY);
  const { labelPixels, labelOutline } = request.labels ? drawLabels(request.labels, view, slice, width, height, offsetOf, pixels) : NO_LABELS;
  return { width, height, pixels, imagePixels, overlayPixels, contourPixels, labelPixels, labelOutline };
}
